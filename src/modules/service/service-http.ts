import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { principalOf } from '../../platform/http/auth-hook.js';
import { notFound } from '../../platform/http/errors.js';
import { findTenantById, type Tenant } from '../tenants/tenants.repo.js';
import type { ActorInfo } from './service-transition.js';

/** The caller of a request as an actor of the service cycle (role, kind, id). */
export function actorOf(request: FastifyRequest): ActorInfo {
  const p = principalOf(request);
  return { role: p.role, type: p.actorType, id: p.userId ?? p.apiKeyId };
}

/** The caller's tenant with its settings. */
export async function tenantOf(ctx: AppContext, request: FastifyRequest): Promise<Tenant> {
  const t = await findTenantById(ctx.database.db, principalOf(request).tenantId);
  if (!t) throw notFound('tenant');
  return t;
}
