import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { testDialects } from '../../../../test/support/databases.js';
import { EventDispatcher } from '../../../platform/events/dispatcher.js';
import { emit, emitMany } from '../../../platform/events/outbox.js';

interface EventItem {
  id: number;
  type: string;
  entityType: string;
  entityId: string;
  payload: unknown;
  occurredAt: string;
  dispatchedAt: string | null;
}

describe.each(testDialects())('GET /api/v1/events (%s)', (dialect) => {
  let t: TestApp;
  let manager: string;
  let ids: number[];
  let bId: number;

  const list = async (qs: string) => {
    const res = await t.req({ method: 'GET', url: `/api/v1/events${qs}`, token: manager });
    expect(res.statusCode).toBe(200);
    return res.json() as { items: EventItem[]; nextCursor: string | null };
  };
  const idsOf = (page: { items: EventItem[] }) => page.items.map((e) => e.id);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    manager = await t.tenantA.token('manager');
    const at = (h: number) => `2026-11-20T${String(h).padStart(2, '0')}:00:00.000Z`;
    ids = await emitMany(t.tenantA.ctx, [
      { type: 'order.created', entityType: 'order', entityId: 1, payload: { n: 1 }, occurredAt: at(8) },
      { type: 'order.state_changed', entityType: 'order', entityId: 1, payload: { to: 24 }, occurredAt: at(9) },
      { type: 'order.created', entityType: 'order', entityId: 2, payload: { n: 2 }, occurredAt: at(10) },
      {
        type: 'service_action.status_changed',
        entityType: 'service_action',
        entityId: 'SA-1',
        payload: {},
        occurredAt: at(11),
      },
      // would match `service_action.*` if the underscore were a LIKE wildcard
      { type: 'servicezaction.created', entityType: 'x', entityId: 1, payload: {}, occurredAt: at(12) },
      { type: 'inventory.low', entityType: 'product', entityId: 7, payload: { left: 1 }, occurredAt: at(13) },
    ]);
    bId = await emit(t.tenantB.ctx, { type: 'order.created', entityType: 'order', entityId: 1, payload: {} });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists the tenant’s events newest first, never another tenant’s', async () => {
    const page = await list('');
    expect(idsOf(page)).toEqual([...ids].reverse());
    expect(idsOf(page)).not.toContain(bId);
    expect(page.nextCursor).toBeNull();
    expect(page.items.at(-1)).toEqual({
      id: ids[0],
      type: 'order.created',
      entityType: 'order',
      entityId: '1',
      payload: { n: 1 },
      occurredAt: '2026-11-20T08:00:00.000Z',
      dispatchedAt: null,
    });
  });

  it('filters by exact type, prefix and *', async () => {
    expect(idsOf(await list('?type=order.created'))).toEqual([ids[2], ids[0]]);
    expect(idsOf(await list('?type=order.*'))).toEqual([ids[2], ids[1], ids[0]]);
    expect(idsOf(await list('?type=service_action.*'))).toEqual([ids[3]]);
    expect(idsOf(await list('?type=*'))).toHaveLength(ids.length);
    const bad = await t.req({ method: 'GET', url: '/api/v1/events?type=order.', token: manager });
    expect(bad.statusCode).toBe(400);
  });

  it('filters by entity and by time (from inclusive, to exclusive)', async () => {
    expect(idsOf(await list('?entityType=order&entityId=1'))).toEqual([ids[1], ids[0]]);
    expect(idsOf(await list('?entityType=service_action'))).toEqual([ids[3]]);
    expect(idsOf(await list('?from=2026-11-20T09:00:00Z&to=2026-11-20T11:00:00Z'))).toEqual([ids[2], ids[1]]);
    expect(idsOf(await list('?from=2026-11-20T12:00:00%2B02:00'))).toEqual([ids[5], ids[4], ids[3], ids[2]]);
    const bad = await t.req({ method: 'GET', url: '/api/v1/events?from=yesterday', token: manager });
    expect(bad.statusCode).toBe(400);
  });

  it('pages with limit and cursor', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...idsOf(page));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual([...ids].reverse());
    const bad = await t.req({ method: 'GET', url: '/api/v1/events?cursor=garbage', token: manager });
    expect(bad.json().error.code).toBe('invalid_cursor');
    const tooMany = await t.req({ method: 'GET', url: '/api/v1/events?limit=201', token: manager });
    expect(tooMany.statusCode).toBe(400);
  });

  it('shows dispatchedAt once dispatched, and needs events:read', async () => {
    await new EventDispatcher({ database: t.ctx.database, logger: t.ctx.logger, metrics: t.ctx.metrics }).runOnce();
    const page = await list('?limit=1');
    expect(page.items[0].dispatchedAt).not.toBeNull();
    const agent = await t.tenantA.token('agent');
    expect((await t.req({ method: 'GET', url: '/api/v1/events', token: agent })).statusCode).toBe(403);
  });
});
