/**
 * The outbox writer. A change and the events it causes are written in one transaction: pass the transaction's
 * context and the events vanish with a rollback, so no subscriber hears of a change that never happened. The
 * dispatcher picks the rows up after commit.
 */
import { bulkInsert } from '../db/bulk.js';
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

const COLUMNS = ['tenant_id', 'type', 'entity_type', 'entity_id', 'payload', 'occurred_at', 'dispatched_at'];

function toRow(ctx: TenantCtx, e: DomainEvent, now: string) {
  if (!validEventType(e.type)) throw new Error(`invalid event type "${e.type}"`);
  const occurredAt = e.occurredAt === undefined ? now : toIso(e.occurredAt);
  if (!occurredAt) throw new Error(`invalid occurredAt "${e.occurredAt}" for event ${e.type}`);
  return [ctx.tenantId, e.type, e.entityType, String(e.entityId), JSON.stringify(e.payload ?? null), occurredAt, null];
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
  // One bulk write (ingest emits an event per new order): chunked by the parameter limit, and on SQLite in a
  // few kept statement shapes.
  const inserted = await bulkInsert<{ id: number | string }>(ctx.db, ctx.dialect, 'events', COLUMNS, rows, {
    returning: ['id'],
    casts: [null, null, null, null, 'jsonb', 'timestamptz', 'timestamptz'],
  });
  // Multi-row RETURNING does not promise row order; ids are assigned in insert order, so sorting restores it.
  const ids = inserted.map((r) => Number(r.id)).sort((a, b) => a - b);
  return ids;
}
