import { sql } from 'kysely';
import { parseJson } from '../../platform/db/dialect.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { toIso } from '../../lib/time.js';

export interface EventRecord {
  id: number;
  type: string;
  entityType: string;
  entityId: string;
  payload: unknown;
  occurredAt: string;
  dispatchedAt: string | null;
}

export interface EventFilter {
  /** Exact type, `prefix.*` or `*` (already validated). */
  type?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** `order.*` → `order.%`, escaping LIKE's own wildcards (`_` is common in type names) with `!`. */
function likePrefix(pattern: string): string {
  return `${pattern.slice(0, -1).replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** The tenant's outbox, newest first, keyset-paged by id. `from`/`to` bound `occurred_at` (from inclusive). */
export async function listEvents(ctx: TenantCtx, f: EventFilter) {
  let q = ctx.db.selectFrom('events').selectAll().where('tenant_id', '=', ctx.tenantId);
  if (f.type && f.type !== '*') {
    q = f.type.endsWith('.*')
      ? q.where(sql<boolean>`${sql.ref('type')} like ${likePrefix(f.type)} escape '!'`)
      : q.where('type', '=', f.type);
  }
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  // Stored timestamps are toISOString() text on SQLite: compare against the same normal form.
  const from = toIso(f.from);
  const to = toIso(f.to);
  if (from) q = q.where('occurred_at', '>=', from);
  if (to) q = q.where('occurred_at', '<', to);
  if (f.cursor) q = q.where('id', '<', Number(decodeCursor(f.cursor, 1)[0]));
  const rows = await q
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = pageOf(rows, f.limit, (r) => [r.id]);
  return {
    items: page.items.map(
      (r): EventRecord => ({
        id: r.id,
        type: r.type,
        entityType: r.entity_type,
        entityId: r.entity_id,
        payload: parseJson(r.payload, null),
        occurredAt: r.occurred_at,
        dispatchedAt: r.dispatched_at,
      }),
    ),
    nextCursor: page.nextCursor,
  };
}
