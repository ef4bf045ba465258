import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { principalOf } from '../../platform/http/auth-hook.js';
import { notFound } from '../../platform/http/errors.js';
import { recordAudit } from '../audit/audit.repo.js';
import { findTenantById } from './tenants.repo.js';
import { TenantDto, TenantPatch } from './tenants.schemas.js';
import { changeTenant } from './tenants.service.js';

export function tenantRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/tenant',
    {
      config: { permission: 'tenant:read' },
      schema: { tags: ['tenant'], summary: 'The caller’s tenant and its settings', response: { 200: TenantDto } },
    },
    async (request) => {
      const t = await findTenantById(ctx.database.db, principalOf(request).tenantId);
      if (!t) throw notFound('tenant');
      return t;
    },
  );
  app.patch(
    '/api/v1/tenant',
    {
      config: { permission: 'tenant:write' },
      schema: {
        tags: ['tenant'],
        summary: 'Change name, currency, time zone or settings',
        body: TenantPatch,
        response: { 200: TenantDto },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const body = request.body as {
        name?: string;
        currency?: string;
        timeZone?: string;
        settings?: Record<string, unknown>;
      };
      const t = await changeTenant(ctx.database.db, p.tenantId, body);
      await recordAudit(ctx.database.db, request, {
        action: 'tenant.updated',
        targetType: 'tenant',
        targetId: String(t.id),
        details: body,
      });
      return t;
    },
  );
}
