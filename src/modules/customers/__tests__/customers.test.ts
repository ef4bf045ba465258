import type { Selectable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { testDialects } from '../../../../test/support/databases.js';
import { insertCustomer, insertOrders, type OrderSeed } from '../../../../test/support/order-fixtures.js';
import { recomputeCustomerAggregates } from '../customer-aggregates.js';
import type { CustomersTable } from '../customers.tables.js';

type CustomerRow = Selectable<CustomersTable>;

const FORMATS = ['01001234567', '+201001234567', '201001234567', '00201001234567', '+20 100 123 4567'];
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe.each(testDialects())('customers (%s)', (dialect) => {
  let t: TestApp;
  let token: string;
  let ahmed: CustomerRow;
  let hassan: CustomerRow;
  let mona: CustomerRow;
  const all: CustomerRow[] = [];

  const get = (url: string) => t.req({ method: 'GET', url, token });
  const post = (url: string, payload: object) => t.req({ method: 'POST', url, token, payload });
  const patch = (url: string, payload: object) => t.req({ method: 'PATCH', url, token, payload });

  async function orders(c: CustomerRow, seeds: OrderSeed[]) {
    await insertOrders(
      t.tenantA.ctx,
      seeds.map((s) => ({ phone: c.phone, customer_id: c.id, city: c.city, receiver_name: c.name, ...s })),
    );
  }

  async function reload(): Promise<CustomerRow[]> {
    return t.tenantA.ctx.db
      .selectFrom('customers')
      .selectAll()
      .where('tenant_id', '=', t.tenantA.ctx.tenantId)
      .execute();
  }

  async function events(type: string) {
    return t.tenantA.ctx.db
      .selectFrom('events')
      .selectAll()
      .where('tenant_id', '=', t.tenantA.ctx.tenantId)
      .where('type', '=', type)
      .execute();
  }

  beforeAll(async () => {
    t = await createTestApp(dialect);
    token = await t.tenantA.token('manager');
    const ctx = t.tenantA.ctx;
    ahmed = await insertCustomer(ctx, { phone: '+201001234567', name: 'Ahmed Ali', city: 'Cairo' });
    hassan = await insertCustomer(ctx, { phone: '+201112345678', name: 'Ahmed Hassan', city: 'Giza' });
    mona = await insertCustomer(ctx, { phone: '+201223456789', name: 'Mona Said', city: 'Alexandria' });
    const sale = { state_code: 45, cod_minor: 150_000 };
    await orders(ahmed, [
      { ...sale, created_at: ago(40), zone: 'Nasr City', address: '1 Nile St' },
      { ...sale, created_at: ago(30), zone: 'Nasr City', address: '1 Nile St' },
      { ...sale, created_at: ago(20), zone: 'Heliopolis', address: '9 Merghany' },
      { state_code: 45, cod_minor: 30_000, created_at: ago(15) },
      { state_code: 46, cod_minor: 80_000, created_at: ago(10), delivered_at: null },
      { state_code: 45, cod_minor: -20_000, created_at: ago(5) },
    ]);
    await orders(
      hassan,
      Array.from({ length: 10 }, (_, i) => ({ state_code: 45, cod_minor: 60_000, created_at: ago(100 - i) })),
    );
    await orders(mona, [
      { state_code: 45, cod_minor: 70_000, created_at: ago(200) },
      { state_code: 45, cod_minor: 70_000, created_at: ago(199) },
      ...[198, 197, 196].map((d) => ({ state_code: 46, cod_minor: 70_000, created_at: ago(d), delivered_at: null })),
    ]);
    const fillers: CustomerRow[] = [];
    for (let i = 0; i < 14; i++) {
      const c = await insertCustomer(ctx, {
        phone: `+2010555000${String(i).padStart(2, '0')}`,
        name: `Filler ${String(i).padStart(2, '0')}`,
        city: i % 2 ? 'Cairo' : null,
      });
      fillers.push(c);
      await orders(c, [{ state_code: i % 3 ? 45 : 46, cod_minor: 10_000 * (i + 1), created_at: ago(i * 3 + 1) }]);
    }
    await recomputeCustomerAggregates(ctx, [ahmed.id, hassan.id, mona.id, ...fillers.map((f) => f.id)]);
    await insertCustomer(t.tenantB.ctx, { phone: '+201001234567', name: 'Ahmed in B' });
    all.push(...(await reload()));
  });
  afterAll(async () => t?.close());

  it('keeps aggregates and segments computed from the orders', async () => {
    const byId = new Map(all.map((c) => [c.id, c]));
    expect(byId.get(ahmed.id)).toMatchObject({
      orders_count: 6,
      delivered_count: 5,
      returned_count: 1,
      lifetime_value_minor: 480_000,
      refunds_minor: 20_000,
      segment: 'regular',
      first_order_at: expect.any(String),
    });
    expect(byId.get(hassan.id)).toMatchObject({ orders_count: 10, lifetime_value_minor: 600_000, segment: 'vip' });
    expect(byId.get(mona.id)).toMatchObject({ delivered_count: 2, returned_count: 3, segment: 'problematic' });
  });

  it('writes only the customers whose totals changed, and keeps every total exact', async () => {
    const ctx = t.tenantA.ctx;
    const c = await insertCustomer(ctx, { phone: '+201001239990', name: 'Recompute' });
    const stored = () =>
      ctx.db
        .selectFrom('customers')
        .select(['id', 'orders_count', 'lifetime_value_minor', 'last_order_at', 'segment', 'refunds_minor'])
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
    await orders(c, [{ state_code: 45, cod_minor: 120_000, created_at: ago(3) }]);
    expect(await recomputeCustomerAggregates(ctx, [c.id, ahmed.id, hassan.id])).toBe(1);
    const first = await stored();
    expect(first).toMatchObject({ orders_count: 1, lifetime_value_minor: 120_000, segment: 'new' });
    expect(first.last_order_at).not.toBeNull();
    // Nothing changed since: nothing is written.
    expect(await recomputeCustomerAggregates(ctx, [c.id, ahmed.id, hassan.id])).toBe(0);
    // An older refund: the count and refunds change, the last order and the value do not; every total is exact.
    await orders(c, [{ state_code: 45, cod_minor: -5_000, created_at: ago(9) }]);
    expect(await recomputeCustomerAggregates(ctx, [c.id])).toBe(1);
    expect(await stored()).toMatchObject({
      orders_count: 2,
      lifetime_value_minor: 120_000,
      refunds_minor: 5_000,
      last_order_at: first.last_order_at,
      segment: 'new',
    });
    // Another tenant's customer id is never written.
    expect(await recomputeCustomerAggregates(t.tenantB.ctx, [c.id])).toBe(0);
  });

  it('creates a customer from any phone format; 409 with the existing id; 400 for a non-phone', async () => {
    const res = await post('/api/v1/customers', {
      phone: '+20 109 876 5432',
      name: '  Zeinab Omar ',
      email: 'z@example.test',
      city: 'Tanta',
      tags: ['wholesale', 'wholesale', 'vip-lead'],
    });
    expect(res.statusCode, res.body).toBe(201);
    const z = res.json();
    expect(z).toMatchObject({
      phone: '+201098765432',
      name: 'Zeinab Omar',
      tags: ['wholesale', 'vip-lead'],
      ordersCount: 0,
    });
    expect(z).toMatchObject({ lastOrderAt: null, segment: 'new', source: 'manual', returnRate: 0, lifetimeValue: 0 });
    expect((await events('customer.created')).map((e) => e.entity_id)).toContain(String(z.id));
    for (const phone of ['01098765432', '00201098765432']) {
      const dup = await post('/api/v1/customers', { phone, name: 'Again' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error).toMatchObject({ code: 'customer_exists', details: { customerId: z.id } });
    }
    await t.tenantA.ctx.db
      .insertInto('customer_phones')
      .values({ tenant_id: t.tenantA.ctx.tenantId, phone: '+201234567890', customer_id: z.id, kind: 'second' })
      .execute();
    const alias = await post('/api/v1/customers', { phone: '01234567890', name: 'Alias holder' });
    expect(alias.statusCode).toBe(409);
    expect(alias.json().error.details.customerId).toBe(z.id);
    const bad = await post('/api/v1/customers', { phone: 'not a phone', name: 'X' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_phone');
    // Tenant B has its own customer with Ahmed's phone: no conflict across tenants.
    const other = await t.req({
      method: 'POST',
      url: '/api/v1/customers',
      token: await t.tenantB.token('owner'),
      payload: { phone: '01112345678', name: 'Hassan in B' },
    });
    expect(other.statusCode).toBe(201);
  });

  it('changes fields and the phone, refusing a phone another customer holds', async () => {
    const c = (await post('/api/v1/customers', { phone: '01066666666', name: 'Patchy' })).json();
    const res = await patch(`/api/v1/customers/${c.id}`, {
      name: 'Patchy Two',
      phone: '+20 106 666 6667',
      notes: 'likes mornings',
      zone: '',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'Patchy Two',
      phone: '+201066666667',
      notes: 'likes mornings',
      zone: null,
    });
    const updated = await events('customer.updated');
    expect(updated).toHaveLength(1);
    expect(JSON.stringify(updated[0].payload)).toContain('+201066666667');
    expect((await patch(`/api/v1/customers/${c.id}`, { name: 'Patchy Two' })).statusCode).toBe(200);
    expect(await events('customer.updated')).toHaveLength(1);
    const taken = await patch(`/api/v1/customers/${c.id}`, { phone: '01001234567' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.details.customerId).toBe(ahmed.id);
    expect((await patch('/api/v1/customers/999999', { name: 'x' })).statusCode).toBe(404);
    expect((await patch(`/api/v1/customers/${c.id}`, { phone: '12' })).statusCode).toBe(400);
  });

  it('answers the profile by id and by every phone format, with KPIs, categories, addresses and last orders', async () => {
    const byId = await get(`/api/v1/customers/${ahmed.id}`);
    expect(byId.statusCode, byId.body).toBe(200);
    const p = byId.json();
    for (const f of FORMATS) {
      const res = await get(`/api/v1/customers/${encodeURIComponent(f)}`);
      expect(res.statusCode, f).toBe(200);
      expect(res.json().id, f).toBe(ahmed.id);
    }
    expect(p.mergedFrom).toBeNull();
    expect(p.kpis).toEqual({
      orders: 6,
      delivered: 5,
      returned: 1,
      returnRate: round(1 / 6),
      lifetimeValue: 4800,
      refunds: 200,
      averageOrderValue: 1200,
      firstOrderAt: all.find((c) => c.id === ahmed.id)!.first_order_at,
      lastOrderAt: all.find((c) => c.id === ahmed.id)!.last_order_at,
      segment: 'regular',
    });
    const cat = (c: string) => p.byCategory.find((x: { category: string }) => x.category === c);
    expect(cat('real_sale')).toEqual({ category: 'real_sale', orders: 3, cod: 4500 });
    expect(cat('maintenance')).toEqual({ category: 'maintenance', orders: 1, cod: 300 });
    expect(cat('refund')).toEqual({ category: 'refund', orders: 1, cod: -200 });
    expect(p.addresses[0]).toMatchObject({ city: 'Cairo', zone: null, address: null, orders: 3 });
    expect(p.addresses[1]).toMatchObject({ city: 'Cairo', zone: 'Nasr City', address: '1 Nile St', orders: 2 });
    expect(p.addresses.reduce((s: number, a: { orders: number }) => s + a.orders, 0)).toBe(6);
    expect(p.lastOrders).toHaveLength(6);
    const created = p.lastOrders.map((o: { createdAt: string }) => o.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    expect((await get(`/api/v1/customers/${hassan.id}`)).json().lastOrders).toHaveLength(10);
    expect((await get('/api/v1/customers/01009999999')).statusCode).toBe(404);
    const bad = await get('/api/v1/customers/abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_phone');
  });

  it('lists with each filter and pages through each sort completely', async () => {
    const live = (await reload()).filter((c) => c.merged_into_id === null);
    const list = async (q: string, limit = 4) => {
      const ids: number[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(`/api/v1/customers?${q}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode, `${q} ${res.body}`).toBe(200);
        ids.push(...res.json().items.map((c: { id: number }) => c.id));
        cursor = res.json().nextCursor;
      } while (cursor);
      expect(new Set(ids).size).toBe(ids.length);
      return ids;
    };
    const ids = (rows: CustomerRow[]) => rows.map((c) => c.id).sort((x, y) => x - y);
    const cases: Array<[string, (c: CustomerRow) => boolean]> = [
      ['segment=vip', (c) => c.segment === 'vip'],
      ['segment=problematic', (c) => c.segment === 'problematic'],
      ['city=Cairo', (c) => c.city === 'Cairo'],
      ['search=ahmed', (c) => c.name.toLowerCase().startsWith('ahmed')],
      ['search=Fill', (c) => c.name.startsWith('Fill')],
      ['search=50%25', () => false],
      ['minOrders=5', (c) => c.orders_count >= 5],
      ['minLifetimeValue=1000', (c) => c.lifetime_value_minor >= 100_000],
      ['lastOrderDays=12', (c) => c.last_order_at !== null && c.last_order_at >= ago(12)],
      ['hasReturns=true', (c) => c.returned_count > 0],
      ['hasReturns=false&city=Cairo', (c) => c.returned_count === 0 && c.city === 'Cairo'],
    ];
    for (const [q, pred] of cases) {
      expect(
        (await list(q)).sort((x, y) => x - y),
        q,
      ).toEqual(ids(live.filter(pred)));
    }
    for (const f of FORMATS) expect(await list(`search=${encodeURIComponent(f)}`), f).toEqual([ahmed.id]);
    const byLast = await list('sort=-lastOrderAt', 5);
    const expectedLast = [...live].sort(
      (x, y) =>
        (x.last_order_at === null ? 1 : 0) - (y.last_order_at === null ? 1 : 0) ||
        (y.last_order_at ?? '').localeCompare(x.last_order_at ?? '') ||
        y.id - x.id,
    );
    expect(byLast).toEqual(expectedLast.map((c) => c.id));
    expect(await list('', 5)).toEqual(byLast);
    const byLtv = await list('sort=-lifetimeValue', 3);
    expect(byLtv).toEqual(
      [...live].sort((x, y) => y.lifetime_value_minor - x.lifetime_value_minor || y.id - x.id).map((c) => c.id),
    );
    const byOrders = await list('sort=-ordersCount', 6);
    expect(byOrders).toEqual([...live].sort((x, y) => y.orders_count - x.orders_count || y.id - x.id).map((c) => c.id));
    expect((await list('sort=name', 4)).length).toBe(live.length);
    const first = (await get('/api/v1/customers?limit=2')).json();
    expect((await get(`/api/v1/customers?sort=name&cursor=${first.nextCursor}`)).json().error.code).toBe(
      'cursor_sort_mismatch',
    );
  });

  it("pages a customer's orders with filters; 404 for an unknown customer", async () => {
    const res = await get(`/api/v1/customers/${ahmed.id}/orders?limit=4`);
    expect(res.statusCode, res.body).toBe(200);
    const page1 = res.json();
    expect(page1.items).toHaveLength(4);
    const page2 = (await get(`/api/v1/customers/${ahmed.id}/orders?limit=4&cursor=${page1.nextCursor}`)).json();
    expect(page2.items).toHaveLength(2);
    expect(page2.nextCursor).toBeNull();
    const sales = (await get(`/api/v1/customers/${ahmed.id}/orders?category=real_sale`)).json();
    expect(sales.items).toHaveLength(3);
    expect((await get(`/api/v1/customers/${ahmed.id}/orders?state=46`)).json().items).toHaveLength(1);
    const recent = (await get(`/api/v1/customers/${ahmed.id}/orders?createdFrom=${ago(16).slice(0, 10)}`)).json();
    expect(recent.items.length).toBeGreaterThanOrEqual(3);
    expect((await get('/api/v1/customers/999999/orders')).statusCode).toBe(404);
  });

  it('merges a duplicate: orders and phones move, the old phone leads to the survivor, aggregates follow', async () => {
    const ctx = t.tenantA.ctx;
    const dup = await insertCustomer(ctx, { phone: '+201077777777', name: 'Ahmed (old phone)', email: 'old@x.test' });
    const older = await insertCustomer(ctx, { phone: '+201077777778', name: 'Ahmed (older phone)' });
    await orders(dup, [
      { state_code: 45, cod_minor: 200_000, created_at: ago(2) },
      { state_code: 46, cod_minor: 90_000, created_at: ago(1), delivered_at: null },
    ]);
    await recomputeCustomerAggregates(ctx, [dup.id, older.id]);
    await ctx.db
      .insertInto('customer_phones')
      .values({ tenant_id: ctx.tenantId, phone: '+201077777779', customer_id: dup.id, kind: 'second' })
      .execute();
    const first = await post('/api/v1/customers/merge', { survivorId: dup.id, duplicateId: older.id });
    expect(first.statusCode, first.body).toBe(200);

    const res = await post('/api/v1/customers/merge', { survivorId: ahmed.id, duplicateId: dup.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ duplicateId: dup.id, movedOrders: 2, movedPhones: 2 });
    expect(res.json().survivor).toMatchObject({
      id: ahmed.id,
      ordersCount: 8,
      deliveredCount: 6,
      returnedCount: 2,
      lifetimeValue: 6800,
      email: 'old@x.test',
      segment: 'vip',
      lastOrderAt: expect.any(String),
    });
    for (const ref of ['01077777777', '+201077777778', '201077777779', String(dup.id)]) {
      const p = await get(`/api/v1/customers/${ref}`);
      expect(p.statusCode, ref).toBe(200);
      expect(p.json().id, ref).toBe(ahmed.id);
    }
    const viaDup = (await get('/api/v1/customers/01077777777')).json();
    expect(viaDup.mergedFrom).toEqual({ id: dup.id, phone: '+201077777777' });
    expect(viaDup.phones.map((x: { phone: string }) => x.phone).sort()).toEqual([
      '+201077777777',
      '+201077777778',
      '+201077777779',
    ]);
    const rows = await reload();
    expect(rows.find((c) => c.id === dup.id)).toMatchObject({ merged_into_id: ahmed.id, orders_count: 0 });
    expect(rows.find((c) => c.id === older.id)?.merged_into_id).toBe(ahmed.id);
    const moved = await ctx.db.selectFrom('orders').select('id').where('customer_id', '=', dup.id).execute();
    expect(moved).toHaveLength(0);
    const listed = (await get('/api/v1/customers?search=Ahmed&limit=50')).json().items.map((c: { id: number }) => c.id);
    expect(listed).not.toContain(dup.id);
    expect((await get(`/api/v1/customers/${dup.id}/orders`)).json().items).toHaveLength(8);
    expect((await events('customer.merged')).map((e) => e.entity_id)).toContain(String(ahmed.id));
    const again = await post('/api/v1/customers/merge', { survivorId: ahmed.id, duplicateId: dup.id });
    expect(again.statusCode).toBe(422);
    expect(again.json().error.code).toBe('customer_merged');
    const self = await post('/api/v1/customers/merge', { survivorId: ahmed.id, duplicateId: ahmed.id });
    expect(self.json().error.code).toBe('merge_into_itself');
    const dupPatch = await patch(`/api/v1/customers/${dup.id}`, { name: 'x' });
    expect(dupPatch.statusCode).toBe(422);
    const bCustomer = (
      await t.tenantB.ctx.db
        .selectFrom('customers')
        .select('id')
        .where('tenant_id', '=', t.tenantB.ctx.tenantId)
        .executeTakeFirstOrThrow()
    ).id;
    expect((await post('/api/v1/customers/merge', { survivorId: ahmed.id, duplicateId: bCustomer })).statusCode).toBe(
      404,
    );
    const agent = await t.tenantA.token('agent');
    const denied = await t.req({
      method: 'POST',
      url: '/api/v1/customers/merge',
      token: agent,
      payload: { survivorId: 1, duplicateId: 2 },
    });
    expect(denied.statusCode).toBe(403);
  });

  it('describes segments from the tenant settings with counts, and analyses customers', async () => {
    const live = (await reload()).filter((c) => c.merged_into_id === null);
    const seg = (await get('/api/v1/customers/segments')).json();
    expect(seg.total).toBe(live.length);
    for (const item of seg.items) {
      expect(item.customers, item.segment).toBe(live.filter((c) => c.segment === item.segment).length);
    }
    expect(seg.items.find((i: { segment: string }) => i.segment === 'vip').rule).toEqual({
      minOrders: 10,
      minLifetimeValue: 5000,
    });
    const owner = await t.tenantA.token('owner');
    const changed = await t.req({
      method: 'PATCH',
      url: '/api/v1/tenant',
      token: owner,
      payload: { settings: { segments: { vipMinOrders: 7 } } },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const seg2 = (await get('/api/v1/customers/segments')).json();
    expect(seg2.items.find((i: { segment: string }) => i.segment === 'vip').description).toMatch(/^7 orders/);

    const res = await get('/api/v1/customers/analytics');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const figures = (rows: CustomerRow[]) => {
      const orders = rows.reduce((s, c) => s + c.orders_count, 0);
      const ltv = rows.reduce((s, c) => s + Number(c.lifetime_value_minor), 0);
      const delivered = rows.reduce((s, c) => s + c.delivered_count, 0);
      const returned = rows.reduce((s, c) => s + c.returned_count, 0);
      return {
        customers: rows.length,
        averageOrders: rows.length ? round(orders / rows.length, 2) : 0,
        averageLifetimeValue: rows.length ? round(ltv / 100 / rows.length, 2) : 0,
        lifetimeValue: ltv / 100,
        returnRate: delivered + returned ? round(returned / (delivered + returned)) : 0,
      };
    };
    expect(body.overall).toEqual(figures(live));
    for (const s of body.bySegment) {
      expect(s, s.segment).toEqual({ segment: s.segment, ...figures(live.filter((c) => c.segment === s.segment)) });
    }
    const cairo = body.byCity.find((c: { city: string }) => c.city === 'Cairo');
    expect(cairo).toEqual({ city: 'Cairo', ...figures(live.filter((c) => c.city === 'Cairo')) });
    expect(body.byCity[0].customers).toBeGreaterThanOrEqual(body.byCity[body.byCity.length - 1].customers);
  });

  // Last: it adds a customer the tests above do not expect.
  it("shows a profile's newest 10 orders exactly as the customer's order list sorts them, ties included", async () => {
    const many = await insertCustomer(t.tenantA.ctx, { phone: '+201009988776', name: 'Many Orders', city: 'Cairo' });
    // Thirteen orders (oldest first), three pairs of them created at the same instant (the id breaks the tie);
    // the pair of 8 days straddles the cut: its newer half is the 10th newest order, its older half the 11th.
    const at = [9, 9, 8, 8, 7, 6, 5, 4, 3, 3, 2, 1, 0].map((d) => ago(d + 1));
    const inserted = await insertOrders(
      t.tenantA.ctx,
      at.map((created_at, i) => ({
        phone: many.phone,
        customer_id: many.id,
        state_code: 45,
        cod_minor: 10_000 * (i + 1),
        created_at,
      })),
    );
    const profile = await get(`/api/v1/customers/${many.id}`);
    expect(profile.statusCode, profile.body).toBe(200);
    const list = await get(`/api/v1/customers/${many.id}/orders?limit=10`);
    expect(list.statusCode, list.body).toBe(200);
    const ids = (items: Array<{ id: number }>) => items.map((o) => o.id);
    expect(ids(profile.json().lastOrders)).toEqual(ids(list.json().items));
    expect(profile.json().lastOrders).toEqual(list.json().items);
    expect(profile.json().byCategory.reduce((s: number, c: { orders: number }) => s + c.orders, 0)).toBe(13);
    const shown = ids(profile.json().lastOrders);
    expect(shown).toContain(inserted[3].id);
    expect(shown).not.toContain(inserted[2].id);
    expect(shown.indexOf(inserted[9].id)).toBe(shown.indexOf(inserted[8].id) - 1);
  });
});

function round(x: number, digits = 4): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}
