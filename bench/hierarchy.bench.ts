import type SqliteDatabase from 'better-sqlite3';
import { detectHierarchy } from '../src/modules/hierarchy/full-detection.js';
import { createBenchApp } from './bench-app.js';
import { type Benchmark, benchResult, bracketedBaseline, progress } from './harness.js';
import { seedBenchOrders } from './support/seed-bench.js';

/**
 * Seconds to stream, with one plain SELECT on the raw handle, what detection has to read: every order of the
 * tenant with the columns linking uses, in (customer, created_at, id) order over the orders_customer index.
 */
function streamOrders(sqlite: SqliteDatabase.Database, tenantId: number): { seconds: number; rows: number } {
  const started = performance.now();
  const stmt = sqlite.prepare(
    `select id, customer_id, category, created_at, package_description, hierarchy_status, parent_order_id
     from orders where tenant_id = ? and customer_id is not null order by customer_id, created_at, id`,
  );
  let rows = 0;
  for (const _ of stmt.iterate(tenantId)) rows++;
  return { seconds: (performance.now() - started) / 1000, rows };
}

/**
 * Full hierarchy re-detection (`detectHierarchy`, what the `hierarchy.detect` job runs) over `--orders` seeded
 * orders of customers with 1–5 orders (sales followed by maintenance, free parts, refunds, returns and
 * exchanges), none linked yet. Baseline: the plain streaming SELECT of the same orders, before and after.
 */
export const hierarchyBenchmark: Benchmark = {
  name: 'hierarchy.full',
  description: 'full hierarchy re-detection over --orders seeded orders, against one streaming SELECT of them',
  async run(opts) {
    const bench = await createBenchApp();
    try {
      const seeded = await seedBenchOrders(bench, opts.orders);
      const sqlite = bench.ctx.database.sqlite!;
      const before = streamOrders(sqlite, bench.tenant.id);
      if (before.rows !== seeded.orders) throw new Error(`streamed ${before.rows} orders, seeded ${seeded.orders}`);
      progress(
        `hierarchy.full: streaming SELECT of ${before.rows.toLocaleString('en-US')} orders took ${before.seconds.toFixed(2)} s`,
      );
      progress('hierarchy.full: full re-detection');
      const started = performance.now();
      const summary = await detectHierarchy(bench.tenantCtx);
      const seconds = (performance.now() - started) / 1000;
      progress(
        `hierarchy.full: ${summary.customers.toLocaleString('en-US')} customers, ${summary.orders.toLocaleString('en-US')} ` +
          `orders, ${summary.linksAdded.toLocaleString('en-US')} links added, ${summary.ordersUpdated.toLocaleString('en-US')} ` +
          `orders updated in ${summary.batches} batches, ${seconds.toFixed(2)} s`,
      );
      if (summary.orders !== seeded.orders)
        throw new Error(`detection saw ${summary.orders} orders of ${seeded.orders}`);
      if (summary.linksAdded === 0) throw new Error('detection linked nothing: the seed has no families');
      const after = streamOrders(sqlite, bench.tenant.id);
      const baseline = bracketedBaseline('streaming SELECT', before.seconds, after.seconds);
      return [
        benchResult({
          benchmark: 'hierarchy.full',
          metric: 'duration',
          value: seconds,
          unit: 's',
          baseline,
          better: 'lower',
          target: '< 15 s at 1,000,000 orders',
        }),
      ];
    } finally {
      await bench.close();
    }
  },
};
