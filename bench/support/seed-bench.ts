import type { BenchApp } from '../bench-app.js';
import { rebuildDailySummary } from '../../src/modules/orders/daily-summary.js';
import { progress } from '../harness.js';
import { planOrderBook } from './seed-plan.js';
import { type SeedResult, seedOrderBook } from './seed-orders.js';

/** Seeds `orders` orders (with their customers, rollups and daily summary) into a bench app's database, with progress. */
export async function seedBenchOrders(bench: BenchApp, orders: number): Promise<SeedResult> {
  const started = performance.now();
  const plan = planOrderBook(orders);
  progress(
    `seed: planned ${orders.toLocaleString('en-US')} orders of ${plan.customers.toLocaleString('en-US')} customers`,
  );
  // The bulk load switches the journal mode, which needs the file to itself.
  const resume = await bench.ctx.database.suspendCheckpoints();
  let seeded: SeedResult;
  try {
    seeded = seedOrderBook(bench.ctx.database.sqlite!, bench.tenant, plan, (m) => progress(`seed: ${m}`));
  } finally {
    resume();
  }
  await rebuildDailySummary(bench.tenantCtx);
  progress(`seed: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (seeded.regulars.length === 0) throw new Error('the seed has no customer with 3 or more orders');
  return seeded;
}
