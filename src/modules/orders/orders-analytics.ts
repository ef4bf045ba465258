/**
 * Order statistics read from `order_daily_rollups` (kept by ingest), so every figure costs O(days × cities),
 * not O(orders). The orders table is only touched by single index seeks (latest order, state and type names).
 */
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { fromMinor } from '../../lib/money.js';
import { ORDER_CATEGORIES, STATE_DELIVERED, STATE_RETURNED } from './classify-order.js';
import { FAILED_FINAL_STATES, REVENUE_CATEGORIES } from './daily-summary.js';
import { latestOrder } from './orders.repo.js';

/** Days (YYYY-MM-DD, tenant time zone, inclusive) and a city the rollups are narrowed to. */
export interface RollupRange {
  from?: string;
  to?: string;
  city?: string;
}

const CANCELLED_STATES = [48, 49];
const FINAL_STATES = [STATE_DELIVERED, STATE_RETURNED, ...FAILED_FINAL_STATES];

interface MeasureRow {
  orders: number | string;
  delivered: number | string;
  returned: number | string;
  failed: number | string;
  revenue: number | string;
  refunds: number | string;
  hours_sum: number | string;
  hours_count: number | string;
}

const ratio = (a: number, b: number, digits = 4) => (b === 0 ? 0 : Math.round((a / b) * 10 ** digits) / 10 ** digits);
const percentage = (a: number, b: number) => ratio(a * 100, b, 2);

/** Turns a row of summed measures into the API's figures. */
function measures(r: MeasureRow) {
  const delivered = Number(r.delivered);
  const returned = Number(r.returned);
  const failed = Number(r.failed);
  const finished = delivered + returned + failed;
  const revenue = Number(r.revenue);
  const refunds = Number(r.refunds);
  const hoursCount = Number(r.hours_count);
  return {
    orders: Number(r.orders),
    delivered,
    returned,
    failed,
    successRate: ratio(delivered, finished),
    returnRate: ratio(returned, finished),
    codRevenue: fromMinor(revenue),
    refunds: fromMinor(refunds),
    net: fromMinor(revenue - refunds),
    averageDeliveryHours: hoursCount === 0 ? null : Math.round((Number(r.hours_sum) / hoursCount) * 100) / 100,
  };
}

function rollups(ctx: TenantCtx, range: RollupRange) {
  let q = ctx.db.selectFrom('order_daily_rollups').where('order_daily_rollups.tenant_id', '=', ctx.tenantId);
  if (range.from) q = q.where('day', '>=', range.from);
  if (range.to) q = q.where('day', '<=', range.to);
  if (range.city !== undefined) q = q.where('city', '=', range.city);
  return q;
}

/** Rollups summed per (state, category, type): a few hundred rows at most, the base of stats, states and categories. */
async function breakdown(ctx: TenantCtx, range: RollupRange) {
  const rows = await rollups(ctx, range)
    .select((eb) => [
      'state_code',
      'category',
      'type_code',
      eb.fn.sum<number>('orders').as('orders'),
      eb.fn.sum<number>('cod_minor').as('cod'),
    ])
    .groupBy(['state_code', 'category', 'type_code'])
    .execute();
  return rows.map((r) => ({
    stateCode: r.state_code,
    category: r.category,
    typeCode: r.type_code,
    orders: Number(r.orders),
    codMinor: Number(r.cod),
  }));
}

type BreakdownRow = Awaited<ReturnType<typeof breakdown>>[number];

function groupShares<K extends string | number>(rows: BreakdownRow[], keyOf: (r: BreakdownRow) => K) {
  const total = rows.reduce((s, r) => s + r.orders, 0);
  const by = new Map<K, { orders: number; codMinor: number }>();
  for (const r of rows) {
    const g = by.get(keyOf(r)) ?? { orders: 0, codMinor: 0 };
    g.orders += r.orders;
    g.codMinor += r.codMinor;
    by.set(keyOf(r), g);
  }
  return { total, by };
}

function categoryShares(rows: BreakdownRow[]) {
  const { total, by } = groupShares(rows, (r) => r.category);
  return ORDER_CATEGORIES.map((category) => {
    const g = by.get(category) ?? { orders: 0, codMinor: 0 };
    return { category, orders: g.orders, cod: fromMinor(g.codMinor), percentage: percentage(g.orders, total) };
  });
}

/** Headline totals: volumes by outcome, money, unique customers, the latest order, the category split. */
export async function orderStats(ctx: TenantCtx, range: RollupRange) {
  const rows = await breakdown(ctx, range);
  const count = (pred: (r: BreakdownRow) => boolean) => rows.filter(pred).reduce((s, r) => s + r.orders, 0);
  const minor = (pred: (r: BreakdownRow) => boolean) => rows.filter(pred).reduce((s, r) => s + r.codMinor, 0);
  const revenue = minor((r) => (REVENUE_CATEGORIES as readonly string[]).includes(r.category));
  const refunds = -minor((r) => r.category === 'refund' && r.stateCode === STATE_DELIVERED);
  const customers = await ctx.db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', ctx.tenantId)
    .where('merged_into_id', 'is', null)
    .where('orders_count', '>', 0)
    .executeTakeFirstOrThrow();
  return {
    orders: count(() => true),
    delivered: count((r) => r.stateCode === STATE_DELIVERED),
    returned: count((r) => r.stateCode === STATE_RETURNED),
    cancelled: count((r) => CANCELLED_STATES.includes(r.stateCode)),
    inProgress: count((r) => !FINAL_STATES.includes(r.stateCode)),
    codRevenue: fromMinor(revenue),
    refunds: fromMinor(refunds),
    net: fromMinor(revenue - refunds),
    uniqueCustomers: Number(customers.n),
    latestOrder: await latestOrder(ctx),
    byCategory: categoryShares(rows),
  };
}

/** The name the courier gives a state or type code, from the newest order carrying it (one index seek each). */
async function namesOf(ctx: TenantCtx, column: 'state_code' | 'type_code', codeList: number[]) {
  const names = new Map<number, string>();
  for (const code of codeList) {
    const r = await ctx.db
      .selectFrom('orders')
      .select(column === 'state_code' ? 'state_name as name' : 'type_name as name')
      .where('tenant_id', '=', ctx.tenantId)
      .where(column, '=', code)
      // Any row with the code names it. No ORDER BY: sorted by time, SQLite without statistics walks the creation
      // index across every order to find a rare state (seconds at a million orders).
      .limit(1)
      .executeTakeFirst();
    names.set(code, r?.name ?? String(code));
  }
  return names;
}

/** Orders and COD per state code and per type code, with their share of all orders. */
export async function orderStates(ctx: TenantCtx, range: RollupRange) {
  const rows = await breakdown(ctx, range);
  const states = groupShares(rows, (r) => r.stateCode);
  const types = groupShares(rows, (r) => r.typeCode);
  const stateNames = await namesOf(ctx, 'state_code', [...states.by.keys()]);
  const typeNames = await namesOf(ctx, 'type_code', [...types.by.keys()]);
  const share = (g: { orders: number; codMinor: number }) => ({
    orders: g.orders,
    cod: fromMinor(g.codMinor),
    percentage: percentage(g.orders, states.total),
  });
  return {
    total: states.total,
    byState: [...states.by.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([stateCode, g]) => ({ stateCode, stateName: stateNames.get(stateCode)!, ...share(g) })),
    byType: [...types.by.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([typeCode, g]) => ({ typeCode, typeName: typeNames.get(typeCode)!, ...share(g) })),
  };
}

/** Aggregates per business category, every category listed (zeros included). */
export async function orderCategories(ctx: TenantCtx, range: RollupRange) {
  const rows = await breakdown(ctx, range);
  const total = rows.reduce((s, r) => s + r.orders, 0);
  const outcome = (category: string, state: number) =>
    rows.filter((r) => r.category === category && r.stateCode === state).reduce((s, r) => s + r.orders, 0);
  return {
    total,
    items: categoryShares(rows).map((c) => ({
      ...c,
      delivered: outcome(c.category, STATE_DELIVERED),
      returned: outcome(c.category, STATE_RETURNED),
    })),
  };
}

const SUMMARY_MEASURES = [
  'orders',
  'delivered',
  'returned',
  'failed',
  'revenue_minor',
  'refunds_minor',
  'delivery_hours_sum',
  'delivery_hours_count',
] as const;

type Measures = Record<
  'orders' | 'delivered' | 'returned' | 'failed' | 'revenue' | 'refunds' | 'hours_sum' | 'hours_count',
  number
>;

function summary(ctx: TenantCtx, range: RollupRange) {
  let q = ctx.db.selectFrom('order_daily_summary').where('tenant_id', '=', ctx.tenantId);
  if (range.from) q = q.where('day', '>=', range.from);
  if (range.to) q = q.where('day', '<=', range.to);
  if (range.city !== undefined) q = q.where('city', '=', range.city);
  return q.select((eb) => SUMMARY_MEASURES.map((m) => eb.fn.sum<number>(m).as(m)));
}

function toMeasures(r: Record<(typeof SUMMARY_MEASURES)[number], number | string | null>): Measures {
  const n = (v: number | string | null) => Number(v ?? 0);
  return {
    orders: n(r.orders),
    delivered: n(r.delivered),
    returned: n(r.returned),
    failed: n(r.failed),
    revenue: n(r.revenue_minor),
    refunds: n(r.refunds_minor),
    hours_sum: n(r.delivery_hours_sum),
    hours_count: n(r.delivery_hours_count),
  };
}

/**
 * Totals, by city, by day and by day × category, from the daily summary (day × city × category with the
 * outcome measures precomputed at ingest). The database sums (two grouped passes); only a row per city and a
 * row per day × category come back, however many orders there are.
 */
export async function orderAnalytics(ctx: TenantCtx, range: RollupRange) {
  const cities = await summary(ctx, range).select('city').groupBy('city').execute();
  const cells = await summary(ctx, range)
    .select(['day', 'category'])
    .groupBy(['day', 'category'])
    .orderBy('day')
    .execute();
  const totals = toMeasures({
    orders: 0,
    delivered: 0,
    returned: 0,
    failed: 0,
    revenue_minor: 0,
    refunds_minor: 0,
    delivery_hours_sum: 0,
    delivery_hours_count: 0,
  });
  const byDay = new Map<string, Measures>();
  const byDayCategory = new Map<string, Record<string, number>>();
  for (const c of cells) {
    const m = toMeasures(c);
    const day =
      byDay.get(c.day) ??
      toMeasures({
        orders: 0,
        delivered: 0,
        returned: 0,
        failed: 0,
        revenue_minor: 0,
        refunds_minor: 0,
        delivery_hours_sum: 0,
        delivery_hours_count: 0,
      });
    for (const k of Object.keys(m) as Array<keyof Measures>) {
      day[k] += m[k];
      totals[k] += m[k];
    }
    byDay.set(c.day, day);
    const cats = byDayCategory.get(c.day) ?? {};
    cats[c.category] = m.orders;
    byDayCategory.set(c.day, cats);
  }
  const days = [...byDay.keys()];
  return {
    from: range.from ?? null,
    to: range.to ?? null,
    city: range.city ?? null,
    totals: measures(totals),
    byCity: cities
      .map((c) => ({ city: c.city, ...measures(toMeasures(c)) }))
      .sort((a, b) => b.orders - a.orders || a.city.localeCompare(b.city)),
    byDay: days.map((day) => ({ day, ...measures(byDay.get(day)!) })),
    /** Orders per day split by category (for the "orders per day by category" chart). */
    byDayCategory: days.map((day) => ({ day, categories: byDayCategory.get(day)! })),
  };
}
