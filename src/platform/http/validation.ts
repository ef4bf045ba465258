import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

function makeAjv(coerce: boolean) {
  const ajv = new (Ajv as unknown as typeof Ajv.default)({
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  return ajv;
}

/**
 * Bodies are validated strictly (a number sent as a string is an error); query strings, params and headers
 * are coerced, because on the wire they are always strings. Unknown fields are never silently dropped.
 */
export function installValidation(app: FastifyInstance): void {
  const bodyAjv = makeAjv(false);
  const queryAjv = makeAjv(true);
  app.setValidatorCompiler(
    ({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : queryAjv).compile(schema as object) as any,
  );
}
