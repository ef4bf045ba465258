import { sql } from 'kysely';
import { bulkUpdate, type PgType } from '../../platform/db/bulk.js';
import { sameTenant, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { STATE_DELIVERED, STATE_RETURNED } from '../orders/classify-order.js';
import type { TenantSettings } from '../tenants/tenant-settings.js';
import { findTenantById } from '../tenants/tenants.repo.js';
import { type Segment, segmentOf } from './segment.js';

/** Ids per aggregate query: far below either dialect's bound-parameter limit. */
const CHUNK = 500;

/** What a customer's orders add up to; customers without orders get zeros and null dates. */
export interface CustomerAggregate {
  ordersCount: number;
  deliveredCount: number;
  returnedCount: number;
  lifetimeValueMinor: number;
  refundsMinor: number;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
}

export const EMPTY_AGGREGATE: CustomerAggregate = {
  ordersCount: 0,
  deliveredCount: 0,
  returnedCount: 0,
  lifetimeValueMinor: 0,
  refundsMinor: 0,
  firstOrderAt: null,
  lastOrderAt: null,
};

/** The stored aggregate columns of a customer, in the order of `aggregateValues`. */
export const AGGREGATE_COLUMNS = [
  'orders_count',
  'delivered_count',
  'returned_count',
  'lifetime_value_minor',
  'refunds_minor',
  'first_order_at',
  'last_order_at',
  'segment',
] as const;
/** An aggregate and its segment as the values of `AGGREGATE_COLUMNS`. */
export function aggregateValues(a: CustomerAggregate, segment: Segment): unknown[] {
  return [
    a.ordersCount,
    a.deliveredCount,
    a.returnedCount,
    a.lifetimeValueMinor,
    a.refundsMinor,
    a.firstOrderAt,
    a.lastOrderAt,
    segment,
  ];
}

/** What one order adds to its customer's aggregate: the columns `aggregateCustomerOrders` reads. */
export interface OrderTotalsFacts {
  state_code: number;
  category: string;
  cod_minor: number;
  created_at: string | null;
}

/**
 * Folds one order into an aggregate, by the same rules as the grouped query of `aggregateCustomerOrders`
 * (ingest uses it for customers whose every order is in the batch that creates them).
 */
export function addOrderToAggregate(a: CustomerAggregate | undefined, o: OrderTotalsFacts): CustomerAggregate {
  const out = a ? { ...a } : { ...EMPTY_AGGREGATE };
  out.ordersCount++;
  if (o.state_code === STATE_DELIVERED) out.deliveredCount++;
  if (o.state_code === STATE_RETURNED) out.returnedCount++;
  if (o.category === 'real_sale' || o.category === 'maintenance') out.lifetimeValueMinor += o.cod_minor;
  if (o.category === 'refund' && o.state_code === STATE_DELIVERED) out.refundsMinor -= o.cod_minor;
  const at = o.created_at;
  if (at !== null) {
    if (out.firstOrderAt === null || Date.parse(at) < Date.parse(out.firstOrderAt)) out.firstOrderAt = at;
    if (out.lastOrderAt === null || Date.parse(at) > Date.parse(out.lastOrderAt)) out.lastOrderAt = at;
  }
  return out;
}

/**
 * Aggregates of many customers in one grouped query per chunk (over the orders_customer index).
 * Lifetime value is the COD of delivered real sales and maintenance (what was collected); refunds are the
 * negative COD the courier paid out on delivery, as a positive amount — the same rules as the order stats.
 */
export async function aggregateCustomerOrders(ctx: TenantCtx, ids: number[]): Promise<Map<number, CustomerAggregate>> {
  const out = new Map<number, CustomerAggregate>();
  const delivered = sql`${sql.ref('state_code')} = ${STATE_DELIVERED}`;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await ctx.db
      .selectFrom('orders')
      .select((eb) => [
        'customer_id',
        eb.fn.countAll<number>().as('orders'),
        sql<number>`sum(case when ${delivered} then 1 else 0 end)`.as('delivered'),
        sql<number>`sum(case when ${sql.ref('state_code')} = ${STATE_RETURNED} then 1 else 0 end)`.as('returned'),
        sql<number>`sum(case when ${sql.ref('category')} in ('real_sale', 'maintenance') then ${sql.ref('cod_minor')} else 0 end)`.as(
          'ltv',
        ),
        sql<number>`sum(case when ${sql.ref('category')} = 'refund' and ${delivered} then -${sql.ref('cod_minor')} else 0 end)`.as(
          'refunds',
        ),
        eb.fn.min('created_at').as('first_at'),
        eb.fn.max('created_at').as('last_at'),
      ])
      .where('tenant_id', '=', ctx.tenantId)
      .where('customer_id', 'in', ids.slice(i, i + CHUNK))
      .groupBy('customer_id')
      .execute();
    for (const r of rows) {
      out.set(Number(r.customer_id), {
        ordersCount: Number(r.orders),
        deliveredCount: Number(r.delivered),
        returnedCount: Number(r.returned),
        lifetimeValueMinor: Number(r.ltv),
        refundsMinor: Number(r.refunds),
        firstOrderAt: (r.first_at as string | null) ?? null,
        lastOrderAt: (r.last_at as string | null) ?? null,
      });
    }
  }
  return out;
}

/** The PostgreSQL type of each aggregate column, for the casts of a set-based update. */
const AGGREGATE_TYPES: Record<(typeof AGGREGATE_COLUMNS)[number], PgType> = {
  orders_count: 'integer',
  delivered_count: 'integer',
  returned_count: 'integer',
  lifetime_value_minor: 'bigint',
  refunds_minor: 'bigint',
  first_order_at: 'timestamptz',
  last_order_at: 'timestamptz',
  segment: 'text',
};
/**
 * Aggregate columns a customers index holds (the list's sorts and the segment filter). Assigning one makes the
 * database move its index entry even to the same place, a page write each: they are assigned only when changed.
 */
const INDEXED = new Set<string>(['orders_count', 'lifetime_value_minor', 'last_order_at', 'segment']);

/** The stored aggregate columns of these customers (of the context's tenant), by id. */
async function storedAggregates(ctx: TenantCtx, ids: number[]): Promise<Map<number, unknown[]>> {
  const out = new Map<number, unknown[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await ctx.db
      .selectFrom('customers')
      .select(['id', ...AGGREGATE_COLUMNS])
      .where(sameTenant(ctx, 'tenant_id'))
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows)
      out.set(
        Number(r.id),
        AGGREGATE_COLUMNS.map((c) =>
          AGGREGATE_TYPES[c] === 'integer' || AGGREGATE_TYPES[c] === 'bigint' ? Number(r[c]) : r[c],
        ),
      );
  }
  return out;
}

/**
 * Recomputes the stored aggregates and segment of customers from their orders: one grouped query for the
 * whole list, then set-based updates of the customers whose values changed. Ingest calls it for every customer
 * a batch touched (most of whose totals a state move leaves as they were); merges for both sides. Pass `rules`
 * when the caller already has the tenant's settings. Returns how many customers were written.
 */
export async function recomputeCustomerAggregates(
  ctx: TenantCtx,
  customerIds: number[],
  rules?: TenantSettings['segments'],
): Promise<number> {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return 0;
  const segments = rules ?? (await findTenantById(ctx.db, ctx.tenantId))?.settings.segments;
  if (!segments) throw new Error(`tenant ${ctx.tenantId} not found`);
  const aggregates = await aggregateCustomerOrders(ctx, ids);
  const stored = await storedAggregates(ctx, ids);
  // One update per set of changed indexed columns (at most 16); the unindexed ones always go along.
  const groups = new Map<string, { columns: string[]; types: PgType[]; rows: unknown[][] }>();
  let written = 0;
  for (const id of ids) {
    const before = stored.get(id);
    if (!before) continue; // not this tenant's, or gone
    const a = aggregates.get(id) ?? EMPTY_AGGREGATE;
    const after = aggregateValues(a, segmentOf(a, segments));
    const changed = AGGREGATE_COLUMNS.map((_, k) => after[k] !== before[k]);
    if (!changed.includes(true)) continue;
    const picked = AGGREGATE_COLUMNS.map((c, k) => !INDEXED.has(c) || changed[k]);
    const key = picked.map((p) => (p ? '1' : '0')).join('');
    let group = groups.get(key);
    if (!group) {
      group = {
        columns: ['id', ...AGGREGATE_COLUMNS.filter((_, k) => picked[k])],
        types: ['bigint', ...AGGREGATE_COLUMNS.filter((_, k) => picked[k]).map((c) => AGGREGATE_TYPES[c])],
        rows: [],
      };
      groups.set(key, group);
    }
    group.rows.push([id, ...after.filter((_, k) => picked[k])]);
    written++;
  }
  // One statement per chunk instead of one per customer: ingest calls this for every page it writes.
  for (const g of groups.values()) {
    await bulkUpdate(ctx.db, ctx.dialect, 'customers', g.columns, g.types, g.rows, {
      sql: 'customers.tenant_id = ?',
      params: [ctx.tenantId],
    });
  }
  return written;
}
