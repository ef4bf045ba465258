import { expect } from 'vitest';
import { findConnection } from '../../src/modules/integrations/connections.repo.js';
import { findTenantById } from '../../src/modules/tenants/tenants.repo.js';
import type { RunningBostaSimulator } from '../../src/integrations/bosta/simulator/server.js';
import { runBostaSync } from '../../src/integrations/bosta/sync.js';
import type { TestApp } from '../support/app.js';
import { connectSimulator, fastClient, WEBHOOK_SECRET } from './bosta-support.js';

/** An app listening on 127.0.0.1, a simulator whose webhooks reach it, and tenant A fully synced from it. */
export async function cycleWorld(t: TestApp, deliveries = 600, seed = 77) {
  const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const sim = await connectSimulator(t, {
    deliveries,
    seed,
    webhook: {
      url: `${base}/hooks/bosta/alpha`,
      headerName: 'x-orderloop-webhook-secret',
      headerValue: WEBHOOK_SECRET,
    },
  });
  const tenant = (await findTenantById(t.ctx.database.db, t.tenantA.tenant.id))!;
  const conn = (await findConnection(t.tenantA.ctx, t.ctx.secrets, 'bosta'))!;
  const client = fastClient(sim);
  await runBostaSync(
    { ctx: t.tenantA.ctx, tenant, client, watermark: conn.watermark },
    { mode: 'full', trigger: 'test' },
  );
  await client.close();
  return { sim, base };
}

/** Moves a courier delivery and waits until its webhook has been applied. */
export async function courierMoves(sim: RunningBostaSimulator, trackingNumber: string, toState: number) {
  sim.control.advance(trackingNumber, toState);
  await sim.control.flush();
}

/** A delivered real sale of a customer, recent enough to be under warranty when `recent`. */
export async function aDeliveredSale(t: TestApp, recent: boolean) {
  const since = new Date(Date.now() - 300 * 86_400_000).toISOString();
  let q = t.tenantA.ctx.db
    .selectFrom('orders')
    .innerJoin('customers', 'customers.id', 'orders.customer_id')
    .select(['orders.id', 'orders.cod_minor', 'orders.delivered_at', 'customers.phone', 'customers.id as customerId'])
    .where('orders.tenant_id', '=', t.tenantA.tenant.id)
    .where('orders.category', '=', 'real_sale');
  q = recent ? q.where('orders.delivered_at', '>=', since) : q;
  const o = await q.orderBy('orders.delivered_at', 'desc').executeTakeFirst();
  expect(o, 'the simulator data has a delivered real sale').toBeTruthy();
  return o!;
}

/** "+201001234567" → "01001234567": how an agent types it. */
export function localForm(e164: string): string {
  return `0${e164.slice(3)}`;
}

export async function eventsOf(t: TestApp, actionId: number): Promise<string[]> {
  const rows = await t.tenantA.ctx.db
    .selectFrom('service_events')
    .select('event')
    .where('action_id', '=', actionId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.event);
}

export async function linkOf(t: TestApp, childOrderId: number) {
  return t.tenantA.ctx.db
    .selectFrom('order_links')
    .selectAll()
    .where('tenant_id', '=', t.tenantA.tenant.id)
    .where('child_order_id', '=', childOrderId)
    .where('active', '=', true)
    .executeTakeFirst();
}
