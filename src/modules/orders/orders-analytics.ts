/**
 * Order statistics read from `order_daily_rollups` (kept by ingest), so every figure costs O(days × cities),
 * not O(orders). The orders table is only touched by single index seeks (latest order, state and type names).
 */
import { type ExpressionBuilder, sql } from 'kysely';
import { jsonObjectAgg, parseJson } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { fromMinor } from '../../lib/money.js';
import { monthOf, SUMMARY_MEASURES, type SummaryMeasure } from './analytics-summary.js';
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

const ratio = (a: number, b: number, digits = 4) => (b === 0 ? 0 : Math.round((a / b) * 10 ** digits) / 10 ** digits);
const percentage = (a: number, b: number) => ratio(a * 100, b, 2);

/** Turns summed measures into the API's figures. */
function measures(r: Measures) {
  const { delivered, returned, failed, revenue, refunds } = r;
  const finished = delivered + returned + failed;
  return {
    orders: r.orders,
    delivered,
    returned,
    failed,
    successRate: ratio(delivered, finished),
    returnRate: ratio(returned, finished),
    codRevenue: fromMinor(revenue),
    refunds: fromMinor(refunds),
    net: fromMinor(revenue - refunds),
    averageDeliveryHours: r.hours_count === 0 ? null : Math.round((r.hours_sum / r.hours_count) * 100) / 100,
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

type Measures = Record<
  'orders' | 'delivered' | 'returned' | 'failed' | 'revenue' | 'refunds' | 'hours_sum' | 'hours_count',
  number
>;

const noMeasures = (): Measures => ({
  orders: 0,
  delivered: 0,
  returned: 0,
  failed: 0,
  revenue: 0,
  refunds: 0,
  hours_sum: 0,
  hours_count: 0,
});

function addMeasures(into: Measures, m: Measures): void {
  for (const k of Object.keys(m) as Array<keyof Measures>) into[k] += m[k];
}

function toMeasures(r: Record<SummaryMeasure, number | string | null>): Measures {
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

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The last day (DD) of a month (YYYY-MM). */
function lastDayOf(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? '29' : '28';
  return [4, 6, 9, 11].includes(m) ? '30' : '31';
}

/**
 * A day range as whole months plus the days of the partial months at its edges (each open end counts as
 * whole). `months` bounds are YYYY-MM, each inclusive or not; `days` are inclusive YYYY-MM-DD ranges.
 */
function splitByMonths(from?: string, to?: string) {
  type Bound = { month: string; inclusive: boolean };
  const days: Array<{ from?: string; to?: string }> = [];
  if ((from !== undefined && !DAY.test(from)) || (to !== undefined && !DAY.test(to))) {
    return { months: null, days: [{ from, to }] };
  }
  const fromWhole = from === undefined || from.slice(8) === '01';
  const toWhole = to === undefined || to.slice(8) === lastDayOf(monthOf(to));
  if (from !== undefined && to !== undefined && monthOf(from) === monthOf(to) && !(fromWhole && toWhole)) {
    return { months: null, days: [{ from, to }] };
  }
  let lower: Bound | undefined;
  let upper: Bound | undefined;
  if (from !== undefined) {
    lower = { month: monthOf(from), inclusive: fromWhole };
    if (!fromWhole) days.push({ from, to: `${monthOf(from)}-31` });
  }
  if (to !== undefined) {
    upper = { month: monthOf(to), inclusive: toWhole };
    if (!toWhole) days.push({ from: `${monthOf(to)}-01`, to });
  }
  return { months: { lower, upper }, days };
}

/**
 * Measures per city over a range of days, without a city filter: whole months from the month × city grain,
 * the partial months at the edges from the daily summary.
 */
async function cityMeasures(ctx: TenantCtx, range: RollupRange): Promise<Map<string, Measures>> {
  const by = new Map<string, Measures>();
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) return by;
  const add = (rows: Array<Record<SummaryMeasure, number | string | null> & { city: string }>) => {
    for (const r of rows) {
      const m = by.get(r.city) ?? noMeasures();
      addMeasures(m, toMeasures(r));
      by.set(r.city, m);
    }
  };
  const { months, days } = splitByMonths(range.from, range.to);
  const sums = (eb: ExpressionBuilder<DB, 'order_monthly_city_summary' | 'order_daily_summary'>) =>
    SUMMARY_MEASURES.map((m) => eb.fn.sum<number>(m).as(m));
  if (months) {
    let q = ctx.db.selectFrom('order_monthly_city_summary').where('tenant_id', '=', ctx.tenantId);
    if (months.lower) q = q.where('month', months.lower.inclusive ? '>=' : '>', months.lower.month);
    if (months.upper) q = q.where('month', months.upper.inclusive ? '<=' : '<', months.upper.month);
    add(await q.select('city').select(sums).groupBy('city').execute());
  }
  for (const d of days) {
    let q = ctx.db.selectFrom('order_daily_summary').where('tenant_id', '=', ctx.tenantId);
    if (d.from !== undefined) q = q.where('day', '>=', d.from);
    if (d.to !== undefined) q = q.where('day', '<=', d.to);
    add(await q.select('city').select(sums).groupBy('city').execute());
  }
  return by;
}

type DayRow = Record<SummaryMeasure, number | string | null> & { day: string; categories: unknown };

/**
 * One row per day of a range, in day order: the measures summed over the day's categories and the orders per
 * category as a JSON object. From the all-cities day × category grain, or with a city filter from that city's
 * rows of the daily summary (one per day and category, read through its city index).
 */
async function dailySeries(ctx: TenantCtx, range: RollupRange): Promise<DayRow[]> {
  const where = [sql`tenant_id = ${ctx.tenantId}`];
  if (range.city !== undefined) where.push(sql`city = ${range.city}`);
  if (range.from) where.push(sql`day >= ${range.from}`);
  if (range.to) where.push(sql`day <= ${range.to}`);
  const table = range.city === undefined ? 'order_daily_category_summary' : 'order_daily_summary';
  const sums = SUMMARY_MEASURES.map((m) => sql`sum(${sql.ref(m)}) as ${sql.ref(m)}`);
  const r =
    await sql<DayRow>`select day, ${sql.join(sums)}, ${jsonObjectAgg(ctx.dialect, 'category', 'orders')} as categories
    from ${sql.table(table)} where ${sql.join(where, sql` and `)} group by day order by day`.execute(ctx.db);
  return r.rows;
}

/**
 * Totals, by city, by day and by day × category. Nothing is grouped per request beyond a few hundred rows:
 * the day series reads the day × category grain (all cities) kept at ingest, the city breakdown the
 * month × city grain plus the daily summary for the partial months at the range's edges. With a city filter
 * the day series is that city's rows of the daily summary (an index range) and the breakdown their total.
 * Every figure equals the same sums over `order_daily_summary`.
 */
export async function orderAnalytics(ctx: TenantCtx, range: RollupRange) {
  const rows = await dailySeries(ctx, range);
  const totals = noMeasures();
  const byDay = rows.map((r) => {
    const m = toMeasures(r);
    addMeasures(totals, m);
    return { day: r.day, ...measures(m) };
  });
  const cities =
    range.city === undefined ? await cityMeasures(ctx, range) : new Map(rows.length > 0 ? [[range.city, totals]] : []);
  return {
    from: range.from ?? null,
    to: range.to ?? null,
    city: range.city ?? null,
    totals: measures(totals),
    byCity: [...cities.entries()]
      .map(([city, m]) => ({ city, ...measures(m) }))
      .sort((a, b) => b.orders - a.orders || a.city.localeCompare(b.city)),
    byDay,
    /** Orders per day split by category (for the "orders per day by category" chart). */
    byDayCategory: rows.map((r) => ({ day: r.day, categories: parseJson<Record<string, number>>(r.categories, {}) })),
  };
}
