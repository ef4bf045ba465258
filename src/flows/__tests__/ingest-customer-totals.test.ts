import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { customerTotalsDrift as drift } from '../../../test/support/customer-totals.js';
import { testDialects } from '../../../test/support/databases.js';
import { orderInput } from '../../../test/support/order-inputs.js';
import type { OrderInput } from '../../modules/orders/order-input.js';
import { findTenantById, type Tenant } from '../../modules/tenants/tenants.repo.js';
import { inTransaction } from '../../platform/db/tenant-ctx.js';
import { ingestOrders } from '../ingest-orders.js';

const DAY = 86_400_000;
const BASE = Date.UTC(2026, 2, 1, 9, 0, 0);

function delivery(
  externalId: string,
  phone: string,
  o: { state?: number; cod?: number; day?: number; updatedDay?: number } = {},
): OrderInput {
  return orderInput(externalId, phone, {
    createdAt: new Date(BASE + (o.day ?? 0) * DAY).toISOString(),
    updatedAt: new Date(BASE + (o.updatedDay ?? o.day ?? 0) * DAY + 3_600_000).toISOString(),
    state: o.state,
    cod: o.cod,
  });
}

describe.each(testDialects())('ingest keeps customer totals exact (%s)', (dialect) => {
  let t: TestApp;
  let tenant: Tenant;
  let now = 0;
  const ingest = (inputs: OrderInput[]) =>
    inTransaction(t.tenantA.ctx, (tx) =>
      ingestOrders(tx, tenant, inputs, {
        source: 'bosta',
        now: new Date(BASE + 400 * DAY + now++ * 1000).toISOString(),
        via: 'sync',
      }),
    );
  beforeAll(async () => {
    t = await createTestApp(dialect);
    tenant = (await findTenantById(t.ctx.database.db, t.tenantA.tenant.id))!;
  });
  afterAll(async () => t?.close());

  it('customers created by a batch start with the totals of all its orders; later batches keep them exact', async () => {
    // One batch: a new customer with four orders of every kind (sale, maintenance, refund, return), one with a
    // single sale, one whose two sales make it a VIP by value, and a phone written in two formats.
    const first = await ingest([
      delivery('a1', '+201001110001', { cod: 250_000, day: 1 }),
      delivery('a2', '+201001110001', { cod: 30_000, day: 40 }),
      delivery('a3', '01001110001', { cod: -20_000, day: 50 }),
      delivery('a4', '+201001110001', { state: 46, cod: 90_000, day: 20 }),
      delivery('b1', '+201001110002', { cod: 180_000, day: 5 }),
      delivery('c1', '+201001110003', { cod: 9_000_000, day: 7 }),
      delivery('c2', '00201001110003', { cod: 8_000_000, day: 3 }),
    ]);
    expect(first.created).toBe(7);
    const afterFirst = await drift(t.tenantA.ctx, tenant);
    expect(afterFirst.customers).toBe(3);
    expect(afterFirst.drift).toEqual([]);
    const a = await t.tenantA.ctx.db
      .selectFrom('customers')
      .selectAll()
      .where('tenant_id', '=', t.tenantA.tenant.id)
      .where('phone', '=', '+201001110001')
      .executeTakeFirstOrThrow();
    // The totals are the batch's, not zeros: four orders, two delivered with value, one returned, one refund.
    expect(Number(a.orders_count)).toBe(4);
    expect(Number(a.delivered_count)).toBe(3);
    expect(Number(a.returned_count)).toBe(1);
    expect(Number(a.lifetime_value_minor)).toBe(280_000);
    expect(Number(a.refunds_minor)).toBe(20_000);
    expect(a.first_order_at).toBe(new Date(BASE + 1 * DAY).toISOString());
    expect(a.last_order_at).toBe(new Date(BASE + 50 * DAY).toISOString());

    // Next batch: an existing customer gains an order, a stored order changes state, a stored order moves to a
    // phone nobody had (its new customer is created by this batch with a stored order), a brand-new customer,
    // and a stale version of a stored order that must change nothing.
    await ingest([
      delivery('b2', '+201001110002', { cod: 40_000, day: 60 }),
      delivery('a4', '+201001110001', { state: 45, cod: 90_000, day: 20, updatedDay: 30 }),
      delivery('c2', '+201001110009', { cod: 8_000_000, day: 3, updatedDay: 9 }),
      delivery('d1', '+201001110004', { state: 46, cod: 70_000, day: 61 }),
      delivery('a1', '+201001110001', { cod: 1, day: 1, updatedDay: -5 }),
    ]);
    const afterSecond = await drift(t.tenantA.ctx, tenant);
    expect(afterSecond.customers).toBe(5);
    expect(afterSecond.drift).toEqual([]);
    const moved = await t.tenantA.ctx.db
      .selectFrom('customers')
      .select(['orders_count', 'lifetime_value_minor'])
      .where('tenant_id', '=', t.tenantA.tenant.id)
      .where('phone', '=', '+201001110009')
      .executeTakeFirstOrThrow();
    expect(Number(moved.orders_count)).toBe(1);
    expect(Number(moved.lifetime_value_minor)).toBe(8_000_000);
  });
});
