import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { testDialects } from '../../../../test/support/databases.js';
import { inTransaction, type TenantCtx } from '../../db/tenant-ctx.js';
import { EventDispatcher, OUTBOX_LAG_METRIC, type OutboxEvent } from '../dispatcher.js';
import { emit, emitMany } from '../outbox.js';

describe.each(testDialects())('outbox and dispatcher (%s)', (dialect) => {
  let t: TestApp;
  let a: TenantCtx;
  let b: TenantCtx;

  const dispatcher = (batchSize?: number) =>
    new EventDispatcher({ database: t.ctx.database, logger: t.ctx.logger, metrics: t.ctx.metrics, batchSize });

  const subscribe = async (ctx: TenantCtx, eventTypes: string[], active = true) => {
    const now = new Date().toISOString();
    const r = await ctx.db
      .insertInto('webhook_subscriptions')
      .values({
        tenant_id: ctx.tenantId,
        url: 'http://127.0.0.1:9/unused',
        description: null,
        secret_enc: t.ctx.secrets.encrypt('whsec_test'),
        event_types: JSON.stringify(eventTypes),
        active,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  };

  const order = (n: number) => ({ type: 'order.created', entityType: 'order', entityId: n, payload: { n } });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = t.tenantA.ctx;
    b = t.tenantB.ctx;
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    const db = t.ctx.database.db;
    await db.deleteFrom('webhook_deliveries').execute();
    await db.deleteFrom('webhook_subscriptions').execute();
    await db.deleteFrom('events').execute();
  });

  it('writes events in the caller’s transaction: a rollback leaves none', async () => {
    await expect(
      inTransaction(a, async (tx) => {
        await emit(tx, order(1));
        throw new Error('change refused');
      }),
    ).rejects.toThrow('change refused');
    expect(await t.ctx.database.db.selectFrom('events').selectAll().execute()).toHaveLength(0);

    const id = await inTransaction(a, (tx) => emit(tx, { ...order(2), occurredAt: '2026-11-20T08:00:00Z' }));
    const row = await t.ctx.database.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ tenant_id: a.tenantId, type: 'order.created', entity_type: 'order', entity_id: '2' });
    expect(row.occurred_at).toBe('2026-11-20T08:00:00.000Z');
    expect(row.dispatched_at).toBeNull();
  });

  it('emitMany keeps order and rejects malformed types', async () => {
    const ids = await emitMany(a, [order(1), order(2), order(3)]);
    expect(ids).toHaveLength(3);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(await emitMany(a, [])).toEqual([]);
    await expect(emit(a, { ...order(4), type: 'Order Created' })).rejects.toThrow(/invalid event type/);
    await expect(emit(a, { ...order(4), occurredAt: 'not a date' })).rejects.toThrow(/invalid occurredAt/);
  });

  it('queues one delivery per matching active subscription of the event’s own tenant', async () => {
    const orders = await subscribe(a, ['order.*']);
    const service = await subscribe(a, ['service_action.status_changed', 'order.state_changed']);
    await subscribe(a, ['*'], false);
    const tenantB = await subscribe(b, ['*']);
    const [created, changed, serviceChanged, low] = await emitMany(a, [
      order(1),
      { type: 'order.state_changed', entityType: 'order', entityId: 1, payload: { to: 45 } },
      { type: 'service_action.status_changed', entityType: 'service_action', entityId: 'SA-1', payload: {} },
      { type: 'inventory.low', entityType: 'product', entityId: 9, payload: {} },
    ]);
    const [bOrder] = await emitMany(b, [order(7)]);

    const d = dispatcher();
    expect(await d.runOnce()).toBe(5);
    expect(await d.runOnce()).toBe(0);

    const rows = await t.ctx.database.db.selectFrom('webhook_deliveries').selectAll().orderBy('id').execute();
    const pairs = rows
      .map((r) => [r.subscription_id, r.event_id])
      .sort((x, y) => Number(x[1]) - Number(y[1]) || Number(x[0]) - Number(y[0]));
    expect(pairs).toEqual(
      [
        [orders, created],
        [orders, changed],
        [service, changed],
        [service, serviceChanged],
        [tenantB, bOrder],
      ].sort((x, y) => x[1] - y[1] || x[0] - y[0]),
    );
    expect(rows.some((r) => r.event_id === low)).toBe(false);
    for (const r of rows) {
      expect(r.status).toBe('pending');
      expect(r.attempts).toBe(0);
      expect(r.tenant_id).toBe(r.subscription_id === tenantB ? b.tenantId : a.tenantId);
    }
    const first = rows.find((r) => r.event_id === created)!;
    const body = typeof first.payload === 'string' ? JSON.parse(first.payload) : first.payload;
    expect(body).toMatchObject({ id: created, type: 'order.created', tenant: 'alpha', data: { n: 1 } });
    const undispatched = await t.ctx.database.db
      .selectFrom('events')
      .select('id')
      .where('dispatched_at', 'is', null)
      .execute();
    expect(undispatched).toHaveLength(0);
  });

  it('calls in-process listeners after commit, by pattern, surviving a failing one', async () => {
    const d = dispatcher();
    const heard: OutboxEvent[] = [];
    d.on('order.*', () => {
      throw new Error('listener bug');
    });
    const off = d.on('order.*', (e) => {
      heard.push(e);
    });
    d.on('inventory.low', (e) => {
      heard.push(e);
    });
    await emitMany(a, [
      order(1),
      { type: 'loyalty.points_earned', entityType: 'customer', entityId: 3, payload: { points: 10 } },
    ]);
    await d.runOnce();
    expect(heard.map((e) => [e.type, e.entityId, e.tenantId, e.payload])).toEqual([
      ['order.created', '1', a.tenantId, { n: 1 }],
    ]);
    off();
    await emit(a, order(2));
    await d.runOnce();
    expect(heard).toHaveLength(1);
  });

  it('reports outbox lag: the age of the oldest undispatched event, 0 when none', async () => {
    const d = dispatcher();
    const gauge = t.ctx.metrics.registry.getSingleMetric(OUTBOX_LAG_METRIC)!;
    const lag = async () => (await gauge.get()).values[0]?.value ?? -1;
    expect(await lag()).toBe(0);
    await emit(a, { ...order(1), occurredAt: new Date(Date.now() - 120_000).toISOString() });
    expect(await lag()).toBeGreaterThanOrEqual(119);
    await d.runOnce();
    expect(await lag()).toBe(0);
  });

  it('two dispatchers running at once hand every event out exactly once', async () => {
    await subscribe(a, ['*']);
    await emitMany(
      a,
      Array.from({ length: 60 }, (_, i) => order(i)),
    );
    const drain = async (d: EventDispatcher) => {
      let total = 0;
      for (let n = await d.runOnce(); n > 0; n = await d.runOnce()) total += n;
      return total;
    };
    const [x, y] = await Promise.all([drain(dispatcher(7)), drain(dispatcher(7))]);
    expect(x + y).toBe(60);
    const rows = await t.ctx.database.db.selectFrom('webhook_deliveries').select('event_id').execute();
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(60);
  });

  it('start() dispatches in the background until stop()', async () => {
    await subscribe(a, ['order.created']);
    const d = new EventDispatcher({
      database: t.ctx.database,
      logger: t.ctx.logger,
      metrics: t.ctx.metrics,
      pollMs: 5,
    });
    d.start();
    await emit(a, order(1));
    for (let i = 0; i < 400; i++) {
      const n = await t.ctx.database.db.selectFrom('webhook_deliveries').select('id').execute();
      if (n.length) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await d.stop();
    expect(await t.ctx.database.db.selectFrom('webhook_deliveries').select('id').execute()).toHaveLength(1);
  });
});
