import { encodeSortCursor, orderSort } from '../src/modules/orders/order-sort.js';
import { OrderPage } from '../src/modules/orders/orders.schemas.js';
import { type BenchApp, createBenchApp } from './bench-app.js';
import {
  type Benchmark,
  type BenchResult,
  benchResult,
  bracketedBaseline,
  type HttpMeasurement,
  measureHttp,
  progress,
  startServer,
} from './harness.js';
import { seedBenchOrders } from './support/seed-bench.js';
import type { SeedResult } from './support/seed-orders.js';

const PRECOMPUTED_PATH = '/bench/precomputed';
const RPS_TARGET = 'ratio ≥ 0.6';
const P99_TARGET = 'p99 < 25 ms';
/** How deep into the newest-first list the deep page starts (0.8 = after 80 % of the orders). */
const DEEP_FRACTION = 0.8;

interface Endpoint {
  benchmark: string;
  path: string;
}

async function getJson<T>(base: string, path: string, token: string): Promise<T> {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** The URLs under test, each checked once (status, shape) before any load. */
async function endpoints(bench: BenchApp, base: string, token: string, seeded: SeedResult): Promise<Endpoint[]> {
  type Page = { items: Array<{ id: number; createdAt: string }>; nextCursor: string | null };
  const first = await getJson<Page>(base, '/api/v1/orders?limit=25', token);
  if (first.items.length !== Math.min(25, seeded.orders)) {
    throw new Error(`first page has ${first.items.length} orders`);
  }

  // The row after which the deep page starts: where following nextCursor from the first page would get to.
  const deepAt = bench.ctx.database
    .sqlite!.prepare(
      'select id, created_at from orders where tenant_id = ? order by created_at desc, id desc limit 1 offset ?',
    )
    .get(bench.tenant.id, Math.floor(seeded.orders * DEEP_FRACTION)) as { id: number; created_at: string };
  const cursor = encodeSortCursor(orderSort('-createdAt'), { values: [deepAt.created_at], id: deepAt.id });
  const deepPath = `/api/v1/orders?limit=25&cursor=${encodeURIComponent(cursor)}`;
  const deep = await getJson<Page>(base, deepPath, token);
  if (deep.items.length === 0 || deep.items[0].createdAt > deepAt.created_at) {
    throw new Error(`the deep page does not continue after ${deepAt.created_at}`);
  }

  const regular = seeded.regulars.reduce((a, b) => (b.orders > a.orders ? b : a));
  const phonePath = `/api/v1/orders?limit=25&phone=${regular.localPhone}`;
  const byPhone = await getJson<Page>(base, phonePath, token);
  if (byPhone.items.length !== regular.orders) {
    throw new Error(`?phone=${regular.localPhone} found ${byPhone.items.length} orders, expected ${regular.orders}`);
  }
  const profilePath = `/api/v1/customers/${regular.localPhone}`;
  const profile = await getJson<{ id: number }>(base, profilePath, token);
  if (profile.id !== regular.id) throw new Error(`profile of ${regular.localPhone} is customer ${profile.id}`);
  const analyticsPath = '/api/v1/orders/analytics';
  const analytics = await getJson<{ totals: { orders: number } }>(base, analyticsPath, token);
  if (analytics.totals.orders !== seeded.orders) {
    throw new Error(`analytics counts ${analytics.totals.orders} orders, the seed wrote ${seeded.orders}`);
  }
  progress(
    `api: deep page after ${deepAt.created_at} (${Math.round(DEEP_FRACTION * 100)} % in); phone ${regular.localPhone} ` +
      `has ${regular.orders} orders`,
  );
  return [
    { benchmark: 'api.orders.list', path: '/api/v1/orders?limit=25' },
    { benchmark: 'api.orders.deep', path: deepPath },
    { benchmark: 'api.orders.phone', path: phonePath },
    { benchmark: 'api.customers.profile', path: profilePath },
    { benchmark: 'api.orders.analytics', path: analyticsPath },
  ];
}

/**
 * The read API at `--orders` orders: the orders list (first page, a deep keyset page, by phone), a customer
 * profile and the analytics, each against `GET /bench/precomputed` on the same server — same auth hook and
 * permission, same response schema, returning a real first page held in memory — so the ratio is the cost of
 * the query and its mapping. The baseline is measured before and after the endpoints (bracketing).
 */
export const apiBenchmark: Benchmark = {
  name: 'api.orders',
  description:
    'orders list/deep/phone, customer profile and analytics at --orders orders, against a precomputed page ' +
    '(results: api.orders.*, api.customers.profile)',
  async run(opts) {
    let precomputed: unknown = null;
    const bench = await createBenchApp({
      extraRoutes: (app) => {
        app.get(
          PRECOMPUTED_PATH,
          { config: { permission: 'orders:read' }, schema: { response: { 200: OrderPage } } },
          async () => precomputed,
        );
      },
    });
    try {
      const seeded = await seedBenchOrders(bench, opts.orders);
      const base = await startServer(bench.app);
      // A fresh token: the one createBenchApp signed may be close to expiry after a long seed.
      const token = await bench.ctx.tokens.sign({ userId: bench.owner.id, tenantId: bench.tenant.id, role: 'owner' });
      precomputed = await getJson(base, '/api/v1/orders?limit=25', token);
      const targets = await endpoints(bench, base, token, seeded);
      const headers = { authorization: `Bearer ${token}` };
      const { connections, durationSec } = opts;
      const baseline = { url: base + PRECOMPUTED_PATH, headers };

      const warmupSec = opts.quick ? 1 : 2;
      progress(`api: warming up ${targets.length + 1} endpoints (${warmupSec} s each)`);
      for (const t of [baseline, ...targets.map((e) => ({ url: base + e.path, headers }))]) {
        await measureHttp({ ...t, connections, durationSec: warmupSec, warmupSec: 0 });
      }
      const load = { connections, durationSec, warmupSec: 0, headers };
      const measure = async (label: string, url: string, c = connections) => {
        const m = await measureHttp({ ...load, connections: c, url });
        progress(`api: ${label}: ${Math.round(m.rps)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms (${c} connections)`);
        return m;
      };
      const before = await measure(`baseline ${PRECOMPUTED_PATH}`, baseline.url);
      const measured: Array<[Endpoint, HttpMeasurement]> = [];
      for (const e of targets) measured.push([e, await measure(e.benchmark, base + e.path)]);
      const after = await measure(`baseline ${PRECOMPUTED_PATH} again (bracketing)`, baseline.url);
      // Analytics latency without queueing: at 32 connections p50 is mostly the wait behind 31 other requests.
      const analyticsPath = targets.find((e) => e.benchmark === 'api.orders.analytics')!.path;
      const single = {
        baseline: await measure(`baseline ${PRECOMPUTED_PATH}`, baseline.url, 1),
        analytics: await measure('api.orders.analytics', base + analyticsPath, 1),
      };
      const ref = {
        rps: bracketedBaseline('precomputed rps', before.rps, after.rps),
        p50: bracketedBaseline('precomputed p50', before.p50, after.p50),
        p99: bracketedBaseline('precomputed p99', before.p99, after.p99),
      };

      const results: BenchResult[] = [];
      for (const [e, m] of measured) {
        const benchmark = e.benchmark;
        if (benchmark === 'api.orders.analytics') {
          results.push(
            benchResult({
              benchmark,
              metric: 'p50',
              value: m.p50,
              unit: 'ms',
              baseline: ref.p50,
              better: 'lower',
              target: 'p50 < 30 ms',
            }),
            benchResult({ benchmark, metric: 'rps', value: m.rps, unit: 'req/s', baseline: ref.rps, better: 'higher' }),
            benchResult({
              benchmark,
              metric: 'p50_1conn',
              value: single.analytics.p50,
              unit: 'ms',
              baseline: single.baseline.p50,
              better: 'lower',
            }),
          );
          continue;
        }
        results.push(
          benchResult({
            benchmark,
            metric: 'rps',
            value: m.rps,
            unit: 'req/s',
            baseline: ref.rps,
            better: 'higher',
            target: RPS_TARGET,
          }),
          benchResult({
            benchmark,
            metric: 'p99',
            value: m.p99,
            unit: 'ms',
            baseline: ref.p99,
            better: 'lower',
            target: P99_TARGET,
          }),
        );
      }
      return results;
    } finally {
      await bench.close();
    }
  },
};
