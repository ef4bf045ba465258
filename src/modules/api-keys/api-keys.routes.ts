import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { principalOf, tenantCtx } from '../../platform/http/auth-hook.js';
import { IdParams, Strict } from '../../platform/http/schema.js';
import { recordAudit } from '../audit/audit.repo.js';
import { RoleSchema } from '../users/users.schemas.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.service.js';

const ApiKeyDto = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    prefix: Type.String(),
    role: Type.String(),
    createdBy: Type.Union([Type.Integer(), Type.Null()]),
    createdAt: Type.String(),
    lastUsedAt: Type.Union([Type.String(), Type.Null()]),
    revokedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'ApiKey' },
);

export function apiKeyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  app.get(
    '/api/v1/api-keys',
    {
      config: { permission: 'api_keys:read' },
      schema: {
        tags: ['api keys'],
        summary: 'API keys (secrets are never shown again)',
        response: { 200: Type.Object({ items: Type.Array(ApiKeyDto) }) },
      },
    },
    async (request) => ({ items: await listApiKeys(tenantCtx(ctx, request)) }),
  );
  app.post(
    '/api/v1/api-keys',
    {
      config: { permission: 'api_keys:write' },
      schema: {
        tags: ['api keys'],
        summary: 'Create an API key; `secret` is in this response only. Send it as Authorization: Bearer <secret>',
        body: Strict({ name: Type.String({ minLength: 1, maxLength: 100 }), role: RoleSchema }),
        response: { 201: Type.Object({ key: ApiKeyDto, secret: Type.String() }) },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const out = await createApiKey(
        tenantCtx(ctx, request),
        { role: p.role, userId: p.userId },
        request.body as { name: string; role: string },
      );
      await recordAudit(db, request, {
        action: 'api_key.created',
        targetType: 'api_key',
        targetId: String(out.key.id),
        details: { name: out.key.name, role: out.key.role, prefix: out.key.prefix },
      });
      return reply.status(201).send(out);
    },
  );
  app.delete(
    '/api/v1/api-keys/:id',
    {
      config: { permission: 'api_keys:write' },
      schema: { tags: ['api keys'], summary: 'Revoke an API key', params: IdParams, response: { 200: ApiKeyDto } },
    },
    async (request) => {
      const key = await revokeApiKey(tenantCtx(ctx, request), (request.params as { id: number }).id);
      await recordAudit(db, request, {
        action: 'api_key.revoked',
        targetType: 'api_key',
        targetId: String(key.id),
        details: { prefix: key.prefix },
      });
      return key;
    },
  );
}
