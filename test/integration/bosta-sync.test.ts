import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectHierarchy } from '../../src/modules/hierarchy/full-detection.js';
import { findTenantById } from '../../src/modules/tenants/tenants.repo.js';
import { bumpSummaryVersion } from '../../src/modules/orders/summary-answers.js';
import { runBostaSync, SyncAlreadyRunningError, type SyncProgress } from '../../src/integrations/bosta/sync.js';
import { findConnection } from '../../src/modules/integrations/connections.repo.js';
import type { RunningBostaSimulator } from '../../src/integrations/bosta/simulator/server.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { customerTotalsDrift } from '../support/customer-totals.js';
import { testDialects } from '../support/databases.js';
import { codByStateOf, connectSimulator, fastClient, simTruth, storedTruth } from './bosta-support.js';

async function sync(
  t: TestApp,
  sim: RunningBostaSimulator,
  mode: 'full' | 'incremental' = 'incremental',
  onProgress?: (p: SyncProgress) => void,
) {
  const tenant = (await findTenantById(t.ctx.database.db, t.tenantA.tenant.id))!;
  const conn = (await findConnection(t.tenantA.ctx, t.ctx.secrets, 'bosta'))!;
  const client = fastClient(sim);
  try {
    return await runBostaSync(
      { ctx: t.tenantA.ctx, tenant, client, watermark: conn.watermark },
      { mode, trigger: 'test', pageSize: 200, onProgress },
    );
  } finally {
    await client.close();
  }
}

async function expectTruth(t: TestApp, sim: RunningBostaSimulator) {
  const truth = simTruth(sim);
  const stored = await storedTruth(t.tenantA.ctx);
  expect(stored.duplicates).toBe(0);
  expect(stored.timelineDuplicates).toBe(0);
  expect(stored.count).toBe(truth.count);
  expect(stored.byState).toEqual(truth.byState);
  expect(stored.codMinorByState).toEqual(codByStateOf(truth.byState, truth.codMinorByState));
}

describe.each(testDialects())('Bosta sync against the simulator (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('a full sync equals the simulator exactly; a second run changes nothing', async () => {
    const sim = await connectSimulator(t, { deliveries: 1500 });
    try {
      const run = await sync(t, sim, 'full');
      expect(run.status).toBe('completed');
      expect(run.created).toBe(1500);
      await expectTruth(t, sim);
      const customers = await t.tenantA.ctx.db
        .selectFrom('customers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', t.tenantA.tenant.id)
        .executeTakeFirstOrThrow();
      expect(Number(customers.n)).toBeGreaterThan(100);
      // Every customer's totals and segment are what its orders add up to, including the customers whose orders
      // came over several pages and those created with all their orders in one page.
      const tenant = (await findTenantById(t.ctx.database.db, t.tenantA.tenant.id))!;
      const totals = await customerTotalsDrift(t.tenantA.ctx, tenant);
      expect(totals.customers).toBe(Number(customers.n));
      expect(totals.drift).toEqual([]);
      // Every order keeps the courier's whole document beside it, and the detail serves it.
      const documents = await t.tenantA.ctx.db
        .selectFrom('orders')
        .leftJoin('order_documents', 'order_documents.order_id', 'orders.id')
        .select((eb) => [
          eb.fn.countAll<number>().as('orders'),
          eb.fn.count<number>('order_documents.order_id').as('documents'),
        ])
        .where('orders.tenant_id', '=', t.tenantA.tenant.id)
        .executeTakeFirstOrThrow();
      expect(Number(documents.documents)).toBe(1500);
      expect(Number(documents.orders)).toBe(1500);
      const one = await t.tenantA.ctx.db
        .selectFrom('orders')
        .select(['id', 'external_id', 'tracking_number'])
        .where('tenant_id', '=', t.tenantA.tenant.id)
        .executeTakeFirstOrThrow();
      const detail = (
        await t.req({ method: 'GET', url: `/api/v1/orders/${one.id}`, token: await t.tenantA.token('manager') })
      ).json();
      expect(detail.raw._id).toBe(one.external_id);
      expect(String(detail.raw.trackingNumber)).toBe(one.tracking_number);
      // Analytics read the daily summary kept at ingest: they must agree with the courier's truth.
      const truth = simTruth(sim);
      const analytics = (
        await t.req({ method: 'GET', url: '/api/v1/orders/analytics', token: await t.tenantA.token('manager') })
      ).json();
      expect(analytics.totals.orders).toBe(truth.count);
      expect(analytics.totals.delivered).toBe(truth.byState['45'] ?? 0);
      expect(analytics.totals.returned).toBe(truth.byState['46'] ?? 0);
      expect(
        analytics.byDayCategory.reduce(
          (n: number, d: { categories: Record<string, number> }) =>
            n + Object.values(d.categories).reduce((a, b) => a + b, 0),
          0,
        ),
      ).toBe(truth.count);
      const again = await sync(t, sim);
      expect(again.status).toBe('completed');
      expect(again.created).toBe(0);
      expect(again.updated).toBe(0);
      await expectTruth(t, sim);
      // Linking during the sync (which skips customers it just created with a single order) left nothing for a
      // full re-detection to add, remove or rewrite.
      const links = await t.tenantA.ctx.db
        .selectFrom('order_links')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', t.tenantA.tenant.id)
        .where('active', '=', true)
        .executeTakeFirstOrThrow();
      expect(Number(links.n)).toBeGreaterThan(50);
      const detection = await detectHierarchy(t.tenantA.ctx);
      expect(detection.orders).toBe(1500);
      expect(detection).toMatchObject({ linksAdded: 0, linksDeactivated: 0, ordersUpdated: 0 });
    } finally {
      await sim.close();
    }
  });

  it('10 % 5xx, 5 % 429 and hangs: the result still equals the truth, with no duplicates', async () => {
    await t.tenantA.ctx.db.deleteFrom('integration_connections').where('tenant_id', '=', t.tenantA.tenant.id).execute();
    const sim = await connectSimulator(t, {
      deliveries: dialect === 'sqlite' ? 20_000 : 8_000,
      seed: 11,
      settings: {
        faults: { errorRate5xx: 0.1, rateLimitRate: 0.05, retryAfterSeconds: 0.01, hangRate: 0.01, hangMs: 1500 },
      },
    });
    try {
      await resetOrders(t);
      const run = await sync(t, sim, 'full');
      expect(run.error).toBeNull();
      expect(run.status).toBe('completed');
      await expectTruth(t, sim);
    } finally {
      await sim.close();
    }
  }, 240_000);

  it('deliveries changing and appearing during a sync are caught up by the next incremental run', async () => {
    const sim = await connectSimulator(t, {
      deliveries: 3000,
      seed: 23,
      settings: { faults: { mutateDuringSync: 5 } },
    });
    try {
      await resetOrders(t);
      expect((await sync(t, sim, 'full')).status).toBe('completed');
      // Analytics asked now are kept by the server until the summaries change: the next sync must show.
      const stored = await t.tenantA.ctx.db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', t.tenantA.tenant.id)
        .executeTakeFirstOrThrow();
      expect((await analyticsTotals(t)).orders).toBe(Number(stored.n));
      sim.control.setSettings({ faults: { mutateDuringSync: 0 } });
      sim.control.addDeliveries(40);
      sim.control.changeDeliveries(60);
      const next = await sync(t, sim);
      expect(next.status).toBe('completed');
      expect(next.deliveriesSeen).toBeLessThan(3000);
      await expectTruth(t, sim);
      const tenant = (await findTenantById(t.ctx.database.db, t.tenantA.tenant.id))!;
      expect((await customerTotalsDrift(t.tenantA.ctx, tenant)).drift).toEqual([]);
      const truth = simTruth(sim);
      expect(await analyticsTotals(t)).toMatchObject({
        orders: truth.count,
        delivered: truth.byState['45'] ?? 0,
        returned: truth.byState['46'] ?? 0,
      });
    } finally {
      await sim.close();
    }
  });

  it('a page that still fails after retries fails the run with the reason; the next run resumes there', async () => {
    const sim = await connectSimulator(t, { deliveries: 1200, seed: 31 });
    try {
      await resetOrders(t);
      // Pages go through until the third is committed, then every request fails.
      const failed = await sync(t, sim, 'full', (p) => {
        if (p.pagesDone === 3) sim.control.setSettings({ faults: { errorRate5xx: 1 } });
      });
      expect(failed.status).toBe('failed');
      expect(failed.pagesDone).toBeGreaterThanOrEqual(3);
      expect(failed.cursor.page).toBeGreaterThan(3);
      expect(failed.error).toMatch(/5\d\d|unavailable|server/i);
      sim.control.setSettings({ faults: { errorRate5xx: 0 } });
      const resumed = await sync(t, sim);
      expect(resumed.status).toBe('completed');
      expect(resumed.cursor.resumedFrom).toBe(failed.id);
      // It went on from the failed page instead of paging from the start again.
      expect(resumed.pagesDone).toBeLessThan(Math.ceil(1200 / 200));
      await expectTruth(t, sim);
    } finally {
      await sim.close();
    }
  });

  it('never runs two syncs of one tenant at once', async () => {
    const sim = await connectSimulator(t, { deliveries: 2000, seed: 5, settings: { faults: { hangRate: 0 } } });
    try {
      await resetOrders(t);
      const results = await Promise.allSettled([sync(t, sim, 'full'), sync(t, sim, 'full')]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected');
      expect(ok.length).toBe(1);
      expect(refused.length).toBe(1);
      expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(SyncAlreadyRunningError);
      await expectTruth(t, sim);
    } finally {
      await sim.close();
    }
  });
});

async function analyticsTotals(t: TestApp): Promise<{ orders: number; delivered: number; returned: number }> {
  const token = await t.tenantA.token('manager');
  const res = await t.req({ method: 'GET', url: '/api/v1/orders/analytics', token });
  expect(res.statusCode).toBe(200);
  return res.json().totals;
}

async function resetOrders(t: TestApp) {
  const db = t.tenantA.ctx.db;
  const id = t.tenantA.tenant.id;
  for (const table of ['order_daily_summary', 'order_daily_category_summary', 'order_monthly_city_summary'] as const) {
    await db.deleteFrom(table).where('tenant_id', '=', id).execute();
  }
  await bumpSummaryVersion(t.tenantA.ctx);
  await db.deleteFrom('order_links').where('tenant_id', '=', id).execute();
  await db.deleteFrom('order_timeline').where('tenant_id', '=', id).execute();
  await db.deleteFrom('order_changes').where('tenant_id', '=', id).execute();
  await db.deleteFrom('order_daily_rollups').where('tenant_id', '=', id).execute();
  await db.deleteFrom('order_documents').where('tenant_id', '=', id).execute();
  await db.deleteFrom('orders').where('tenant_id', '=', id).execute();
  await db.deleteFrom('customer_phones').where('tenant_id', '=', id).execute();
  await db.deleteFrom('customers').where('tenant_id', '=', id).execute();
  await db.deleteFrom('sync_runs').where('tenant_id', '=', id).execute();
  await db.updateTable('integration_connections').set({ watermark: null }).where('tenant_id', '=', id).execute();
}
