import { Type } from 'typebox';
import { Strict } from '../../platform/http/schema.js';

export const TenantDto = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    slug: Type.String(),
    currency: Type.String(),
    country: Type.String(),
    timeZone: Type.String(),
    settings: Type.Record(Type.String(), Type.Unknown()),
    createdAt: Type.String(),
  },
  { $id: 'Tenant' },
);

export const TenantPatch = Strict({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  currency: Type.Optional(Type.String({ pattern: '^[A-Za-z]{3}$' })),
  timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
