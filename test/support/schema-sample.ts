/** Builds a minimal valid value for a JSON schema (TypeBox output), for route walkers. */
export function sampleOf(schema: any, key = ''): unknown {
  if (!schema || typeof schema !== 'object') return null;
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants)) {
    const nonNull = variants.find((v: any) => v.type !== 'null') ?? variants[0];
    return sampleOf(nonNull, key);
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of schema.required ?? []) out[k] = sampleOf(schema.properties?.[k], k);
      return out;
    }
    case 'array': {
      const n = schema.minItems ?? 0;
      return Array.from({ length: Math.max(n, 1) }, () => sampleOf(schema.items, key));
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return true;
    case 'string':
      return sampleString(schema, key);
    case 'null':
      return null;
    default:
      return null;
  }
}

function sampleString(schema: any, key: string): string {
  switch (schema.format) {
    case 'email':
      return `walker${Math.random().toString(36).slice(2, 8)}@example.test`;
    case 'date-time':
      return '2026-01-01T00:00:00.000Z';
    case 'date':
      return '2026-01-01';
    case 'uri':
    case 'url':
      return 'https://example.test/hook';
  }
  if (schema.pattern === '^[A-Za-z]{3}$') return 'EGP';
  if (/url/i.test(key)) return 'https://example.test/hook';
  if (/phone/i.test(key)) return '01001234567';
  if (/password/i.test(key)) return 'walker-password-123';
  const min = schema.minLength ?? 1;
  const base = `walker-${key || 'value'}`;
  return base.length >= min ? base.slice(0, schema.maxLength ?? base.length) : base.padEnd(min, 'x');
}

/** A value of the wrong JSON type for a schema. */
export function wrongTypeOf(schema: any): unknown {
  const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
  switch (type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return 'not-a-number';
    case 'boolean':
      return 'yes';
    case 'array':
      return { not: 'an array' };
    case 'object':
      return 'not-an-object';
    default:
      return schema?.anyOf ? { wrong: true } : undefined;
  }
}
