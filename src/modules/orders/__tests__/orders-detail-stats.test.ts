import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { testDialects } from '../../../../test/support/databases.js';
import { localDay, type OrderRowOf } from '../../../../test/support/order-fixtures.js';
import { ORDER_CATEGORIES } from '../classify-order.js';
import { type OrderBook, seedOrderBook } from './order-book.fixture.js';

const FAILED = [48, 49, 100, 101];
const REVENUE = ['real_sale', 'maintenance'];
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
const sum = (rows: OrderRowOf[], f: (r: OrderRowOf) => number) => rows.reduce((s, r) => s + f(r), 0);

/** The figures of /orders/analytics computed straight from order rows. */
function measuresOf(rows: OrderRowOf[]) {
  const delivered = rows.filter((r) => r.state_code === 45).length;
  const returned = rows.filter((r) => r.state_code === 46).length;
  const failed = rows.filter((r) => FAILED.includes(r.state_code)).length;
  const finished = delivered + returned + failed;
  const revenue = sum(
    rows.filter((r) => REVENUE.includes(r.category)),
    (r) => Number(r.cod_minor),
  );
  const refunds = sum(
    rows.filter((r) => r.category === 'refund' && r.state_code === 45),
    (r) => -Number(r.cod_minor),
  );
  const timed = rows.filter((r) => r.delivery_hours !== null);
  return {
    orders: rows.length,
    delivered,
    returned,
    failed,
    successRate: finished ? round(delivered / finished, 4) : 0,
    returnRate: finished ? round(returned / finished, 4) : 0,
    codRevenue: revenue / 100,
    refunds: refunds / 100,
    net: (revenue - refunds) / 100,
    averageDeliveryHours: timed.length ? round(sum(timed, (r) => r.delivery_hours!) / timed.length, 2) : null,
  };
}

describe.each(testDialects())('order detail, notes, timeline and statistics (%s)', (dialect) => {
  let t: TestApp;
  let token: string;
  let book: OrderBook;
  let a: OrderRowOf[];
  const get = (url: string) => t.req({ method: 'GET', url, token });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    token = await t.tenantA.token('manager');
    book = await seedOrderBook(t, 120);
    a = book.a;
  });
  afterAll(async () => t?.close());

  it('answers one order by id and by tracking number with the raw payload; 404 otherwise', async () => {
    const o = a[3];
    const byId = await get(`/api/v1/orders/${o.id}`);
    expect(byId.statusCode).toBe(200);
    expect(byId.json()).toMatchObject({ id: o.id, trackingNumber: o.tracking_number, raw: { fixture: true } });
    const byTracking = await get(`/api/v1/orders/tracking/${o.tracking_number}`);
    expect(byTracking.json().id).toBe(o.id);
    for (const url of ['/api/v1/orders/999999', '/api/v1/orders/tracking/NOPE-1', '/api/v1/orders/999999/timeline']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('order_not_found');
    }
    expect((await get(`/api/v1/orders/${book.b[0].id}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/orders/tracking/${book.b[0].tracking_number}`)).statusCode).toBe(404);
  });

  it('changes local notes with an audit row and an outbox event, and lists the timeline oldest first', async () => {
    const o = a[8];
    await t.tenantA.ctx.db
      .insertInto('order_timeline')
      .values(
        [
          [24, 'Received at warehouse', '2026-01-02T10:00:00.000Z'],
          [10, 'Pickup requested', '2026-01-01T10:00:00.000Z'],
          [45, 'Delivered', '2026-01-03T10:00:00.000Z'],
        ].map(([code, name, at]) => ({
          tenant_id: t.tenantA.ctx.tenantId,
          order_id: o.id,
          state_code: code as number,
          state_name: name as string,
          at: at as string,
          source: 'sync',
        })),
      )
      .execute();
    const patch = (localNotes: string | null) =>
      t.req({ method: 'PATCH', url: `/api/v1/orders/${o.id}`, token, payload: { localNotes } });
    const res = await patch('  fragile, call first  ');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: o.id, localNotes: 'fragile, call first', stateCode: o.state_code });
    expect((await patch('fragile, call first')).statusCode).toBe(200);
    const timeline = (await get(`/api/v1/orders/${o.id}/timeline`)).json();
    expect(timeline.timeline.map((x: { stateCode: number }) => x.stateCode)).toEqual([10, 24, 45]);
    expect(timeline.changes).toHaveLength(1);
    expect(timeline.changes[0]).toMatchObject({ field: 'local_notes', from: null, to: 'fragile, call first' });
    expect(timeline.changes[0].source).toMatch(/^user:\d+$/);
    const events = await t.tenantA.ctx.db
      .selectFrom('events')
      .selectAll()
      .where('tenant_id', '=', t.tenantA.ctx.tenantId)
      .where('type', '=', 'order.notes_updated')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0].entity_id).toBe(String(o.id));
    expect((await patch(null)).json().localNotes).toBeNull();
    expect((await get(`/api/v1/orders/${o.id}`)).json().localNotes).toBeNull();
    expect(
      (await t.req({ method: 'PATCH', url: '/api/v1/orders/999999', token, payload: { localNotes: 'x' } })).statusCode,
    ).toBe(404);
    const agent = await t.tenantA.token('agent');
    expect(
      (await t.req({ method: 'PATCH', url: `/api/v1/orders/${o.id}`, token: agent, payload: { localNotes: 'x' } }))
        .statusCode,
    ).toBe(403);
  });

  it('stats: totals, money, unique customers, latest order and categories from the rollups', async () => {
    const res = await get('/api/v1/orders/stats');
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    const m = measuresOf(a);
    const latest = [...a].sort((x, y) => y.created_at.localeCompare(x.created_at) || y.id - x.id)[0];
    expect(s).toMatchObject({
      currency: 'EGP',
      orders: a.length,
      delivered: m.delivered,
      returned: m.returned,
      cancelled: a.filter((r) => r.state_code === 48 || r.state_code === 49).length,
      inProgress: a.filter((r) => ![45, 46, ...FAILED].includes(r.state_code)).length,
      codRevenue: m.codRevenue,
      refunds: m.refunds,
      net: m.net,
      uniqueCustomers: new Set(a.map((r) => r.customer_id)).size,
      latestOrder: { id: latest.id, trackingNumber: latest.tracking_number, createdAt: latest.created_at },
    });
    expect(m.refunds).toBeGreaterThan(0);
    for (const c of ORDER_CATEGORIES) {
      const rows = a.filter((r) => r.category === c);
      expect(s.byCategory.find((x: { category: string }) => x.category === c)).toEqual({
        category: c,
        orders: rows.length,
        cod: sum(rows, (r) => Number(r.cod_minor)) / 100,
        percentage: round((rows.length * 100) / a.length, 2),
      });
    }
  });

  it('states and categories: counts, COD and percentages per code', async () => {
    const states = (await get('/api/v1/orders/states')).json();
    expect(states.total).toBe(a.length);
    const codes = [...new Set(a.map((r) => r.state_code))].sort((x, y) => x - y);
    expect(states.byState.map((x: { stateCode: number }) => x.stateCode)).toEqual(codes);
    for (const row of states.byState) {
      const rows = a.filter((r) => r.state_code === row.stateCode);
      expect(row).toEqual({
        stateCode: row.stateCode,
        stateName: rows[0].state_name,
        orders: rows.length,
        cod: sum(rows, (r) => Number(r.cod_minor)) / 100,
        percentage: round((rows.length * 100) / a.length, 2),
      });
    }
    expect(sum(states.byType, (x: any) => x.orders)).toBe(a.length);
    expect(states.byType.find((x: { typeCode: number }) => x.typeCode === 25).typeName).toBe('Customer Return Pickup');
    const cats = (await get('/api/v1/orders/categories')).json();
    const refund = cats.items.find((x: { category: string }) => x.category === 'refund');
    const refunds = a.filter((r) => r.category === 'refund');
    expect(refund.orders).toBe(refunds.length);
    expect(refund.delivered).toBe(refunds.filter((r) => r.state_code === 45).length);
    expect(refund.returned).toBe(refunds.filter((r) => r.state_code === 46).length);
  });

  it('analytics: totals, rates, hours, by city and by day over a day range and a city', async () => {
    const days = [...new Set(a.map((r) => localDay(r.created_at, 'Africa/Cairo')))].sort();
    const from = days[3];
    const to = days[12];
    const inRange = a.filter((r) => {
      const d = localDay(r.created_at, 'Africa/Cairo');
      return d >= from && d <= to;
    });
    const res = await get(`/api/v1/orders/analytics?from=${from}&to=${to}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ currency: 'EGP', from, to, city: null });
    expect(body.totals).toEqual(measuresOf(inRange));
    expect(body.byDay.map((d: { day: string }) => d.day)).toEqual(days.slice(3, 13));
    for (const d of body.byDay) {
      expect(d).toEqual({
        day: d.day,
        ...measuresOf(inRange.filter((r) => localDay(r.created_at, 'Africa/Cairo') === d.day)),
      });
    }
    for (const c of body.byCity) {
      expect(c).toEqual({ city: c.city, ...measuresOf(inRange.filter((r) => (r.city ?? '') === c.city)) });
    }
    expect(body.byCity.map((c: { city: string }) => c.city).sort()).toEqual(['', 'Alexandria', 'Cairo', 'Giza']);
    const giza = (await get(`/api/v1/orders/analytics?from=${from}&to=${to}&city=Giza`)).json();
    expect(giza.totals).toEqual(measuresOf(inRange.filter((r) => r.city === 'Giza')));
    expect(giza.byCity).toHaveLength(1);
    const none = (await get('/api/v1/orders/analytics?from=2030-01-01')).json();
    expect(none.totals).toMatchObject({ orders: 0, successRate: 0, averageDeliveryHours: null });
    expect((await get('/api/v1/orders/analytics?from=2026-13-01')).statusCode).toBe(400);
    const ranged = (await get(`/api/v1/orders/stats?from=${from}&to=${to}`)).json();
    expect(ranged.orders).toBe(inRange.length);
  });
});
