/**
 * TEST helpers of the hierarchy tests: customers and orders written straight into the tables with only the
 * columns linking reads, the way ingest leaves them (mains marked 'main', everything else 'unlinked').
 */
import type { TenantCtx } from '../../../platform/db/tenant-ctx.js';

let serial = 0;

/** A valid Egyptian mobile number in E.164, different on every call within a process. */
export function testPhone(): string {
  serial++;
  const n = ((Date.now() % 100_000) * 1000 + (serial % 1000)) % 100_000_000;
  return `+2011${String(n).padStart(8, '0')}`;
}

export async function insertTestCustomer(ctx: TenantCtx, phone = testPhone(), name = 'Test customer') {
  const now = new Date().toISOString();
  const r = await ctx.db
    .insertInto('customers')
    .values({
      tenant_id: ctx.tenantId,
      phone,
      name,
      tags: '[]',
      source: 'test',
      orders_count: 0,
      delivered_count: 0,
      returned_count: 0,
      lifetime_value_minor: 0,
      refunds_minor: 0,
      segment: 'new',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: r.id, phone };
}

export interface TestOrder {
  customerId: number | null;
  category: string;
  /** ISO instant, or a day offset from 2026-01-01 for brevity. */
  at: string | number;
  description?: string | null;
  phone?: string | null;
}

const DAY = 86_400_000;
const BASE = Date.parse('2026-01-01T10:00:00.000Z');

/** The ISO instant of a day offset from 2026-01-01 10:00 UTC (fractions allowed). */
export function day(offset: number): string {
  return new Date(BASE + offset * DAY).toISOString();
}

export async function insertTestOrder(ctx: TenantCtx, o: TestOrder): Promise<number> {
  serial++;
  const createdAt = typeof o.at === 'number' ? day(o.at) : o.at;
  const r = await ctx.db
    .insertInto('orders')
    .values({
      tenant_id: ctx.tenantId,
      source: 'test',
      external_id: `h-${ctx.tenantId}-${serial}-${Math.random().toString(36).slice(2, 8)}`,
      tracking_number: `HT${serial}`,
      type_code: 10,
      type_name: 'Send',
      state_code: 45,
      state_name: 'Delivered',
      cod_minor: o.category === 'real_sale' ? 100_000 : 10_000,
      fees_minor: 0,
      attempts: 0,
      calls: 0,
      customer_id: o.customerId,
      phone: o.phone ?? null,
      package_description: o.description ?? null,
      category: o.category,
      service_type: o.category === 'real_sale' ? 'main' : o.category,
      order_level: o.category === 'real_sale' || o.category === 'operational' ? 0 : 1,
      hierarchy_status: o.category === 'real_sale' ? 'main' : 'unlinked',
      created_at: createdAt,
      updated_at: createdAt,
      synced_at: createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** A customer with a sale and, ten days later, a maintenance order of the same product. */
export async function insertSaleWithRepair(ctx: TenantCtx, description = 'Blender X200') {
  const customer = await insertTestCustomer(ctx);
  const sale = await insertTestOrder(ctx, {
    customerId: customer.id,
    category: 'real_sale',
    at: 0,
    description,
    phone: customer.phone,
  });
  const repair = await insertTestOrder(ctx, {
    customerId: customer.id,
    category: 'maintenance',
    at: 10,
    description: `${description} motor`,
    phone: customer.phone,
  });
  return { customer, sale, repair };
}
