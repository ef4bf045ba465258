import { sql } from 'kysely';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { fromMinor } from '../../lib/money.js';
import type { TenantSettings } from '../tenants/tenant-settings.js';
import { SEGMENTS, type Segment } from './segment.js';

const TOP_CITIES = 20;

/** Sums over a group of live customers, enough to derive every figure of the analytics. */
interface GroupSums {
  customers: number;
  orders: number;
  delivered: number;
  returned: number;
  ltvMinor: number;
}

function sumColumns() {
  return [
    sql<number>`count(*)`.as('customers'),
    sql<number>`coalesce(sum(${sql.ref('orders_count')}), 0)`.as('orders'),
    sql<number>`coalesce(sum(${sql.ref('delivered_count')}), 0)`.as('delivered'),
    sql<number>`coalesce(sum(${sql.ref('returned_count')}), 0)`.as('returned'),
    sql<number>`coalesce(sum(${sql.ref('lifetime_value_minor')}), 0)`.as('ltv_minor'),
  ] as const;
}

function sums(r: { customers: unknown; orders: unknown; delivered: unknown; returned: unknown; ltv_minor: unknown }) {
  return {
    customers: Number(r.customers),
    orders: Number(r.orders),
    delivered: Number(r.delivered),
    returned: Number(r.returned),
    ltvMinor: Number(r.ltv_minor),
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function figures(g: GroupSums) {
  const finished = g.delivered + g.returned;
  return {
    customers: g.customers,
    averageOrders: g.customers === 0 ? 0 : round(g.orders / g.customers, 2),
    averageLifetimeValue: g.customers === 0 ? 0 : round(fromMinor(g.ltvMinor) / g.customers, 2),
    lifetimeValue: fromMinor(g.ltvMinor),
    returnRate: finished === 0 ? 0 : round(g.returned / finished, 4),
  };
}

function liveCustomers(ctx: TenantCtx) {
  return ctx.db.selectFrom('customers').where('tenant_id', '=', ctx.tenantId).where('merged_into_id', 'is', null);
}

async function segmentSums(ctx: TenantCtx): Promise<Map<string, GroupSums>> {
  const rows = await liveCustomers(ctx)
    .select(['segment', ...sumColumns()])
    .groupBy('segment')
    .execute();
  return new Map(rows.map((r) => [r.segment, sums(r)]));
}

const EMPTY: GroupSums = { customers: 0, orders: 0, delivered: 0, returned: 0, ltvMinor: 0 };

/** Segment definitions as the tenant's settings make them, with how many live customers each holds. */
export async function customerSegments(ctx: TenantCtx, rules: TenantSettings['segments']) {
  const by = await segmentSums(ctx);
  const pct = Math.round(rules.problematicMinReturnRate * 100);
  const definitions: Record<Segment, { description: string; rule: Record<string, number> }> = {
    new: {
      description: `Fewer than ${rules.regularMinOrders} orders`,
      rule: { maxOrders: rules.regularMinOrders - 1 },
    },
    regular: { description: `${rules.regularMinOrders} orders or more`, rule: { minOrders: rules.regularMinOrders } },
    vip: {
      description: `${rules.vipMinOrders} orders or more, or a lifetime value of ${rules.vipMinLifetimeValue} or more`,
      rule: { minOrders: rules.vipMinOrders, minLifetimeValue: rules.vipMinLifetimeValue },
    },
    problematic: {
      description: `At least 2 finished parcels and ${pct}% or more of them returned (checked first)`,
      rule: { minFinished: 2, minReturnRate: rules.problematicMinReturnRate },
    },
  };
  const items = SEGMENTS.map((segment) => ({
    segment,
    ...definitions[segment],
    customers: (by.get(segment) ?? EMPTY).customers,
  }));
  return { items, total: items.reduce((s, i) => s + i.customers, 0) };
}

/** Per segment, overall, and for the 20 cities with the most customers: counts, averages, return rate. */
export async function customerAnalytics(ctx: TenantCtx) {
  const by = await segmentSums(ctx);
  const overall = [...by.values()].reduce(
    (a, g) => ({
      customers: a.customers + g.customers,
      orders: a.orders + g.orders,
      delivered: a.delivered + g.delivered,
      returned: a.returned + g.returned,
      ltvMinor: a.ltvMinor + g.ltvMinor,
    }),
    EMPTY,
  );
  const cityKey = sql<string>`coalesce(${sql.ref('city')}, '')`;
  const cities = await liveCustomers(ctx)
    .select([cityKey.as('city_key'), ...sumColumns()])
    .groupBy(cityKey)
    .orderBy(sql`count(*)`, 'desc')
    .orderBy(cityKey)
    .limit(TOP_CITIES)
    .execute();
  return {
    overall: figures(overall),
    bySegment: SEGMENTS.map((segment) => ({ segment, ...figures(by.get(segment) ?? EMPTY) })),
    byCity: cities.map((r) => ({ city: r.city_key, ...figures(sums(r)) })),
  };
}
