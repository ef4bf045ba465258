import { sql } from 'kysely';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { rebuildAnalyticsSummaries } from './analytics-summary.js';
import { STATE_DELIVERED, STATE_RETURNED } from './classify-order.js';
import { bumpSummaryVersion } from './summary-answers.js';

/** Courier states counted as failed deliveries (terminated, cancelled, lost, damaged). */
export const FAILED_FINAL_STATES = [48, 49, 100, 101] as const;
/** Categories whose COD is revenue. */
export const REVENUE_CATEGORIES = ['real_sale', 'maintenance'] as const;

/** The outcome measures one order contributes to its day × city × category summary cell. */
export function summaryMeasures(o: {
  stateCode: number;
  category: string;
  codMinor: number;
  deliveryHours: number | null;
}) {
  return {
    orders: 1,
    delivered: o.stateCode === STATE_DELIVERED ? 1 : 0,
    returned: o.stateCode === STATE_RETURNED ? 1 : 0,
    failed: (FAILED_FINAL_STATES as readonly number[]).includes(o.stateCode) ? 1 : 0,
    revenueMinor: (REVENUE_CATEGORIES as readonly string[]).includes(o.category) ? o.codMinor : 0,
    // A refund is money paid at the door: it happened only if the courier delivered it.
    refundsMinor: o.category === 'refund' && o.stateCode === STATE_DELIVERED ? -o.codMinor : 0,
    hoursSum: o.deliveryHours ?? 0,
    hoursCount: o.deliveryHours === null ? 0 : 1,
  };
}

/**
 * Rebuilds a tenant's daily summary from its fine-grained rollups (after a bulk load that wrote rollups
 * directly, e.g. benchmark seeding and test fixtures), then the analytics grains from the summary. Ingest
 * keeps all of them in step by itself.
 */
export async function rebuildDailySummary(ctx: TenantCtx): Promise<void> {
  await ctx.db.deleteFrom('order_daily_summary').where('tenant_id', '=', ctx.tenantId).execute();
  await sql`insert into order_daily_summary (tenant_id, day, city, category, orders, delivered, returned, failed,
      revenue_minor, refunds_minor, delivery_hours_sum, delivery_hours_count)
    select tenant_id, day, city, category, sum(orders),
      sum(case when state_code = ${STATE_DELIVERED} then orders else 0 end),
      sum(case when state_code = ${STATE_RETURNED} then orders else 0 end),
      sum(case when state_code in (${sql.join(FAILED_FINAL_STATES.map((s) => sql.lit(s)))}) then orders else 0 end),
      sum(case when category in (${sql.join(REVENUE_CATEGORIES.map((c) => sql.lit(c)))}) then cod_minor else 0 end),
      sum(case when category = 'refund' and state_code = ${STATE_DELIVERED} then -cod_minor else 0 end),
      sum(delivery_hours_sum), sum(delivery_hours_count)
    from order_daily_rollups where tenant_id = ${ctx.tenantId}
    group by tenant_id, day, city, category`.execute(ctx.db);
  await rebuildAnalyticsSummaries(ctx);
  await bumpSummaryVersion(ctx);
}
