/**
 * Coarser grains of `order_daily_summary` for the analytics dashboard, kept exact in the same transaction as
 * the summary itself:
 *
 * - `order_daily_category_summary`: day × category over all cities (the daily series, the category split,
 *   the totals), a few rows per day instead of a few per day and city;
 * - `order_monthly_city_summary`: month × city over all categories (the city breakdown over whole months; the
 *   partial months at the edges of a range are read from the daily summary).
 *
 * Each row is the sum of the summary rows of its group, and exists exactly when one of them exists (a summary
 * cell that became all zeros still lists its day and city), so every figure equals a grouping of the summary.
 */
import { sql } from 'kysely';
import { bulkInsert } from '../../platform/db/bulk.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import type { SummaryDelta } from './order-rollups.js';

/** The measures every summary grain carries, in column order. */
export const SUMMARY_MEASURES = [
  'orders',
  'delivered',
  'returned',
  'failed',
  'revenue_minor',
  'refunds_minor',
  'delivery_hours_sum',
  'delivery_hours_count',
] as const;

export type SummaryMeasure = (typeof SUMMARY_MEASURES)[number];

/** The month (YYYY-MM) of a day (YYYY-MM-DD). */
export const monthOf = (day: string) => day.slice(0, 7);

/** A summary delta's measures in `SUMMARY_MEASURES` order. */
export function summaryMeasuresOf(d: SummaryDelta): number[] {
  return [d.orders, d.delivered, d.returned, d.failed, d.revenueMinor, d.refundsMinor, d.hoursSum, d.hoursCount];
}

/** Sums the deltas per (a, b) key, sorted by key so concurrent writers lock rows in the same order. */
function grouped(
  deltas: SummaryDelta[],
  keyOf: (d: SummaryDelta) => [string, string],
): Array<[string, string, number[]]> {
  const by = new Map<string, [string, string, number[]]>();
  for (const d of deltas) {
    const [a, b] = keyOf(d);
    const key = `${a}\u0000${b}`;
    const m = summaryMeasuresOf(d);
    const cur = by.get(key);
    if (!cur) by.set(key, [a, b, m]);
    else for (let i = 0; i < m.length; i++) cur[2][i] += m[i];
  }
  return [...by.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).map(([, v]) => v);
}

async function upsertGrain(
  ctx: TenantCtx,
  table: 'order_daily_category_summary' | 'order_monthly_city_summary',
  keys: [string, string],
  rows: Array<[string, string, number[]]>,
): Promise<void> {
  await bulkInsert(
    ctx.db,
    ctx.dialect,
    table,
    ['tenant_id', ...keys, ...SUMMARY_MEASURES],
    rows.map(([a, b, m]) => [ctx.tenantId, a, b, ...m]),
    {
      conflict: ['tenant_id', ...keys],
      update: Object.fromEntries(SUMMARY_MEASURES.map((c) => [c, `${table}.${c} + excluded.${c}`])),
    },
  );
}

/**
 * Adds the changes of daily summary cells to the coarser grains. Every group a changed cell belongs to is
 * written, even when its own sum is zero, so a group row exists whenever one of its summary rows does.
 */
export async function applyAnalyticsSummaryDeltas(ctx: TenantCtx, summary: SummaryDelta[]): Promise<void> {
  if (summary.length === 0) return;
  await upsertGrain(
    ctx,
    'order_daily_category_summary',
    ['day', 'category'],
    grouped(summary, (d) => [d.day, d.category]),
  );
  await upsertGrain(
    ctx,
    'order_monthly_city_summary',
    ['month', 'city'],
    grouped(summary, (d) => [monthOf(d.day), d.city]),
  );
}

const sums = sql.raw(SUMMARY_MEASURES.map((c) => `sum(${c})`).join(', '));
const columns = sql.raw(SUMMARY_MEASURES.join(', '));

/** Rebuilds a tenant's coarser grains from its daily summary (after the summary itself was rebuilt). */
export async function rebuildAnalyticsSummaries(ctx: TenantCtx): Promise<void> {
  await ctx.db.deleteFrom('order_daily_category_summary').where('tenant_id', '=', ctx.tenantId).execute();
  await sql`insert into order_daily_category_summary (tenant_id, day, category, ${columns})
    select tenant_id, day, category, ${sums} from order_daily_summary where tenant_id = ${ctx.tenantId}
    group by tenant_id, day, category`.execute(ctx.db);
  await ctx.db.deleteFrom('order_monthly_city_summary').where('tenant_id', '=', ctx.tenantId).execute();
  await sql`insert into order_monthly_city_summary (tenant_id, month, city, ${columns})
    select tenant_id, substr(day, 1, 7), city, ${sums} from order_daily_summary where tenant_id = ${ctx.tenantId}
    group by tenant_id, substr(day, 1, 7), city`.execute(ctx.db);
}
