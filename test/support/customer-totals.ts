import { aggregateCustomerOrders } from '../../src/modules/customers/customer-aggregates.js';
import { segmentOf } from '../../src/modules/customers/segment.js';
import type { Tenant } from '../../src/modules/tenants/tenants.repo.js';
import type { TenantCtx } from '../../src/platform/db/tenant-ctx.js';

/** Customers whose stored totals or segment differ from what their orders add up to now. */
export async function customerTotalsDrift(ctx: TenantCtx, tenant: Tenant) {
  const stored = await ctx.db
    .selectFrom('customers')
    .select([
      'id',
      'phone',
      'orders_count',
      'delivered_count',
      'returned_count',
      'lifetime_value_minor',
      'refunds_minor',
      'first_order_at',
      'last_order_at',
      'segment',
    ])
    .where('tenant_id', '=', ctx.tenantId)
    .execute();
  const truth = await aggregateCustomerOrders(
    ctx,
    stored.map((c) => Number(c.id)),
  );
  const out: Array<{ phone: string; stored: unknown; truth: unknown }> = [];
  for (const c of stored) {
    const a = truth.get(Number(c.id)) ?? {
      ordersCount: 0,
      deliveredCount: 0,
      returnedCount: 0,
      lifetimeValueMinor: 0,
      refundsMinor: 0,
      firstOrderAt: null,
      lastOrderAt: null,
    };
    const mine = {
      ordersCount: Number(c.orders_count),
      deliveredCount: Number(c.delivered_count),
      returnedCount: Number(c.returned_count),
      lifetimeValueMinor: Number(c.lifetime_value_minor),
      refundsMinor: Number(c.refunds_minor),
      firstOrderAt: c.first_order_at,
      lastOrderAt: c.last_order_at,
      segment: c.segment,
    };
    const expected = { ...a, segment: segmentOf(a, tenant.settings.segments) };
    if (JSON.stringify(mine) !== JSON.stringify(expected)) out.push({ phone: c.phone, stored: mine, truth: expected });
  }
  return { customers: stored.length, drift: out };
}
