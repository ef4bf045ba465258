import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { tenantCtx } from '../../platform/http/auth-hook.js';
import { notFound } from '../../platform/http/errors.js';
import { findTenantById, type Tenant } from './tenants.repo.js';

/** The tenant of a request: its country reads phones, its time zone bounds days, its currency labels money. */
export async function requestTenant(
  ctx: AppContext,
  request: FastifyRequest,
): Promise<{ tctx: TenantCtx; tenant: Tenant }> {
  const tctx = tenantCtx(ctx, request);
  const tenant = await findTenantById(tctx.db, tctx.tenantId);
  if (!tenant) throw notFound('tenant');
  return { tctx, tenant };
}
