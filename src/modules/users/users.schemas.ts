import { Type } from 'typebox';
import { ROLES } from '../../platform/auth/permissions.js';
import { Strict } from '../../platform/http/schema.js';

export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));

export const UserDto = Type.Object(
  {
    id: Type.Integer(),
    email: Type.String(),
    name: Type.String(),
    role: Type.String(),
    active: Type.Boolean(),
    lastLoginAt: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'User' },
);

export const CreateUserBody = Strict({
  email: Type.String({ format: 'email', maxLength: 254 }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: RoleSchema,
  password: Type.String({ minLength: 10, maxLength: 256 }),
});

export const UpdateUserBody = Strict({
  email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  role: Type.Optional(RoleSchema),
  active: Type.Optional(Type.Boolean()),
  password: Type.Optional(Type.String({ minLength: 10, maxLength: 256 })),
});
