/**
 * `GET /orders/analytics` reads coarser grains of the daily summary (day × category, month × city) kept at
 * ingest. These tests hold it to the figures computed straightforwardly — from the summary's own rows and from
 * the orders themselves — for whole and partial months, open ends, empty and reversed ranges and city filters,
 * after orders were added and changed through the same delta path ingest uses. Delivery times are whole
 * quarter hours, so every sum of hours is exact in floating point and the figures can be compared exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { testDialects } from '../../../../test/support/databases.js';
import {
  insertOrders,
  localDay,
  type OrderRowOf,
  type OrderSeed,
  orderRow,
} from '../../../../test/support/order-fixtures.js';
import * as migration0010 from '../../../platform/db/migrations/20261121_0010_analytics_summaries.js';
import { inTransaction, type TenantCtx } from '../../../platform/db/tenant-ctx.js';
import { rebuildAnalyticsSummaries } from '../analytics-summary.js';
import { classifyOrder } from '../classify-order.js';
import { RollupDeltas, type RollupFacts } from '../order-rollups.js';
import { applyRollupDeltas } from '../orders.write.js';
import { bumpSummaryVersion } from '../summary-answers.js';
import { connectDatabase } from '../../../platform/db/connect.js';

const TZ = 'Africa/Cairo';
const HOUR = 3_600_000;
const QUARTER = HOUR / 4;
const START = Date.UTC(2026, 0, 20, 5, 30);
const CITIES = ['Cairo', 'Giza', 'Alexandria', null];
const STATES = [45, 45, 46, 47, 48, 10, 45, 24, 49, 100, 45, 101];
const TYPES = [10, 10, 10, 25, 30, 20];
const CODS = [150_000, 30_000, 0, -20_000, 75_050, 45_025, 99_900];
const FAILED = [48, 49, 100, 101];
const REVENUE = ['real_sale', 'maintenance'];

interface Sums {
  orders: number;
  delivered: number;
  returned: number;
  failed: number;
  revenue: number;
  refunds: number;
  hoursSum: number;
  hoursCount: number;
}

/** One row of the day × city × category grain, however it was obtained. */
interface Cell extends Sums {
  day: string;
  city: string;
  category: string;
}

interface Range {
  from?: string;
  to?: string;
  city?: string;
}

const zero = (): Sums => ({
  orders: 0,
  delivered: 0,
  returned: 0,
  failed: 0,
  revenue: 0,
  refunds: 0,
  hoursSum: 0,
  hoursCount: 0,
});

function add(into: Sums, s: Sums): Sums {
  for (const k of Object.keys(into) as Array<keyof Sums>) into[k] += s[k];
  return into;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** The API's figures of summed measures. */
function figures(s: Sums) {
  const finished = s.delivered + s.returned + s.failed;
  return {
    orders: s.orders,
    delivered: s.delivered,
    returned: s.returned,
    failed: s.failed,
    successRate: finished ? round(s.delivered / finished, 4) : 0,
    returnRate: finished ? round(s.returned / finished, 4) : 0,
    codRevenue: s.revenue / 100,
    refunds: s.refunds / 100,
    net: (s.revenue - s.refunds) / 100,
    averageDeliveryHours: s.hoursCount ? round(s.hoursSum / s.hoursCount, 2) : null,
  };
}

/** What analytics answers for a range, computed by filtering and grouping cells in memory. */
function expected(cells: Cell[], range: Range) {
  const rows = cells.filter(
    (c) =>
      (!range.from || c.day >= range.from) &&
      (!range.to || c.day <= range.to) &&
      (range.city === undefined || c.city === range.city),
  );
  const group = (key: (c: Cell) => string) => {
    const by = new Map<string, Sums>();
    for (const c of rows) by.set(key(c), add(by.get(key(c)) ?? zero(), c));
    return by;
  };
  const days = [...group((c) => c.day).entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const categories = new Map<string, Record<string, number>>();
  for (const c of rows) {
    const m = categories.get(c.day) ?? {};
    m[c.category] = (m[c.category] ?? 0) + c.orders;
    categories.set(c.day, m);
  }
  return {
    from: range.from ?? null,
    to: range.to ?? null,
    city: range.city ?? null,
    totals: figures(rows.reduce((s, c) => add(s, c), zero())),
    byCity: [...group((c) => c.city).entries()]
      .map(([city, s]) => ({ city, ...figures(s) }))
      .sort((a, b) => b.orders - a.orders || a.city.localeCompare(b.city)),
    byDay: days.map(([day, s]) => ({ day, ...figures(s) })),
    byDayCategory: days.map(([day]) => ({ day, categories: categories.get(day) })),
  };
}

/** Each order as a cell of its own, measured straight from its columns. */
function cellOfOrder(o: OrderRowOf): Cell {
  const cod = Number(o.cod_minor);
  return {
    day: localDay(o.created_at, TZ),
    city: o.city ?? '',
    category: o.category,
    orders: 1,
    delivered: o.state_code === 45 ? 1 : 0,
    returned: o.state_code === 46 ? 1 : 0,
    failed: FAILED.includes(o.state_code) ? 1 : 0,
    revenue: REVENUE.includes(o.category) ? cod : 0,
    refunds: o.category === 'refund' && o.state_code === 45 ? -cod : 0,
    hoursSum: o.delivery_hours ?? 0,
    hoursCount: o.delivery_hours === null ? 0 : 1,
  };
}

/** An answer without the cells that no order fills any more (the summary keeps them, with zeros). */
function withoutEmpty(a: ReturnType<typeof expected>) {
  const present = new Set(a.byDay.filter((d) => d.orders > 0).map((d) => d.day));
  return {
    ...a,
    byCity: a.byCity.filter((c) => c.orders > 0),
    byDay: a.byDay.filter((d) => present.has(d.day)),
    byDayCategory: a.byDayCategory
      .filter((d) => present.has(d.day))
      .map((d) => ({
        day: d.day,
        categories: Object.fromEntries(Object.entries(d.categories ?? {}).filter(([, n]) => n > 0)),
      })),
  };
}

function seedOf(i: number): OrderSeed {
  const createdAt = new Date(START + i * 9.5 * HOUR).toISOString();
  const state = STATES[i % STATES.length];
  return {
    created_at: createdAt,
    updated_at: createdAt,
    state_code: state,
    type_code: TYPES[i % TYPES.length],
    cod_minor: CODS[i % CODS.length],
    city: CITIES[i % CITIES.length],
    delivered_at: state === 45 ? new Date(Date.parse(createdAt) + (40 + (i % 97)) * QUARTER).toISOString() : null,
  };
}

const factsOf = (o: OrderRowOf): RollupFacts => ({
  createdAt: o.created_at,
  city: o.city,
  stateCode: o.state_code,
  category: o.category,
  typeCode: o.type_code,
  codMinor: Number(o.cod_minor),
  deliveryHours: o.delivery_hours,
});

/** New orders written the way ingest writes them: the row, then its rollup deltas in the same transaction. */
async function ingestNew(ctx: TenantCtx, seeds: OrderSeed[]): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const deltas = new RollupDeltas(TZ);
    for (const s of seeds) {
      const o = await tx.db.insertInto('orders').values(orderRow(tx, s)).returningAll().executeTakeFirstOrThrow();
      deltas.add(factsOf(o), 1);
    }
    await applyRollupDeltas(tx, deltas);
    await bumpSummaryVersion(tx);
  });
}

/** Changes stored orders as a newer courier version would: old facts subtracted, new ones added. */
async function ingestChanges(ctx: TenantCtx, changes: Array<{ order: OrderRowOf; seed: OrderSeed }>): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const deltas = new RollupDeltas(TZ);
    for (const { order, seed } of changes) {
      const next = { ...order, ...seed } as OrderRowOf;
      next.category = classifyOrder(
        { typeCode: next.type_code, stateCode: next.state_code, codMinor: Number(next.cod_minor) },
        500,
      ).category;
      next.delivery_hours = next.delivered_at
        ? Math.round(((Date.parse(next.delivered_at) - Date.parse(next.created_at)) / HOUR) * 100) / 100
        : null;
      await tx.db
        .updateTable('orders')
        .set({
          state_code: next.state_code,
          cod_minor: next.cod_minor,
          city: next.city,
          delivered_at: next.delivered_at,
          delivery_hours: next.delivery_hours,
          category: next.category,
        })
        .where('tenant_id', '=', tx.tenantId)
        .where('id', '=', order.id)
        .execute();
      deltas.add(factsOf(order), -1);
      deltas.add(factsOf(next), 1);
    }
    await applyRollupDeltas(tx, deltas);
    await bumpSummaryVersion(tx);
  });
}

async function summaryCells(ctx: TenantCtx): Promise<Cell[]> {
  const rows = await ctx.db
    .selectFrom('order_daily_summary')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .execute();
  return rows.map((r) => ({
    day: r.day,
    city: r.city,
    category: r.category,
    orders: Number(r.orders),
    delivered: Number(r.delivered),
    returned: Number(r.returned),
    failed: Number(r.failed),
    revenue: Number(r.revenue_minor),
    refunds: Number(r.refunds_minor),
    hoursSum: Number(r.delivery_hours_sum),
    hoursCount: Number(r.delivery_hours_count),
  }));
}

async function orderCells(ctx: TenantCtx): Promise<Cell[]> {
  const rows = await ctx.db.selectFrom('orders').selectAll().where('tenant_id', '=', ctx.tenantId).execute();
  return rows.map(cellOfOrder);
}

/** Both grains of a tenant, in key order. */
async function grains(ctx: TenantCtx) {
  return {
    days: await ctx.db
      .selectFrom('order_daily_category_summary')
      .selectAll()
      .where('tenant_id', '=', ctx.tenantId)
      .orderBy('day')
      .orderBy('category')
      .execute(),
    months: await ctx.db
      .selectFrom('order_monthly_city_summary')
      .selectAll()
      .where('tenant_id', '=', ctx.tenantId)
      .orderBy('month')
      .orderBy('city')
      .execute(),
  };
}

const RANGES: Range[] = [
  {},
  { from: '2026-02-01', to: '2026-04-30' },
  { from: '2026-01-25', to: '2026-04-12' },
  { from: '2026-02-03', to: '2026-02-20' },
  { from: '2026-03-01', to: '2026-03-31' },
  { from: '2026-02-28', to: '2026-03-01' },
  { from: '2026-03-15' },
  { from: '2026-03-01' },
  { to: '2026-03-15' },
  { to: '2026-02-28' },
  { from: '2026-04-10', to: '2026-03-10' },
  { from: '2030-01-01' },
  { city: 'Giza' },
  { city: 'Cairo', from: '2026-01-25', to: '2026-04-12' },
  { city: 'Alexandria', from: '2026-02-01', to: '2026-02-28' },
  { city: 'Nowhere' },
];

const query = (r: Range) => new URLSearchParams(Object.entries(r) as Array<[string, string]>).toString();

describe.each(testDialects())('order analytics from the summary grains (%s)', (dialect) => {
  let t: TestApp;
  let a: TenantCtx;
  let b: TenantCtx;
  const analytics = async (ctx: TenantCtx, r: Range) => {
    const token = await (ctx === a ? t.tenantA : t.tenantB).token('manager');
    const res = await t.req({ method: 'GET', url: `/api/v1/orders/analytics?${query(r)}`, token });
    expect(res.statusCode, res.body).toBe(200);
    const { currency, ...body } = res.json();
    expect(currency).toBe('EGP');
    return body;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = t.tenantA.ctx;
    b = t.tenantB.ctx;
    // A base loaded in bulk (rollups, summary and grains rebuilt), then new orders and changes through the
    // delta path of ingest: orders move between states, categories and cities, leaving some cells empty.
    const base = await insertOrders(
      a,
      Array.from({ length: 180 }, (_, i) => seedOf(i)),
      TZ,
    );
    await insertOrders(
      b,
      Array.from({ length: 40 }, (_, i) => seedOf(i * 7 + 3)),
      TZ,
    );
    await ingestNew(
      a,
      Array.from({ length: 120 }, (_, i) => seedOf(180 + i)),
    );
    await ingestNew(
      b,
      Array.from({ length: 30 }, (_, i) => seedOf(i * 5)),
    );
    const changed = base.filter((_, i) => i % 3 === 0);
    await ingestChanges(
      a,
      changed.map((order, i) => {
        const delivered = i % 2 === 0;
        return {
          order,
          seed: {
            state_code: delivered ? 45 : i % 4 === 1 ? 46 : 49,
            delivered_at: delivered
              ? new Date(Date.parse(order.created_at) + (30 + (i % 11)) * QUARTER).toISOString()
              : null,
            city: i % 5 === 0 ? CITIES[(i + 1) % CITIES.length] : order.city,
            cod_minor: i % 7 === 0 ? -Number(order.cod_minor) || 10_000 : order.cod_minor,
          },
        };
      }),
    );
  });
  afterAll(async () => t?.close());

  it('answers exactly what grouping the daily summary gives, for every kind of range and city filter', async () => {
    const cells = await summaryCells(a);
    for (const r of RANGES) {
      expect(await analytics(a, r), JSON.stringify(r)).toEqual(expected(cells, r));
    }
    const cellsB = await summaryCells(b);
    for (const r of [RANGES[0], RANGES[2], RANGES[13]]) {
      expect(await analytics(b, r), JSON.stringify(r)).toEqual(expected(cellsB, r));
    }
  });

  it('answers what the orders themselves add up to', async () => {
    const orders = await orderCells(a);
    expect(orders).toHaveLength(300);
    for (const r of RANGES) {
      expect(withoutEmpty(await analytics(a, r)), JSON.stringify(r)).toEqual(withoutEmpty(expected(orders, r)));
    }
    const all = await analytics(a, {});
    expect(all.totals.orders).toBe(300);
    expect(all.byCity.map((c: { city: string }) => c.city).sort()).toEqual(['', 'Alexandria', 'Cairo', 'Giza']);
    const none = await analytics(a, { from: '2026-04-10', to: '2026-03-10' });
    expect(none).toMatchObject({ totals: { orders: 0 }, byCity: [], byDay: [], byDayCategory: [] });
  });

  // After the answers above: a rebuild rewrites the grains, which must not change them.
  it('keeps the grains equal to a rebuild from the summary, per tenant', async () => {
    for (const ctx of [a, b]) {
      const incremental = await grains(ctx);
      expect(incremental.days.length).toBeGreaterThan(50);
      expect(incremental.months.length).toBeGreaterThan(8);
      await rebuildAnalyticsSummaries(ctx);
      expect(await grains(ctx)).toEqual(incremental);
    }
    const cells = await summaryCells(a);
    expect(cells.some((c) => c.orders === 0)).toBe(true);
  });

  it('serves a kept answer until the summaries change, whichever process changed them', async () => {
    const r = { from: '2026-02-01' };
    const first = await analytics(a, r);
    const cell = await a.db
      .selectFrom('order_daily_category_summary')
      .select(['day', 'category'])
      .where('tenant_id', '=', a.tenantId)
      .where('day', '>=', r.from)
      .orderBy('day')
      .executeTakeFirstOrThrow();
    const nudge = (by: number) =>
      a.db
        .updateTable('order_daily_category_summary')
        .set((eb) => ({ orders: eb('orders', '+', by) }))
        .where('tenant_id', '=', a.tenantId)
        .where('day', '=', cell.day)
        .where('category', '=', cell.category)
        .execute();
    // A write that does not move the version (no writer of the app does that) is not seen: the answer is kept.
    await nudge(1000);
    expect(await analytics(a, r)).toEqual(first);
    // Another tenant's answers are its own, and an other range is another question.
    const bAnswer = await analytics(b, r);
    expect(bAnswer.totals.orders).not.toBe(first.totals.orders + 1000);
    expect((await analytics(a, { from: cell.day, to: '2030-12-31' })).totals.orders).toBeGreaterThan(1000);
    // Another process (its own connection) moves the version in its transaction: the change shows at once.
    const other = connectDatabase(t.databaseUrl);
    try {
      const ctx = { tenantId: a.tenantId, db: other.db, dialect: other.dialect };
      await inTransaction(ctx, (tx) => bumpSummaryVersion(tx));
      expect((await analytics(a, r)).totals.orders).toBe(first.totals.orders + 1000);
      await nudge(-1000);
      await inTransaction(ctx, (tx) => bumpSummaryVersion(tx));
    } finally {
      await other.close();
    }
    expect(await analytics(a, r)).toEqual(first);
    expect(await analytics(b, r)).toEqual(bAnswer);
  });

  it('migration 0010 backfills the grains from an existing summary', async () => {
    const before = { a: await grains(a), b: await grains(b) };
    const db = t.ctx.database.db;
    await db.schema.dropIndex('order_daily_summary_city').execute();
    await db.schema.dropTable('order_daily_category_summary').execute();
    await db.schema.dropTable('order_monthly_city_summary').execute();
    await migration0010.up(db, t.ctx.database.dialect);
    expect({ a: await grains(a), b: await grains(b) }).toEqual(before);
  });
});
