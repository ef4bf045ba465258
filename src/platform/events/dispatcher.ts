/**
 * Moves committed outbox events to their subscribers: one `webhook_deliveries` row per matching active
 * subscription of the event's tenant (the WebhookSender sends them), then in-process listeners.
 */
import type { Logger } from 'pino';
import type { Database } from '../db/connect.js';
import { parseJson } from '../db/dialect.js';
import type { Metrics } from '../observability/metrics.js';
import { nowIso } from '../../lib/time.js';
import { matchesAnyEventType, matchesEventType } from './event-filter.js';
import { webhookBody } from './signature.js';

/** An event as listeners see it, after its transaction committed. */
export interface OutboxEvent {
  id: number;
  tenantId: number;
  type: string;
  entityType: string;
  entityId: string;
  payload: unknown;
  occurredAt: string;
}

/** Reacts to an event after commit. Keep it quick (enqueue a job for slow work); errors are logged, not retried. */
export type EventListener = (event: OutboxEvent) => void | Promise<void>;

export interface EventDispatcherOptions {
  database: Database;
  logger: Logger;
  metrics: Metrics;
  /** Events taken per transaction (default 200). */
  batchSize?: number;
  /** Pause between polls when the outbox is empty (default 500 ms). */
  pollMs?: number;
}

export const OUTBOX_LAG_METRIC = 'orderloop_outbox_lag_seconds';
const DELIVERY_INSERT_CHUNK = 500;

/** Seconds since the oldest undispatched event occurred; 0 when the outbox is empty. */
export async function outboxLagSeconds(database: Database, now = Date.now()): Promise<number> {
  const oldest = await database.db
    .selectFrom('events')
    .select('occurred_at')
    .where('dispatched_at', 'is', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!oldest) return 0;
  return Math.max(0, (now - Date.parse(oldest.occurred_at)) / 1000);
}

export class EventDispatcher {
  readonly #database: Database;
  readonly #logger: Logger;
  readonly #batchSize: number;
  readonly #pollMs: number;
  readonly #listeners: Array<{ pattern: string; listener: EventListener }> = [];
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #started = false;

  constructor(opts: EventDispatcherOptions) {
    this.#database = opts.database;
    this.#logger = opts.logger.child({ component: 'event-dispatcher' });
    this.#batchSize = Math.max(1, opts.batchSize ?? 200);
    this.#pollMs = Math.max(1, opts.pollMs ?? 500);
    // One registry per app: a second dispatcher on the same metrics (tests, two workers in one process) reuses it.
    if (!opts.metrics.registry.getSingleMetric(OUTBOX_LAG_METRIC)) {
      opts.metrics.gauge(OUTBOX_LAG_METRIC, 'Age of the oldest undispatched outbox event (0 when none)', () =>
        outboxLagSeconds(this.#database),
      );
    }
  }

  /**
   * Calls `listener` for every dispatched event whose type matches `pattern`. Only the process that dispatched
   * an event hears it, so every worker process must register the same listeners. Returns an unsubscribe function.
   */
  on(pattern: string, listener: EventListener): () => void {
    const entry = { pattern, listener };
    this.#listeners.push(entry);
    return () => {
      const i = this.#listeners.indexOf(entry);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }

  /** Polls until stop(); several processes may run one each. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#schedule(0);
  }

  /** Stops polling and waits for the batch in progress. */
  async stop(): Promise<void> {
    this.#started = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** Dispatches one batch; returns how many events it took (tests call it directly). */
  async runOnce(): Promise<number> {
    const events = await this.#dispatchBatch();
    for (const e of events) await this.#notify(e);
    return events.length;
  }

  #schedule(delayMs: number): void {
    if (!this.#started) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#drain().finally(() => {
        this.#running = null;
        this.#schedule(this.#pollMs);
      });
    }, delayMs);
  }

  async #drain(): Promise<void> {
    try {
      while (this.#started && (await this.runOnce()) >= this.#batchSize) {
        // a full batch means more may be waiting: go again without sleeping
      }
    } catch (err) {
      this.#logger.error({ err }, 'event dispatch failed; the batch stays in the outbox and is retried');
    }
  }

  /**
   * Claims a batch and fans it out in one transaction. The claim is the first statement and a write: on
   * PostgreSQL `for update skip locked` lets dispatchers in other processes take other events; on SQLite the
   * write lock serialises them. A failure rolls everything back, leaving the events undispatched.
   */
  async #dispatchBatch(): Promise<OutboxEvent[]> {
    const pg = this.#database.dialect === 'postgres';
    return this.#database.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const next = trx
        .selectFrom('events')
        .select('id')
        .where('dispatched_at', 'is', null)
        .orderBy('id')
        .limit(this.#batchSize)
        .$if(pg, (q) => q.forUpdate().skipLocked());
      const rows = await trx
        .updateTable('events')
        .set({ dispatched_at: now })
        .where('id', 'in', next)
        .where('dispatched_at', 'is', null)
        .returningAll()
        .execute();
      if (rows.length === 0) return [];
      rows.sort((a, b) => a.id - b.id);

      const tenantIds = [...new Set(rows.map((r) => r.tenant_id))];
      // FOR KEY SHARE makes a concurrent webhook delete (which locks its row FOR UPDATE) wait for this batch,
      // or this batch skip a subscription deleted first: no delivery ever points at a vanished subscription.
      const subs = await trx
        .selectFrom('webhook_subscriptions')
        .select(['id', 'tenant_id', 'event_types'])
        .where('tenant_id', 'in', tenantIds)
        .where('active', '=', true)
        .orderBy('id')
        .$if(pg, (q) => q.forKeyShare())
        .execute();
      const tenants = await trx.selectFrom('tenants').select(['id', 'slug']).where('id', 'in', tenantIds).execute();
      const slugOf = new Map(tenants.map((t) => [t.id, t.slug]));

      const deliveries = [];
      const events: OutboxEvent[] = [];
      for (const r of rows) {
        const event: OutboxEvent = {
          id: r.id,
          tenantId: r.tenant_id,
          type: r.type,
          entityType: r.entity_type,
          entityId: r.entity_id,
          payload: parseJson(r.payload, null),
          occurredAt: r.occurred_at,
        };
        events.push(event);
        const matching = subs.filter(
          (s) => s.tenant_id === r.tenant_id && matchesAnyEventType(parseJson<string[]>(s.event_types, []), r.type),
        );
        if (matching.length === 0) continue;
        const body = JSON.stringify(
          webhookBody({
            id: r.id,
            type: r.type,
            occurredAt: r.occurred_at,
            tenant: slugOf.get(r.tenant_id),
            data: event.payload,
          }),
        );
        for (const s of matching) {
          deliveries.push({
            tenant_id: r.tenant_id,
            subscription_id: s.id,
            event_id: r.id,
            event_type: r.type,
            payload: body,
            status: 'pending',
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
          });
        }
      }
      for (let i = 0; i < deliveries.length; i += DELIVERY_INSERT_CHUNK) {
        await trx
          .insertInto('webhook_deliveries')
          .values(deliveries.slice(i, i + DELIVERY_INSERT_CHUNK))
          .execute();
      }
      if (deliveries.length)
        this.#logger.debug({ events: rows.length, deliveries: deliveries.length }, 'events dispatched');
      return events;
    });
  }

  async #notify(event: OutboxEvent): Promise<void> {
    for (const { pattern, listener } of this.#listeners) {
      if (!matchesEventType(pattern, event.type)) continue;
      try {
        await listener(event);
      } catch (err) {
        this.#logger.error({ err, eventId: event.id, type: event.type }, 'event listener failed');
      }
    }
  }
}
