/**
 * The measured side of the ingest benchmark, run inside `sync-child.ts`: the real app (context, job queue,
 * HTTP app built but not listening) on a fresh SQLite database, a Bosta connection, and one full
 * `runBostaSync` against the simulator in the other process, timed and with its peak RSS.
 */
import { BostaClient } from '../../src/integrations/bosta/client.js';
import { runBostaSync } from '../../src/integrations/bosta/sync.js';
import { DEFAULT_CONNECTION_SETTINGS, saveConnection } from '../../src/modules/integrations/connections.repo.js';
import { createBenchApp } from '../bench-app.js';
import { measureRss, progress } from '../harness.js';
import { readPeakRss, resetPeakRss } from './peak-rss.js';
import type { IngestTimings } from '../../src/flows/ingest-orders.js';

export interface SyncInput {
  url: string;
  apiKey: string;
  deliveries: number;
  /** The rate is also taken when this many deliveries are in (the 100,000), if the sync is longer. */
  mark: number;
  pageSize: number;
}

export interface SyncMeasurement {
  deliveries: number;
  seconds: number;
  /** Deliveries committed when the mark was first reached, and the seconds it took. */
  markDeliveries: number;
  markSeconds: number;
  /** Time inside hierarchy linking (whole sync), as the ingest flow reports it. */
  relinkSeconds: number;
  /** Seconds per ingest stage over the whole sync. */
  stageSeconds: Record<string, number>;
  /** RSS just before the sync (after a GC) and the peak during it; `peakExact` when the kernel counted it. */
  idleRssBytes: number;
  peakRssBytes: number;
  peakExact: boolean;
  /** V8 heap (total, as reserved) just before the sync and its largest value seen at page commits. */
  idleHeapBytes: number;
  peakHeapBytes: number;
  pages: number;
}

let cleanup: (() => Promise<void>) | null = null;

/** Closes whatever a sync left open (the child calls it when told to stop). */
export async function closeSync(): Promise<void> {
  await cleanup?.();
}

export async function measureSync(input: SyncInput): Promise<SyncMeasurement> {
  const bench = await createBenchApp();
  const client = new BostaClient({ baseUrl: input.url, apiKey: input.apiKey });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await client.close().catch(() => undefined);
    await bench.close();
  };
  cleanup = close;
  try {
    await saveConnection(bench.tenantCtx, bench.ctx.secrets, 'bosta', {
      baseUrl: input.url,
      credentials: { apiKey: input.apiKey, webhookSecret: null },
      settings: { ...DEFAULT_CONNECTION_SETTINGS, pageSize: input.pageSize },
    });
    (globalThis as { gc?: () => void }).gc?.();
    const idle = process.memoryUsage();
    let peakHeapBytes = idle.heapTotal;
    const exact = resetPeakRss();
    const timings: IngestTimings = {};
    let mark: { deliveries: number; ms: number } | null = null;
    let nextReport = 0.1;
    const started = performance.now();
    const { result: run, peakRssBytes: sampledPeak } = await measureRss(() =>
      runBostaSync(
        { ctx: bench.tenantCtx, tenant: bench.tenant, client, watermark: null },
        {
          mode: 'full',
          trigger: 'bench',
          pageSize: input.pageSize,
          timings,
          onProgress: (p) => {
            peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapTotal);
            if (!mark && p.deliveriesSeen >= input.mark) {
              mark = { deliveries: p.deliveriesSeen, ms: performance.now() - started };
            }
            if (p.deliveriesSeen >= nextReport * input.deliveries) {
              const s = (performance.now() - started) / 1000;
              progress(
                `ingest: ${p.deliveriesSeen.toLocaleString('en-US')} deliveries in ${s.toFixed(1)} s ` +
                  `(${Math.round(p.deliveriesSeen / s).toLocaleString('en-US')}/s, ` +
                  `RSS ${Math.round(process.memoryUsage().rss / 1e6)} MB)`,
              );
              nextReport += 0.1;
            }
          },
        },
      ),
    );
    const ms = performance.now() - started;
    const kernelPeak = exact ? readPeakRss() : null;
    if (run.status !== 'completed') throw new Error(`sync ended ${run.status}: ${run.error ?? 'no reason given'}`);
    if (run.created !== input.deliveries) {
      throw new Error(`sync created ${run.created} orders, expected ${input.deliveries} (seen ${run.deliveriesSeen})`);
    }
    if (timings.hierarchy === undefined) throw new Error('the sync reported no hierarchy linking time');
    const reached = mark as { deliveries: number; ms: number } | null;
    return {
      deliveries: run.deliveriesSeen,
      seconds: ms / 1000,
      markDeliveries: reached?.deliveries ?? run.deliveriesSeen,
      markSeconds: (reached?.ms ?? ms) / 1000,
      relinkSeconds: (timings.hierarchy ?? 0) / 1000,
      stageSeconds: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, (v ?? 0) / 1000])),
      idleRssBytes: idle.rss,
      idleHeapBytes: idle.heapTotal,
      peakHeapBytes,
      peakRssBytes: Math.max(kernelPeak ?? 0, sampledPeak),
      peakExact: kernelPeak !== null,
      pages: run.pagesDone,
    };
  } finally {
    cleanup = null;
    await close();
  }
}
