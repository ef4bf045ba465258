import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { parseJson } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { nowIso } from '../../lib/time.js';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: unknown;
  /** Overrides for events without an authenticated principal (a failed login). */
  tenantId?: number | null;
  actorType?: string;
  actorId?: number | null;
}

/** Appends a security audit row: who did what to what, from where. Never store secrets in details. */
export async function recordAudit(db: Kysely<DB>, request: FastifyRequest | null, e: AuditEntry): Promise<void> {
  const p = request?.principal;
  await db
    .insertInto('audit_log')
    .values({
      tenant_id: e.tenantId !== undefined ? e.tenantId : (p?.tenantId ?? null),
      actor_type: e.actorType ?? p?.actorType ?? 'anonymous',
      actor_id: e.actorId !== undefined ? e.actorId : (p?.userId ?? p?.apiKeyId ?? null),
      action: e.action,
      target_type: e.targetType ?? null,
      target_id: e.targetId ?? null,
      ip: request?.ip ?? null,
      request_id: request?.id ?? null,
      details: JSON.stringify(e.details ?? {}),
      at: nowIso(),
    })
    .execute();
}

export interface AuditFilter {
  action?: string;
  actorId?: number;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** Lists a tenant's audit log, newest first, keyset-paged by id. */
export async function listAudit(ctx: TenantCtx, f: AuditFilter) {
  let q = ctx.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', ctx.tenantId);
  if (f.action) q = q.where('action', f.action.endsWith('*') ? 'like' : '=', f.action.replace(/\*$/, '%'));
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.cursor) q = q.where('id', '<', Number(decodeCursor(f.cursor, 1)[0]));
  const rows = await q
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = pageOf(rows, f.limit, (r) => [r.id]);
  return {
    items: page.items.map((r) => ({
      id: r.id,
      action: r.action,
      actorType: r.actor_type,
      actorId: r.actor_id,
      targetType: r.target_type,
      targetId: r.target_id,
      ip: r.ip,
      requestId: r.request_id,
      details: parseJson(r.details, {}),
      at: r.at,
    })),
    nextCursor: page.nextCursor,
  };
}
