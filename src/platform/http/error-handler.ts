import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: string,
  message: string,
  details?: unknown,
) {
  const error: Record<string, unknown> = { code, message, requestId: request.id };
  if (details !== undefined) error.details = details;
  return reply.status(status).type('application/json; charset=utf-8').send({ error });
}

const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The request body is larger than 1 MB'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Send the body as application/json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'The body is empty but Content-Type says JSON'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'The body is not valid JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_request', 'Content-Length does not match the body'],
  FST_ERR_BAD_URL: [400, 'invalid_url', 'The URL is malformed'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'invalid_request', 'The request could not be routed'],
};

/** Puts every error, including Fastify's own and unknown routes, into the documented envelope. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    send(reply, request, 404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`),
  );
  app.setErrorHandler((err: FastifyError & { validationContext?: string }, request, reply) => {
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      if (err.statusCode >= 500) request.log.error({ err }, err.message);
      return send(reply, request, err.statusCode, err.code, err.message, err.details);
    }
    if (err.validation) {
      const where = err.validationContext ?? 'request';
      const details = err.validation.map((v) => ({
        in: where,
        path: v.instancePath || '/',
        message: v.message,
        ...(v.params && 'additionalProperty' in v.params ? { field: v.params.additionalProperty } : {}),
      }));
      return send(
        reply,
        request,
        400,
        'invalid_input',
        `Invalid ${where}: ${details[0]?.path} ${details[0]?.message}`,
        details,
      );
    }
    const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (mapped) return send(reply, request, mapped[0], mapped[1], mapped[2]);
    if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
      return send(reply, request, 400, 'invalid_json', 'The body is not valid JSON');
    }
    if (err.statusCode === 429) {
      return send(reply, request, 429, 'too_many_requests', 'Too many requests; slow down and retry later');
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return send(reply, request, err.statusCode, 'invalid_request', err.message);
    }
    request.log.error({ err }, 'unhandled error');
    return send(
      reply,
      request,
      500,
      'internal_error',
      'Something went wrong on our side; the request id helps us find it',
    );
  });
}
