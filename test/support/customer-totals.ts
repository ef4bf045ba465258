import {
  AGGREGATE_COLUMNS,
  aggregateCustomerOrders,
  aggregateValues,
  EMPTY_AGGREGATE,
} from '../../src/modules/customers/customer-aggregates.js';
import { segmentOf } from '../../src/modules/customers/segment.js';
import type { Tenant } from '../../src/modules/tenants/tenants.repo.js';
import type { TenantCtx } from '../../src/platform/db/tenant-ctx.js';

/** Customers whose stored totals or segment differ from what their orders add up to now. */
export async function customerTotalsDrift(ctx: TenantCtx, tenant: Tenant) {
  const stored = await ctx.db
    .selectFrom('customers')
    .select(['id', 'phone', ...AGGREGATE_COLUMNS])
    .where('tenant_id', '=', ctx.tenantId)
    .execute();
  const truth = await aggregateCustomerOrders(
    ctx,
    stored.map((c) => Number(c.id)),
  );
  const drift: Array<{ phone: string; stored: unknown[]; truth: unknown[] }> = [];
  for (const c of stored) {
    const a = truth.get(Number(c.id)) ?? EMPTY_AGGREGATE;
    const expected = aggregateValues(a, segmentOf(a, tenant.settings.segments));
    const mine = AGGREGATE_COLUMNS.map((col, k) => (typeof expected[k] === 'number' ? Number(c[col]) : c[col]));
    if (JSON.stringify(mine) !== JSON.stringify(expected))
      drift.push({ phone: c.phone, stored: mine, truth: expected });
  }
  return { customers: stored.length, drift };
}
