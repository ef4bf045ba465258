import { apiBenchmark } from './api.bench.js';
import { authMeBenchmark } from './auth-me.bench.js';
import type { Benchmark } from './harness.js';
import { hierarchyBenchmark } from './hierarchy.bench.js';
import { ingestBenchmark } from './ingest.bench.js';
import { webOrdersBenchmark } from './web-orders.bench.js';

/** Every benchmark, in the order `bench/run.ts` runs them. Append new ones at the end (names must be unique). */
export const BENCHMARKS: Benchmark[] = [
  authMeBenchmark,
  ingestBenchmark,
  apiBenchmark,
  hierarchyBenchmark,
  webOrdersBenchmark,
];
