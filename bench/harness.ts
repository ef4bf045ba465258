import autocannon from 'autocannon';
import type { FastifyInstance } from 'fastify';

/**
 * The shared vocabulary and tools of every benchmark under `bench/`.
 *
 * Ratio convention (one for every benchmark): `ratio = value / baseline`, always, where the baseline is measured
 * in the same run on the same machine. `better` says which direction is an improvement: for `higher` metrics
 * (req/s) a ratio close to 1 or above is good; for `lower` metrics (latency, memory, duration) a ratio close to 1
 * or below is good. Absolute values depend on the machine; ratios are what targets are written against.
 */
export type Better = 'higher' | 'lower';

/** One measured number of one benchmark. */
export interface BenchResult {
  /** Dotted name of what was measured, e.g. `api.auth.me`. */
  benchmark: string;
  /** What about it, e.g. `rps`, `p99`, `peak_rss`. */
  metric: string;
  value: number;
  unit: string;
  /** The same metric of the reference measured in the same run, or null when there is none. */
  baseline: number | null;
  /** `value / baseline` (see the convention above), or null without a baseline. */
  ratio: number | null;
  /** Which direction of `value` (and so of `ratio`) is an improvement. */
  better: Better;
  /** The target as written in the issue, e.g. `ratio >= 0.5`; informative, never asserted here. */
  target?: string;
}

/** Options of one run, from the command line (see bench/run.ts). */
export interface BenchOptions {
  /** Data size; benchmarks that seed data scale by it. */
  orders: number;
  json: boolean;
  /** Smoke mode: short measurements; benchmarks may also shrink their own fixed costs. */
  quick: boolean;
  durationSec: number;
  connections: number;
}

export interface Benchmark {
  /** Unique, dotted; `--only` matches it by prefix. */
  name: string;
  description: string;
  /** Builds its fixtures, measures, and cleans up everything it created (servers, temp dirs) before resolving. */
  run(opts: BenchOptions): Promise<BenchResult[]>;
}

/** Builds a result, computing the ratio with the convention above. */
export function benchResult(r: Omit<BenchResult, 'ratio'>): BenchResult {
  const ratio = r.baseline === null || r.baseline === 0 ? null : r.value / r.baseline;
  return { ...r, ratio };
}

/**
 * A baseline measured before and after the measurements it is compared with (bracketing): returns their mean, so
 * slow drift of a shared machine biases the ratio less, and warns on stderr when the two differ by more than
 * `tolerance` (the run was noisy; read its ratios with care).
 */
export function bracketedBaseline(label: string, before: number, after: number, tolerance = 0.2): number {
  const mean = (before + after) / 2;
  if (mean > 0 && Math.abs(before - after) / mean > tolerance) {
    progress(`warning: baseline ${label} drifted from ${roundValue(before)} to ${roundValue(after)} during the run`);
  }
  return mean;
}

/** Progress and diagnostics: always stderr, so `--json` keeps stdout to result lines only. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Listens on 127.0.0.1 on a free port; returns the base URL (`http://127.0.0.1:<port>`). Close with `app.close()`. */
export async function startServer(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
  return `http://127.0.0.1:${address.port}`;
}

export interface HttpLoad {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  /** A string is sent as is; an object is sent as JSON (with `content-type: application/json`). */
  body?: string | object;
  connections: number;
  durationSec: number;
  /** Unmeasured load before the measurement (JIT, caches, connection set-up). Default 1 s; 0 skips it. */
  warmupSec?: number;
  /**
   * Worker threads generating the load. Default 1: the client runs off the main thread, so it does not share the
   * server's event loop (it still shares the CPU cores). 0 runs autocannon on the main thread.
   */
  workers?: number;
  /** Accept connection errors/timeouts instead of throwing. Non-2xx responses always throw. */
  allowErrors?: boolean;
}

export interface HttpMeasurement {
  /** Completed requests per second over the measured window. */
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  /** Completed requests in the measured window. */
  requests: number;
  /** Connection errors (including timeouts). */
  errors: number;
  non2xx: number;
}

async function fire(load: HttpLoad, durationSec: number): Promise<autocannon.Result> {
  const headers = { ...(load.headers ?? {}) };
  let body: string | undefined;
  if (typeof load.body === 'string') body = load.body;
  else if (load.body !== undefined) {
    body = JSON.stringify(load.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
  }
  const workers = load.workers ?? 1;
  return autocannon({
    url: load.url,
    method: load.method ?? 'GET',
    headers,
    body,
    connections: load.connections,
    duration: durationSec,
    ...(workers > 0 ? { workers } : {}),
  });
}

function check(what: string, load: HttpLoad, r: autocannon.Result): void {
  if (r.non2xx > 0) {
    const codes = Object.entries(r.statusCodeStats ?? {})
      .map(([code, s]) => `${code}×${s.count ?? 0}`)
      .join(', ');
    throw new Error(
      `${what} ${load.method ?? 'GET'} ${load.url}: ${r.non2xx} non-2xx responses (${codes}); ` +
        'a benchmark of errors is meaningless',
    );
  }
  if (r.errors > 0 && !load.allowErrors) {
    throw new Error(
      `${what} ${load.method ?? 'GET'} ${load.url}: ${r.errors} connection errors (${r.timeouts} timeouts)`,
    );
  }
  if (r.requests.total === 0) throw new Error(`${what} ${load.method ?? 'GET'} ${load.url}: no request completed`);
}

/**
 * Loads one URL with autocannon (after a warm-up) and returns throughput and latency. Throws on any non-2xx
 * response, on connection errors (unless `allowErrors`) and when nothing completed.
 */
export async function measureHttp(load: HttpLoad): Promise<HttpMeasurement> {
  const warmupSec = load.warmupSec ?? 1;
  if (warmupSec > 0) check('warm-up of', load, await fire(load, warmupSec));
  const r = await fire(load, load.durationSec);
  check('measuring', load, r);
  return {
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

export interface RssMeasurement<T> {
  result: T;
  /** Highest `process.memoryUsage().rss` seen while `fn` ran, in bytes. */
  peakRssBytes: number;
  /** RSS just before `fn` started, in bytes (peak − start ≈ what `fn` added). */
  startRssBytes: number;
}

/**
 * Runs `fn` while sampling the process RSS every `intervalMs` and returns the peak. Sampling runs on timers, so
 * it only sees the memory of stretches where `fn` yields to the event loop; the RSS is also sampled right
 * before and right after. Call `global.gc` (node --expose-gc) before if a clean start matters.
 */
export async function measureRss<T>(fn: () => Promise<T>, intervalMs = 50): Promise<RssMeasurement<T>> {
  const startRssBytes = process.memoryUsage().rss;
  let peakRssBytes = startRssBytes;
  const sample = () => {
    const rss = process.memoryUsage().rss;
    if (rss > peakRssBytes) peakRssBytes = rss;
  };
  const timer = setInterval(sample, intervalMs);
  try {
    const result = await fn();
    sample();
    return { result, peakRssBytes, startRssBytes };
  } finally {
    clearInterval(timer);
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Value rounding for output: 3 significant decimals for small numbers, fewer for large ones. */
function roundValue(n: number): number {
  const abs = Math.abs(n);
  return round(n, abs >= 1000 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 4);
}

/** One result as one JSON line: keys in the order benchmark, metric, value, unit, baseline, ratio, better, target. */
export function formatJsonLine(r: BenchResult): string {
  return JSON.stringify({
    benchmark: r.benchmark,
    metric: r.metric,
    value: roundValue(r.value),
    unit: r.unit,
    baseline: r.baseline === null ? null : roundValue(r.baseline),
    ratio: r.ratio === null ? null : round(r.ratio, 3),
    better: r.better,
    ...(r.target !== undefined ? { target: r.target } : {}),
  });
}

function cell(n: number | null): string {
  if (n === null) return '-';
  const v = roundValue(n);
  return Math.abs(v) >= 1000 ? v.toLocaleString('en-US') : String(v);
}

const COLUMNS = ['benchmark', 'metric', 'value', 'unit', 'baseline', 'ratio', 'better', 'target'] as const;
const NUMERIC = new Set<string>(['value', 'baseline', 'ratio']);

/** An aligned text table of results, with the ratio convention in its header. */
export function formatTable(results: BenchResult[]): string {
  const rows = results.map((r) => [
    r.benchmark,
    r.metric,
    cell(r.value),
    r.unit,
    cell(r.baseline),
    r.ratio === null ? '-' : r.ratio.toFixed(3),
    r.better,
    r.target ?? '-',
  ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (NUMERIC.has(COLUMNS[i]) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [
    'ratio = value / baseline (baseline measured in the same run); "better" tells which direction is an improvement',
    line(COLUMNS),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}
