/**
 * TEST builder: writes orders and customers straight into the tables, the way ingest leaves them, so list,
 * filter and analytics tests run on realistic rows without the courier. Rollups are filled from the same
 * rows by `addToRollups` (day = created_at's calendar day in the tenant's time zone, city '' when unknown),
 * the contract ingest keeps. Not for production code.
 */
import { rebuildDailySummary } from '../../src/modules/orders/daily-summary.js';
import type { Insertable, Selectable } from 'kysely';
import type { DB } from '../../src/platform/db/schema.js';
import type { TenantCtx } from '../../src/platform/db/tenant-ctx.js';
import type { CustomersTable } from '../../src/modules/customers/customers.tables.js';
import { classifyOrder } from '../../src/modules/orders/classify-order.js';
import type { OrdersTable } from '../../src/modules/orders/orders.tables.js';

export type OrderRowOf = Selectable<OrdersTable>;
export type OrderSeed = Partial<Insertable<OrdersTable>>;

let serial = 0;
const next = () => ++serial;

const HOUR = 3_600_000;
const CHUNK = 50;

/** A valid Egyptian mobile number in E.164, different for each call. */
export function uniquePhone(): string {
  const n = (Date.now() % 1_000_000) * 100 + (next() % 100);
  return `+2010${String(n).padStart(8, '0').slice(-8)}`;
}

/** A complete order row: a delivered send of 1000.00 created now, unless the seed says otherwise. */
export function orderRow(ctx: TenantCtx, seed: OrderSeed = {}): Insertable<OrdersTable> {
  const n = next();
  const createdAt = seed.created_at ?? new Date().toISOString();
  const stateCode = seed.state_code ?? 45;
  const typeCode = seed.type_code ?? 10;
  const codMinor = seed.cod_minor ?? 100_000;
  const cls = classifyOrder({ typeCode, stateCode, codMinor }, 500);
  const deliveredAt =
    seed.delivered_at !== undefined
      ? seed.delivered_at
      : stateCode === 45
        ? new Date(Date.parse(createdAt) + 30 * HOUR).toISOString()
        : null;
  const hours = deliveredAt ? Math.round(((Date.parse(deliveredAt) - Date.parse(createdAt)) / HOUR) * 100) / 100 : null;
  return {
    tenant_id: ctx.tenantId,
    source: 'bosta',
    external_id: `ext-${ctx.tenantId}-${n}`,
    tracking_number: `TN${ctx.tenantId}${String(n).padStart(7, '0')}`,
    business_reference: null,
    type_code: typeCode,
    type_name: typeCode === 25 ? 'Customer Return Pickup' : typeCode === 30 ? 'Exchange' : 'Send',
    state_code: stateCode,
    state_name: stateCode === 45 ? 'Delivered' : stateCode === 46 ? 'Returned to business' : `State ${stateCode}`,
    cod_minor: codMinor,
    fees_minor: 5_000,
    attempts: 1,
    calls: 0,
    category: cls.category,
    service_type: cls.serviceType,
    order_level: cls.orderLevel,
    hierarchy_status: 'unlinked',
    delivery_hours: hours,
    created_at: createdAt,
    updated_at: createdAt,
    delivered_at: deliveredAt,
    synced_at: createdAt,
    ...seed,
  };
}

/** Inserts orders (and their rollups) in one go; returns the stored rows in input order. */
export async function insertOrders(
  ctx: TenantCtx,
  seeds: OrderSeed[],
  timeZone = 'Africa/Cairo',
): Promise<OrderRowOf[]> {
  const rows = seeds.map((s) => orderRow(ctx, s));
  const out: OrderRowOf[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const inserted = await ctx.db
      .insertInto('orders')
      .values(rows.slice(i, i + CHUNK))
      .returningAll()
      .execute();
    // Multi-row RETURNING does not promise order; ids are assigned in insert order.
    out.push(...inserted.sort((a, b) => a.id - b.id));
  }
  // Each order's courier document, as ingest keeps it beside the order.
  for (let i = 0; i < out.length; i += CHUNK) {
    await ctx.db
      .insertInto('order_documents')
      .values(
        out.slice(i, i + CHUNK).map((o) => ({
          order_id: o.id,
          tenant_id: ctx.tenantId,
          raw: JSON.stringify({ _id: o.external_id, fixture: true }),
        })),
      )
      .execute();
  }
  await addToRollups(ctx, out, timeZone);
  return out;
}

export async function insertOrder(ctx: TenantCtx, seed: OrderSeed = {}, timeZone?: string): Promise<OrderRowOf> {
  return (await insertOrders(ctx, [seed], timeZone))[0];
}

/** The calendar day of an instant in a time zone (the rollups' `day`). */
export function localDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  );
}

interface RollupSums {
  orders: number;
  cod_minor: number;
  delivery_hours_sum: number;
  delivery_hours_count: number;
}

/** Adds orders to `order_daily_rollups` exactly as ingest does (insert or increment per key). */
export async function addToRollups(ctx: TenantCtx, orders: OrderRowOf[], timeZone = 'Africa/Cairo'): Promise<void> {
  const keyed = new Map<string, Insertable<DB['order_daily_rollups']> & RollupSums>();
  for (const o of orders) {
    const day = localDay(o.created_at, timeZone);
    const city = o.city ?? '';
    const key = [day, city, o.state_code, o.category, o.type_code].join('\u0000');
    const r = keyed.get(key) ?? {
      tenant_id: ctx.tenantId,
      day,
      city,
      state_code: o.state_code,
      category: o.category,
      type_code: o.type_code,
      orders: 0,
      cod_minor: 0,
      delivery_hours_sum: 0,
      delivery_hours_count: 0,
    };
    r.orders += 1;
    r.cod_minor += Number(o.cod_minor);
    if (o.delivery_hours !== null) {
      r.delivery_hours_sum += o.delivery_hours;
      r.delivery_hours_count += 1;
    }
    keyed.set(key, r);
  }
  for (const r of keyed.values()) {
    await ctx.db
      .insertInto('order_daily_rollups')
      .values(r)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'day', 'city', 'state_code', 'category', 'type_code']).doUpdateSet((eb) => ({
          orders: eb('order_daily_rollups.orders', '+', r.orders),
          cod_minor: eb('order_daily_rollups.cod_minor', '+', r.cod_minor),
          delivery_hours_sum: eb('order_daily_rollups.delivery_hours_sum', '+', r.delivery_hours_sum),
          delivery_hours_count: eb('order_daily_rollups.delivery_hours_count', '+', r.delivery_hours_count),
        })),
      )
      .execute();
  }
  await rebuildDailySummary(ctx);
}

export type CustomerSeed = Partial<Insertable<CustomersTable>>;

/** Inserts a customer with zero aggregates (run recomputeCustomerAggregates after adding its orders). */
export async function insertCustomer(ctx: TenantCtx, seed: CustomerSeed = {}): Promise<Selectable<CustomersTable>> {
  const now = new Date().toISOString();
  return ctx.db
    .insertInto('customers')
    .values({
      tenant_id: ctx.tenantId,
      phone: uniquePhone(),
      name: `Customer ${next()}`,
      tags: '[]',
      source: 'bosta',
      orders_count: 0,
      delivered_count: 0,
      returned_count: 0,
      lifetime_value_minor: 0,
      refunds_minor: 0,
      segment: 'new',
      created_at: now,
      updated_at: now,
      ...seed,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A service action of a customer written straight to the database (no courier): for merges and isolation checks. */
export async function insertServiceActionRow(ctx: TenantCtx, customerId: number, reason: string): Promise<number> {
  const now = new Date().toISOString();
  const row = await ctx.db
    .insertInto('service_actions')
    .values({
      tenant_id: ctx.tenantId,
      number: `SA-${Math.random().toString(36).slice(2, 9).toUpperCase()}`,
      customer_id: customerId,
      type: 'maintenance',
      subtype: 'paid',
      status: 'review_pending',
      reason,
      warranty_status: 'unknown',
      estimated_cost_minor: 0,
      pickup_address: JSON.stringify({ city: 'Cairo', firstLine: reason }),
      flagged: false,
      created_at: now,
      updated_at: now,
      status_changed_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
