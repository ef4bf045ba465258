import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { tenantCtx } from '../../platform/http/auth-hook.js';
import { PageQuery, Strict } from '../../platform/http/schema.js';
import { listAudit } from './audit.repo.js';

const AuditQuery = Strict({
  ...PageQuery,
  action: Type.Optional(Type.String({ maxLength: 100 })),
  actorId: Type.Optional(Type.Integer({ minimum: 1 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
});

export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['security'],
        summary: 'Security audit log: logins, role changes, API keys (newest first; `action` accepts a trailing *)',
        querystring: AuditQuery,
      },
    },
    async (request) => {
      const q = request.query as {
        limit?: number;
        cursor?: string;
        action?: string;
        actorId?: number;
        from?: string;
        to?: string;
      };
      return listAudit(tenantCtx(ctx, request), { ...q, limit: q.limit ?? 50 });
    },
  );
}
