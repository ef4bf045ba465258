/**
 * The outbox writer. A change and the events it causes are written in one transaction: pass the transaction's
 * context and the events vanish with a rollback, so no subscriber hears of a change that never happened. The
 * dispatcher picks the rows up after commit.
 */
import type { TenantCtx } from '../db/tenant-ctx.js';
import { nowIso, toIso } from '../../lib/time.js';
import { validEventType } from './event-filter.js';

export interface DomainEvent {
  /** Dotted name: `order.created`, `order.state_changed`, `service_action.status_changed`, … */
  type: string;
  entityType: string;
  entityId: string | number;
  /** Any JSON value; it becomes `data` of the webhook body. */
  payload: unknown;
  /** When it happened (defaults to now). */
  occurredAt?: string;
}

/** SQLite allows 32 766 bound values per statement; 7 columns × 500 rows stays well under it. */
const INSERT_CHUNK = 500;

function toRow(ctx: TenantCtx, e: DomainEvent, now: string) {
  if (!validEventType(e.type)) throw new Error(`invalid event type "${e.type}"`);
  const occurredAt = e.occurredAt === undefined ? now : toIso(e.occurredAt);
  if (!occurredAt) throw new Error(`invalid occurredAt "${e.occurredAt}" for event ${e.type}`);
  return {
    tenant_id: ctx.tenantId,
    type: e.type,
    entity_type: e.entityType,
    entity_id: String(e.entityId),
    payload: JSON.stringify(e.payload ?? null),
    occurred_at: occurredAt,
    dispatched_at: null,
  };
}

/** Records one domain event on `ctx.db` (the caller's transaction, when it has one); returns its id. */
export async function emit(ctx: TenantCtx, event: DomainEvent): Promise<number> {
  const [id] = await emitMany(ctx, [event]);
  return id;
}

/** Records several events in order (ids ascending); returns their ids. */
export async function emitMany(ctx: TenantCtx, events: readonly DomainEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const now = nowIso();
  const rows = events.map((e) => toRow(ctx, e, now));
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const inserted = await ctx.db
      .insertInto('events')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .returning('id')
      .execute();
    // Multi-row RETURNING does not promise row order; ids are assigned in insert order, so sorting restores it.
    ids.push(...inserted.map((r) => Number(r.id)).sort((a, b) => a - b));
  }
  return ids;
}
