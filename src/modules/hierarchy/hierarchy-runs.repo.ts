import { parseJson } from '../../platform/db/dialect.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';

export interface HierarchyRun {
  jobId: string;
  status: string;
  requestedBy: number | null;
  summary: unknown;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Ties a queued job to its tenant; a second request that collapsed onto the same job adds nothing. */
export async function recordRunRequested(
  ctx: TenantCtx,
  jobId: string,
  requestedBy: number | null,
  now: string,
): Promise<void> {
  await ctx.db
    .insertInto('hierarchy_runs')
    .values({ tenant_id: ctx.tenantId, job_id: jobId, status: 'queued', requested_by: requestedBy, created_at: now })
    .onConflict((oc) => oc.columns(['tenant_id', 'job_id']).doNothing())
    .execute();
}

/** Marks a run started; the worker may get there before the request recorded it, hence the upsert. */
export async function markRunStarted(ctx: TenantCtx, jobId: string, now: string): Promise<void> {
  await ctx.db
    .insertInto('hierarchy_runs')
    .values({ tenant_id: ctx.tenantId, job_id: jobId, status: 'running', created_at: now, started_at: now })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'job_id']).doUpdateSet({ status: 'running', started_at: now, error: null }),
    )
    .execute();
}

export async function markRunFinished(
  ctx: TenantCtx,
  jobId: string,
  outcome: { status: 'completed' | 'failed'; summary?: unknown; error?: string },
  now: string,
): Promise<void> {
  await ctx.db
    .updateTable('hierarchy_runs')
    .set({
      status: outcome.status,
      summary: outcome.summary === undefined ? null : JSON.stringify(outcome.summary),
      error: outcome.error ?? null,
      finished_at: now,
    })
    .where('tenant_id', '=', ctx.tenantId)
    .where('job_id', '=', jobId)
    .execute();
}

export async function findRun(ctx: TenantCtx, jobId: string): Promise<HierarchyRun | null> {
  const r = await ctx.db
    .selectFrom('hierarchy_runs')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('job_id', '=', jobId)
    .executeTakeFirst();
  if (!r) return null;
  return {
    jobId: r.job_id,
    status: r.status,
    requestedBy: r.requested_by,
    summary: parseJson(r.summary, null),
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}
