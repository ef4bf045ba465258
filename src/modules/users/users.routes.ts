import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { principalOf, tenantCtx } from '../../platform/http/auth-hook.js';
import { notFound } from '../../platform/http/errors.js';
import { IdParams } from '../../platform/http/schema.js';
import { recordAudit } from '../audit/audit.repo.js';
import { findUser, listUsers } from './users.repo.js';
import { CreateUserBody, UpdateUserBody, UserDto } from './users.schemas.js';
import { changeUser, createUser, deleteUser, type NewUser, type UserPatch } from './users.service.js';

export function userRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  app.get(
    '/api/v1/users',
    {
      config: { permission: 'users:read' },
      schema: {
        tags: ['users'],
        summary: 'Users of the tenant',
        response: { 200: Type.Object({ items: Type.Array(UserDto) }) },
      },
    },
    async (request) => ({ items: await listUsers(tenantCtx(ctx, request)) }),
  );
  app.get(
    '/api/v1/users/:id',
    { config: { permission: 'users:read' }, schema: { tags: ['users'], params: IdParams, response: { 200: UserDto } } },
    async (request) => {
      const u = await findUser(tenantCtx(ctx, request), (request.params as { id: number }).id);
      if (!u) throw notFound('user');
      return u;
    },
  );
  app.post(
    '/api/v1/users',
    {
      config: { permission: 'users:write' },
      schema: {
        tags: ['users'],
        summary: 'Create a user with a role',
        body: CreateUserBody,
        response: { 201: UserDto },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const u = await createUser(tenantCtx(ctx, request), p.role, request.body as NewUser);
      await recordAudit(db, request, {
        action: 'user.created',
        targetType: 'user',
        targetId: String(u.id),
        details: { email: u.email, role: u.role },
      });
      return reply.status(201).send(u);
    },
  );
  app.patch(
    '/api/v1/users/:id',
    {
      config: { permission: 'users:write' },
      schema: {
        tags: ['users'],
        summary: 'Change name, email, role, status or password',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: UserDto },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const id = (request.params as { id: number }).id;
      const body = request.body as UserPatch;
      const { before, after } = await changeUser(tenantCtx(ctx, request), p.role, id, body);
      if (body.role && body.role !== before.role) {
        await recordAudit(db, request, {
          action: 'user.role_changed',
          targetType: 'user',
          targetId: String(id),
          details: { from: before.role, to: after.role },
        });
      }
      if (body.active !== undefined && body.active !== before.active) {
        await recordAudit(db, request, {
          action: body.active ? 'user.activated' : 'user.deactivated',
          targetType: 'user',
          targetId: String(id),
        });
      }
      if (body.password)
        await recordAudit(db, request, { action: 'user.password_changed', targetType: 'user', targetId: String(id) });
      return after;
    },
  );
  app.delete(
    '/api/v1/users/:id',
    {
      config: { permission: 'users:write' },
      schema: { tags: ['users'], summary: 'Delete a user (history is kept)', params: IdParams },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const u = await deleteUser(tenantCtx(ctx, request), p.role, p.userId, (request.params as { id: number }).id);
      await recordAudit(db, request, {
        action: 'user.deleted',
        targetType: 'user',
        targetId: String(u.id),
        details: { email: u.email },
      });
      return reply.status(204).send();
    },
  );
}
