import { parseArgs } from 'node:util';
import { tuneHeap } from '../src/platform/heap-tuning.js';
import { type BenchOptions, type BenchResult, formatJsonLine, formatTable, progress } from './harness.js';
import { BENCHMARKS } from './registry.js';

// Benchmarks that serve the app in this process do so with the server's heap settings (`src/main.ts`).
tuneHeap();

const USAGE = `usage: npm run bench -- [options]   (or: npx tsx bench/run.ts [options])

  --json               one JSON object per result line on stdout, nothing else (progress goes to stderr)
  --only <a,b,...>     run only the benchmarks whose name starts with one of these
  --orders <n>         data size for benchmarks that seed orders (default 20000)
  --duration <s>       seconds of measurement per load test (default 5)
  --connections <n>    concurrent HTTP connections (default 32)
  --quick              smoke run: duration 2 s unless --duration is given
  --help               this text and the list of benchmarks`;

const OPTIONS = {
  json: { type: 'boolean' },
  only: { type: 'string' },
  orders: { type: 'string' },
  duration: { type: 'string' },
  connections: { type: 'string' },
  quick: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function positiveInt(name: string, raw: string | undefined, def: number): number {
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) fail(`--${name} must be a positive whole number, got "${raw}"`);
  return Number(raw);
}

function parseOrFail(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    fail((e as Error).message);
  }
}

function parse(argv: string[]): { opts: BenchOptions; only: string[]; help: boolean } {
  const values = parseOrFail(argv);
  const quick = values.quick ?? false;
  return {
    help: values.help ?? false,
    only: (values.only ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    opts: {
      json: values.json ?? false,
      quick,
      orders: positiveInt('orders', values.orders, 20_000),
      durationSec: positiveInt('duration', values.duration, quick ? 2 : 5),
      connections: positiveInt('connections', values.connections, 32),
    },
  };
}

async function main(): Promise<number> {
  const { opts, only, help } = parse(process.argv.slice(2));
  if (help) {
    process.stdout.write(`${USAGE}\n\nbenchmarks:\n`);
    for (const b of BENCHMARKS) process.stdout.write(`  ${b.name.padEnd(28)} ${b.description}\n`);
    return 0;
  }
  const names = new Set<string>();
  for (const b of BENCHMARKS) {
    if (names.has(b.name)) throw new Error(`two benchmarks are named "${b.name}" in bench/registry.ts`);
    names.add(b.name);
  }
  const selected = only.length ? BENCHMARKS.filter((b) => only.some((p) => b.name.startsWith(p))) : BENCHMARKS;
  if (!selected.length) fail(`--only ${only.join(',')} matches none of: ${[...names].join(', ')}`);

  // In JSON mode stdout carries result lines only: anything a benchmark or library logs goes to stderr.
  const writeOut = (s: string) => process.stdout.write(s);
  if (opts.json) {
    console.log = console.error;
    console.info = console.error;
    console.debug = console.error;
  }

  const all: BenchResult[] = [];
  const failed: string[] = [];
  for (const b of selected) {
    progress(`${b.name}: ${b.description}`);
    const started = performance.now();
    try {
      const results = await b.run(opts);
      all.push(...results);
      if (opts.json) for (const r of results) writeOut(`${formatJsonLine(r)}\n`);
      progress(`${b.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (e) {
      failed.push(b.name);
      progress(`${b.name}: FAILED — ${(e as Error).stack ?? String(e)}`);
    }
  }
  if (!opts.json && all.length) writeOut(`${formatTable(all)}\n`);
  if (failed.length) {
    progress(`failed: ${failed.join(', ')}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
// A benchmark that leaks a handle (server, timer, connection) would keep the process alive: say so, then exit.
setTimeout(() => {
  progress('warning: something is still running after the benchmarks (a leaked handle?); exiting anyway');
  process.exit();
}, 5_000).unref();
