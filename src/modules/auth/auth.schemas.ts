import { Type } from 'typebox';
import { Strict } from '../../platform/http/schema.js';

export const LoginBody = Strict({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
  tenant: Type.Optional(
    Type.String({ minLength: 1, maxLength: 48, description: 'Tenant slug, when the email is in several' }),
  ),
});

export const RefreshBody = Strict({ refreshToken: Type.String({ minLength: 10, maxLength: 200 }) });

export const TokenPairDto = Type.Object(
  {
    accessToken: Type.String(),
    refreshToken: Type.String(),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer({ description: 'Seconds the access token lives' }),
  },
  { $id: 'TokenPair' },
);

export const MeDto = Type.Object(
  {
    actorType: Type.Union([Type.Literal('user'), Type.Literal('api_key')]),
    user: Type.Union([
      Type.Object({ id: Type.Integer(), email: Type.String(), name: Type.String(), role: Type.String() }),
      Type.Null(),
    ]),
    apiKeyId: Type.Union([Type.Integer(), Type.Null()]),
    role: Type.String(),
    permissions: Type.Array(Type.String()),
    tenant: Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      slug: Type.String(),
      currency: Type.String(),
      country: Type.String(),
      timeZone: Type.String(),
    }),
  },
  { $id: 'Me' },
);
