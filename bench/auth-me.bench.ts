import { createBenchApp } from './bench-app.js';
import {
  type Benchmark,
  type BenchResult,
  benchResult,
  bracketedBaseline,
  measureHttp,
  progress,
  startServer,
} from './harness.js';

const BARE_PATH = '/bench/bare';
const ME_PATH = '/api/v1/auth/me';

/**
 * `GET /api/v1/auth/me` (JWT and API key) against a bare route on the same server (same plugins and hooks:
 * helmet, CORS, rate limit, request id, metrics), so the ratio isolates authentication plus the route's own work.
 * The baseline is the mean of a measurement before and one after the two measured loads.
 */
export const authMeBenchmark: Benchmark = {
  name: 'api.auth.me',
  description: 'GET /api/v1/auth/me with a JWT and with an API key, against a bare route of the same server',
  async run(opts) {
    const bench = await createBenchApp({
      extraRoutes: (app) => {
        app.get(BARE_PATH, async () => ({ ok: true }));
      },
    });
    try {
      const apiKey = await bench.apiKey('owner');
      const base = await startServer(bench.app);
      const bare = { url: base + BARE_PATH };
      const jwt = { url: base + ME_PATH, headers: { authorization: `Bearer ${bench.accessToken}` } };
      const key = { url: base + ME_PATH, headers: { authorization: `Bearer ${apiKey}` } };
      const { connections, durationSec } = opts;

      // Warm the whole server (JIT of every path, SQLite page cache) before measuring anything, so the first
      // measurement — the baseline — is not the coldest; then measure without per-load warm-up.
      const warmupSec = opts.quick ? 1 : 2;
      progress(`api.auth.me: warming up the three endpoints (${warmupSec} s each)`);
      for (const target of [bare, jwt, key]) {
        await measureHttp({ ...target, connections, durationSec: warmupSec, warmupSec: 0 });
      }
      const load = { connections, durationSec, warmupSec: 0 };
      progress(`api.auth.me: bare ${BARE_PATH} (${connections} connections, ${durationSec} s)`);
      const bareBefore = await measureHttp({ ...load, ...bare });
      progress(`api.auth.me: ${ME_PATH} with a JWT`);
      const jwtRun = await measureHttp({ ...load, ...jwt });
      progress(`api.auth.me: ${ME_PATH} with an API key`);
      const keyRun = await measureHttp({ ...load, ...key });
      progress(`api.auth.me: bare ${BARE_PATH} again (the baseline brackets the measurements)`);
      const bareAfter = await measureHttp({ ...load, ...bare });
      const baseline = {
        rps: bracketedBaseline('bare rps', bareBefore.rps, bareAfter.rps),
        p99: bracketedBaseline('bare p99', bareBefore.p99, bareAfter.p99),
      };

      const results: BenchResult[] = [];
      for (const [benchmark, m] of [
        ['api.auth.me', jwtRun],
        ['api.auth.me.apikey', keyRun],
      ] as const) {
        results.push(
          benchResult({
            benchmark,
            metric: 'rps',
            value: m.rps,
            unit: 'req/s',
            baseline: baseline.rps,
            better: 'higher',
          }),
          benchResult({ benchmark, metric: 'p99', value: m.p99, unit: 'ms', baseline: baseline.p99, better: 'lower' }),
        );
      }
      return results;
    } finally {
      await bench.close();
    }
  },
};
