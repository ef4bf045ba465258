import type { Selectable } from 'kysely';
import { nowIso } from '../../lib/time.js';
import type { DB } from '../../platform/db/schema.js';
import { parseJson } from '../../platform/db/dialect.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';

export type SyncMode = 'incremental' | 'full';
export type SyncStatus = 'queued' | 'running' | 'completed' | 'failed';

/** Where a run is: the next page to fetch and the window it pages through. Saved with every page. */
export interface SyncCursor {
  page: number;
  /** Stop once deliveries are older than this (incremental); null pages through everything (full). */
  lowBound: string | null;
  /** The newest update time seen on the first page: the next watermark when the run completes. */
  highWatermark: string | null;
  resumedFrom?: number;
}

export interface SyncRun {
  id: number;
  provider: string;
  mode: SyncMode;
  trigger: string;
  status: SyncStatus;
  cursor: SyncCursor;
  pagesDone: number;
  pagesTotal: number | null;
  deliveriesTotal: number | null;
  deliveriesSeen: number;
  created: number;
  updated: number;
  unchanged: number;
  percent: number | null;
  etaSeconds: number | null;
  error: string | null;
  startedAt: string;
  heartbeatAt: string;
  finishedAt: string | null;
}

type Row = Selectable<DB['sync_runs']>;

function toRun(r: Row): SyncRun {
  const percent =
    r.status === 'completed'
      ? 100
      : r.pages_total
        ? Math.min(99, Math.floor((r.pages_done / r.pages_total) * 100))
        : null;
  const elapsed = (Date.parse(r.heartbeat_at) - Date.parse(r.started_at)) / 1000;
  const eta =
    r.status === 'running' && r.pages_total && r.pages_done > 0
      ? Math.max(0, Math.round((elapsed / r.pages_done) * (r.pages_total - r.pages_done)))
      : null;
  return {
    id: r.id,
    provider: r.provider,
    mode: r.mode as SyncMode,
    trigger: r.trigger,
    status: r.status as SyncStatus,
    cursor: parseJson<SyncCursor>(r.cursor, { page: 1, lowBound: null, highWatermark: null }),
    pagesDone: r.pages_done,
    pagesTotal: r.pages_total,
    deliveriesTotal: r.deliveries_total,
    deliveriesSeen: r.deliveries_seen,
    created: r.created_count,
    updated: r.updated_count,
    unchanged: r.unchanged_count,
    percent,
    etaSeconds: eta,
    error: r.error,
    startedAt: r.started_at,
    heartbeatAt: r.heartbeat_at,
    finishedAt: r.finished_at,
  };
}

export async function createRun(
  ctx: TenantCtx,
  r: { provider: string; mode: SyncMode; trigger: string; cursor: SyncCursor; status: SyncStatus },
): Promise<SyncRun> {
  const now = nowIso();
  const row = await ctx.db
    .insertInto('sync_runs')
    .values({
      tenant_id: ctx.tenantId,
      provider: r.provider,
      mode: r.mode,
      trigger: r.trigger,
      status: r.status,
      cursor: JSON.stringify(r.cursor),
      pages_done: 0,
      deliveries_seen: 0,
      created_count: 0,
      updated_count: 0,
      unchanged_count: 0,
      started_at: now,
      heartbeat_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRun(row);
}

export async function getRun(ctx: TenantCtx, id: number): Promise<SyncRun | null> {
  const r = await ctx.db
    .selectFrom('sync_runs')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toRun(r) : null;
}

/** The newest run of a provider. */
export async function latestRun(ctx: TenantCtx, provider: string): Promise<SyncRun | null> {
  const r = await ctx.db
    .selectFrom('sync_runs')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('provider', '=', provider)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? toRun(r) : null;
}

export async function listRuns(ctx: TenantCtx, provider: string, limit: number, cursor?: string) {
  let q = ctx.db
    .selectFrom('sync_runs')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('provider', '=', provider);
  if (cursor) q = q.where('id', '<', Number(decodeCursor(cursor, 1)[0]));
  const rows = await q
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = pageOf(rows, limit, (r) => [r.id]);
  return { items: page.items.map(toRun), nextCursor: page.nextCursor };
}

/** Records one committed page (called inside the page's transaction, so progress and data move together). */
export async function recordPage(
  ctx: TenantCtx,
  id: number,
  p: {
    cursor: SyncCursor;
    seen: number;
    created: number;
    updated: number;
    unchanged: number;
    pagesTotal: number | null;
    deliveriesTotal: number | null;
  },
): Promise<void> {
  await ctx.db
    .updateTable('sync_runs')
    .set((eb) => ({
      cursor: JSON.stringify(p.cursor),
      pages_done: eb('pages_done', '+', 1),
      deliveries_seen: eb('deliveries_seen', '+', p.seen),
      created_count: eb('created_count', '+', p.created),
      updated_count: eb('updated_count', '+', p.updated),
      unchanged_count: eb('unchanged_count', '+', p.unchanged),
      pages_total: p.pagesTotal,
      deliveries_total: p.deliveriesTotal,
      heartbeat_at: nowIso(),
    }))
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .execute();
}

export async function setRunStatus(
  ctx: TenantCtx,
  id: number,
  status: SyncStatus,
  error: string | null = null,
): Promise<void> {
  const done = status === 'completed' || status === 'failed';
  await ctx.db
    .updateTable('sync_runs')
    .set({ status, error, heartbeat_at: nowIso(), ...(done ? { finished_at: nowIso() } : {}) })
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .execute();
}

/** Runs left `running` by a process that died (heartbeat older than the given time) become `failed`, resumable. */
export async function failStaleRuns(ctx: TenantCtx, provider: string, staleBefore: string): Promise<void> {
  await ctx.db
    .updateTable('sync_runs')
    .set({ status: 'failed', error: 'interrupted: the process running it stopped', finished_at: nowIso() })
    .where('tenant_id', '=', ctx.tenantId)
    .where('provider', '=', provider)
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', staleBefore)
    .execute();
}
