/**
 * `web.orders.first_rows`: milliseconds from navigating to the orders page to its first table rows, in headless
 * Chromium against the real server with `--orders` orders seeded (the target: < 1 s at 1,000,000).
 * Baseline: the same navigation to the login page (same bundle, no data), measured in the same run.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { BENCH_PASSWORD, createBenchApp } from './bench-app.js';
import { type Benchmark, benchResult, progress, startServer } from './harness.js';
import { seedBenchOrders } from './support/seed-bench.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/e2e/support/browser.js';
import { ensureWebBuilt } from '../test/e2e/support/server.js';

const ROUNDS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export const webOrdersBenchmark: Benchmark = {
  name: 'web.orders',
  description: 'Orders page: time to first rows in Chromium with --orders orders (target < 1 s at 1,000,000)',
  async run(opts) {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    ensureWebBuilt();
    const bench = await createBenchApp();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    try {
      await seedBenchOrders(bench, opts.orders);
      const url = await startServer(bench.app);
      const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel(/email/i).fill(bench.owner.email);
      await page
        .getByLabel(/password/i)
        .first()
        .fill(BENCH_PASSWORD);
      await page.locator('form button[type="submit"]').click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      const orders: number[] = [];
      const login: number[] = [];
      for (let i = 0; i < ROUNDS + 1; i++) {
        let t0 = performance.now();
        await page.goto('/orders');
        await page.getByTestId('order-row').first().waitFor({ timeout: 60_000 });
        if (i > 0) orders.push(performance.now() - t0); // the first round warms caches
        // A signed-out visitor (own storage), or /login would just redirect to the dashboard.
        const anonymous = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 860 } });
        const other = await anonymous.newPage();
        t0 = performance.now();
        await other.goto('/login');
        await other.locator('form button[type="submit"]').waitFor();
        if (i > 0) login.push(performance.now() - t0);
        await anonymous.close();
      }
      progress(
        `web.orders: first rows ${orders.map((x) => Math.round(x)).join(', ')} ms; login page ${login.map((x) => Math.round(x)).join(', ')} ms`,
      );
      return [
        benchResult({
          benchmark: 'web.orders',
          metric: 'first_rows',
          value: Math.round(median(orders)),
          unit: 'ms',
          baseline: Math.round(median(login)),
          better: 'lower',
          target: '< 1000 ms at 1,000,000 orders',
        }),
      ];
    } finally {
      await browser.close();
      await bench.close();
    }
  },
};
