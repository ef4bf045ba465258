import type { Logger } from 'pino';
import { nowIso } from '../../lib/time.js';
import { Lease } from '../../platform/db/lease.js';
import { inTransaction, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { type IngestTimings, ingestOrders } from '../../flows/ingest-orders.js';
import { setWatermark } from '../../modules/integrations/connections.repo.js';
import {
  createRun,
  failStaleRuns,
  getRun,
  latestRun,
  recordPage,
  type SyncCursor,
  type SyncMode,
  type SyncRun,
  setRunStatus,
} from '../../modules/integrations/sync-runs.repo.js';
import type { Tenant } from '../../modules/tenants/tenants.repo.js';
import type { BostaClient } from './client.js';
import { type DeliveryPageReader, openPageReader } from './page-reader.js';

/** Overlap re-read below the watermark so clock skew and same-millisecond updates are never missed. */
export const WATERMARK_OVERLAP_MS = 5 * 60_000;
const LEASE_TTL_MS = 60_000;
const PROVIDER = 'bosta';

export class SyncAlreadyRunningError extends Error {
  constructor(readonly runId: number | null) {
    super('A Bosta sync is already running for this tenant');
  }
}

export interface SyncProgress {
  run: SyncRun | null;
  page: number;
  pagesDone: number;
  pagesTotal: number | null;
  deliveriesSeen: number;
}

export interface SyncOptions {
  mode: SyncMode;
  trigger: string;
  pageSize?: number;
  /** An existing queued run row to execute (the API creates it so it can answer with it). */
  runId?: number;
  onProgress?: (p: SyncProgress) => void;
  logger?: Logger;
  /** Filled with the milliseconds spent per ingest stage over the run (also logged when the run ends). */
  timings?: IngestTimings;
}

interface Deps {
  ctx: TenantCtx;
  tenant: Tenant;
  client: BostaClient;
  watermark: string | null;
}

/**
 * Where a new run starts: a failed or interrupted run is continued from its last committed page, so
 * nothing is skipped; otherwise page 1 with the window from the watermark (incremental) or everything (full).
 */
async function startingCursor(d: Deps, mode: SyncMode): Promise<{ cursor: SyncCursor; mode: SyncMode }> {
  const last = await latestRun(d.ctx, PROVIDER);
  if (last && last.status === 'failed' && last.cursor.page > 1) {
    return { cursor: { ...last.cursor, resumedFrom: last.id }, mode: last.mode };
  }
  const lowBound =
    mode === 'full' || !d.watermark ? null : new Date(Date.parse(d.watermark) - WATERMARK_OVERLAP_MS).toISOString();
  return { cursor: { page: 1, lowBound, highWatermark: null }, mode };
}

/**
 * One sync run for one tenant: pages through `POST /deliveries/search` newest-update first, writes each page
 * in one transaction together with the run's cursor, and moves the watermark when the run completes. Only
 * one run per tenant at a time across processes (a lease in the database). A page that still fails after the
 * client's retries ends the run as `failed` with the reason; the next run resumes from that page.
 */
export async function runBostaSync(d: Deps, opts: SyncOptions): Promise<SyncRun> {
  const log = opts.logger;
  const lease = new Lease(d.ctx.db, d.ctx.dialect, `sync:${PROVIDER}:${d.ctx.tenantId}`, Lease.ownerId(), LEASE_TTL_MS);
  if (!(await lease.acquire())) {
    const running = await latestRun(d.ctx, PROVIDER);
    if (opts.runId) await setRunStatus(d.ctx, opts.runId, 'failed', 'another run was already in progress');
    throw new SyncAlreadyRunningError(running?.status === 'running' ? running.id : null);
  }
  try {
    await failStaleRuns(d.ctx, PROVIDER, nowIso());
    const start = await startingCursor(d, opts.mode);
    let run: SyncRun;
    if (opts.runId) {
      await d.ctx.db
        .updateTable('sync_runs')
        .set({ status: 'running', mode: start.mode, cursor: JSON.stringify(start.cursor), heartbeat_at: nowIso() })
        .where('tenant_id', '=', d.ctx.tenantId)
        .where('id', '=', opts.runId)
        .execute();
      run = { ...(await latestRunById(d, opts.runId)) };
    } else {
      run = await createRun(d.ctx, {
        provider: PROVIDER,
        mode: start.mode,
        trigger: opts.trigger,
        cursor: start.cursor,
        status: 'running',
      });
    }
    log?.info(
      { runId: run.id, mode: run.mode, page: start.cursor.page, resumedFrom: start.cursor.resumedFrom },
      'bosta sync started',
    );
    try {
      await pageThrough(d, run, start.cursor, opts);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      await setRunStatus(d.ctx, run.id, 'failed', reason);
      log?.error({ runId: run.id, err: reason }, 'bosta sync failed');
      return latestRunById(d, run.id);
    }
    return latestRunById(d, run.id);
  } finally {
    await lease.release();
  }
}

async function latestRunById(d: Deps, id: number): Promise<SyncRun> {
  const r = await getRun(d.ctx, id);
  if (!r) throw new Error(`sync run ${id} vanished`);
  return r;
}

async function pageThrough(d: Deps, run: SyncRun, cursor: SyncCursor, opts: SyncOptions): Promise<void> {
  const limit = opts.pageSize ?? 200;
  const timings: IngestTimings = opts.timings ?? {};
  const reader = openPageReader(d.client, { limit, sortBy: '-updatedAt' });
  try {
    await readPages(d, run, cursor, opts, reader, limit, timings);
  } finally {
    await reader.close();
  }
}

async function readPages(
  d: Deps,
  run: SyncRun,
  cursor: SyncCursor,
  opts: SyncOptions,
  reader: DeliveryPageReader,
  limit: number,
  timings: IngestTimings,
): Promise<void> {
  // One page ahead, requested only once the previous page has arrived: pages must be read in the order the
  // courier produced them, or a delivery inserted in between can slip past both (offset paging).
  const fetchPage = (p: number) => {
    const f = reader.read(p);
    f.catch(() => undefined); // awaited in the next round; never an unhandled rejection when the run stops first
    return f;
  };
  let page = cursor.page;
  let high = cursor.highWatermark;
  let pagesDone = run.pagesDone;
  let seenTotal = run.deliveriesSeen;
  let previousIds: Set<string> | null = null;
  let ahead = fetchPage(page);
  const since = (stage: keyof IngestTimings, t0: number) => {
    timings[stage] = (timings[stage] ?? 0) + performance.now() - t0;
  };
  for (;;) {
    let t0 = performance.now();
    const res = await ahead;
    since('fetch', t0);
    ahead = fetchPage(page + 1);
    const deliveries = res.deliveries;
    const ids = new Set(deliveries.map((x) => x.externalId));
    // Paging past the end can repeat the last page: stop when a page brings no new delivery.
    const repeated = previousIds !== null && [...ids].every((id) => previousIds!.has(id));
    if (deliveries.length === 0 || repeated) {
      await finish(d, run, high);
      logStages(opts.logger, run.id, timings);
      break;
    }
    previousIds = ids;
    t0 = performance.now();
    if (page === 1 || high === null)
      high = maxUpdatedAt(
        deliveries.map((m) => m.updatedAt),
        high,
      );
    const inWindow = cursor.lowBound
      ? deliveries.filter((m) => !m.updatedAt || m.updatedAt >= cursor.lowBound!)
      : deliveries;
    const reachedBound = inWindow.length < deliveries.length;
    const now = nowIso();
    const pagesTotal = res.count !== null ? Math.max(1, Math.ceil(res.count / limit)) : null;
    const next: SyncCursor = { ...cursor, page: page + 1, highWatermark: high };
    since('map', t0);
    t0 = performance.now();
    await inTransaction(d.ctx, async (tx) => {
      const r = await ingestOrders(
        tx,
        d.tenant,
        inWindow.map((m) => m.input),
        { source: PROVIDER, now, via: 'sync', timings },
      );
      await recordPage(tx, run.id, {
        cursor: next,
        seen: inWindow.length,
        created: r.created,
        updated: r.updated,
        unchanged: r.unchanged,
        pagesTotal,
        deliveriesTotal: res.count,
      });
    });
    since('transaction', t0);
    pagesDone++;
    seenTotal += inWindow.length;
    opts.onProgress?.({ run, page, pagesDone, pagesTotal, deliveriesSeen: seenTotal });
    if (pagesDone % 50 === 0)
      opts.logger?.info({ runId: run.id, pagesDone, pagesTotal, deliveriesSeen: seenTotal }, 'bosta sync progress');
    // Not `count`: deliveries created mid-run push older ones further back, so only an empty page ends it.
    if (reachedBound) {
      await finish(d, run, high);
      logStages(opts.logger, run.id, timings);
      break;
    }
    page++;
  }
}

function maxUpdatedAt(values: Array<string | null>, current: string | null): string | null {
  let m = current;
  for (const v of values) if (v && (!m || v > m)) m = v;
  return m;
}

function logStages(log: Logger | undefined, runId: number, timings: IngestTimings): void {
  const ms = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v ?? 0)]));
  log?.info({ runId, ingestMs: ms }, 'bosta sync finished: time per ingest stage');
}

async function finish(d: Deps, run: SyncRun, high: string | null): Promise<void> {
  await inTransaction(d.ctx, async (tx) => {
    if (high && (!d.watermark || high > d.watermark)) await setWatermark(tx, PROVIDER, high, 'ok');
    await setRunStatus(tx, run.id, 'completed');
  });
}
