import type { AppContext } from '../../platform/context.js';
import { inTransaction, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { emit } from '../../platform/events/outbox.js';
import { notFound } from '../../platform/http/errors.js';
import { nowIso } from '../../lib/time.js';
import { findRun, markRunFinished, markRunStarted, recordRunRequested } from './hierarchy-runs.repo.js';
import {
  findHierarchyMismatches,
  linkWindowDays,
  loadCustomerRange,
  nextCustomerBoundary,
  reconcileOrderHierarchy,
  writeLinkChanges,
} from './hierarchy.repo.js';
import type { ExistingLink, PlannedLink } from './link-rules.js';
import { planCustomers } from './plan-customers.js';

export const HIERARCHY_DETECT_JOB = 'hierarchy.detect';
/** Customers per read batch: big enough that per-statement costs vanish, small enough to bound memory per read. */
const BATCH_CUSTOMERS = 2000;
/** Orders per write transaction: long enough to amortise commits, short enough not to stall ingest. */
const WRITE_BATCH = 20_000;
const WRITE_STEP = 250;

export interface DetectionSummary {
  customers: number;
  orders: number;
  linksAdded: number;
  linksDeactivated: number;
  ordersUpdated: number;
  batches: number;
  windowDays: number;
  ms: number;
}

/** Planned link changes of a whole tenant, keyed by child order id. */
interface TenantPlan {
  add: Map<number, PlannedLink>;
  deactivate: Map<number, ExistingLink[]>;
}

/** Pass 1: reads customers in keyset batches (one index range each) and plans them; writes nothing. */
async function planTenant(ctx: TenantCtx, windowDays: number, batch: number, total: DetectionSummary) {
  const plan: TenantPlan = { add: new Map(), deactivate: new Map() };
  for (let after = 0; ; ) {
    const upTo = await nextCustomerBoundary(ctx, after, batch);
    if (upTo === null) break;
    const { orders, links } = await loadCustomerRange(ctx, after, upTo);
    const p = planCustomers(orders, links, { windowDays });
    for (const a of p.add) plan.add.set(a.childId, a);
    for (const l of p.deactivate) plan.deactivate.set(l.childId, [...(plan.deactivate.get(l.childId) ?? []), l]);
    total.customers += p.customers;
    total.orders += orders.length;
    total.linksAdded += p.add.length;
    total.linksDeactivated += p.deactivate.length;
    total.batches++;
    after = upTo;
  }
  return plan;
}

/**
 * Re-detects the whole hierarchy of a tenant. Pass 1 plans every customer from keyset batches of reads. Pass 2
 * writes in order id order, one transaction per slice: the slice's link changes, then the hierarchy columns of
 * its orders (those whose link changes, and those found out of step with their links). A customer's orders lie
 * scattered over the table, so writing per customer batch would touch pages (and check foreign keys) all over a
 * multi-gigabyte table again and again; in id order each page is visited about once. Manual decisions stay;
 * a link a concurrent writer changed meanwhile is left alone (guarded deactivation, insert-or-skip), and the
 * order columns are always derived from the links at write time.
 */
export async function detectHierarchy(
  ctx: TenantCtx,
  opts: { batchCustomers?: number; windowDays?: number } = {},
): Promise<DetectionSummary> {
  const started = Date.now();
  const windowDays = opts.windowDays ?? (await linkWindowDays(ctx));
  const total: DetectionSummary = {
    customers: 0,
    orders: 0,
    linksAdded: 0,
    linksDeactivated: 0,
    ordersUpdated: 0,
    batches: 0,
    windowDays,
    ms: 0,
  };
  const plan = await planTenant(ctx, windowDays, Math.max(1, opts.batchCustomers ?? BATCH_CUSTOMERS), total);
  const ids = new Set(await findHierarchyMismatches(ctx));
  for (const id of plan.add.keys()) ids.add(id);
  for (const id of plan.deactivate.keys()) ids.add(id);
  const sorted = [...ids].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i += WRITE_BATCH) {
    const slice = sorted.slice(i, i + WRITE_BATCH);
    await inTransaction(ctx, async (tx) => {
      // Links, then columns, a few hundred orders at a time: the order pages the links' foreign-key checks
      // just read are still in the page cache when the columns are rewritten.
      for (let j = 0; j < slice.length; j += WRITE_STEP) {
        const step = slice.slice(j, j + WRITE_STEP);
        await writeLinkChanges(tx, {
          deactivate: step.flatMap((id) => plan.deactivate.get(id) ?? []),
          add: step.flatMap((id) => plan.add.get(id) ?? []),
        });
        await reconcileOrderHierarchy(tx, step);
      }
    });
  }
  total.ordersUpdated = sorted.length;
  total.ms = Date.now() - started;
  return total;
}

/** Registers the `hierarchy.detect` job handler; call once per worker process at start-up. */
export function registerHierarchyJobs(ctx: AppContext): void {
  ctx.jobs.register(HIERARCHY_DETECT_JOB, async (payload: { tenantId: number }, run) => {
    const tctx: TenantCtx = { tenantId: payload.tenantId, db: ctx.database.db, dialect: ctx.database.dialect };
    await markRunStarted(tctx, run.id, nowIso());
    try {
      const summary = await detectHierarchy(tctx);
      await inTransaction(tctx, async (tx) => {
        await markRunFinished(tx, run.id, { status: 'completed', summary }, nowIso());
        await emit(tx, {
          type: 'hierarchy.detection_completed',
          entityType: 'tenant',
          entityId: payload.tenantId,
          payload: { jobId: run.id, ...summary },
        });
      });
      ctx.logger.info({ tenantId: payload.tenantId, jobId: run.id, ...summary }, 'hierarchy re-detected');
    } catch (err) {
      await markRunFinished(
        tctx,
        run.id,
        { status: 'failed', error: err instanceof Error ? err.message : String(err) },
        nowIso(),
      );
      throw err;
    }
  });
}

/** Queues a full re-detection; clicks within the same minute collapse onto one job. */
export async function requestDetection(
  app: AppContext,
  ctx: TenantCtx,
  requestedBy: number | null,
): Promise<{ jobId: string }> {
  const now = nowIso();
  const key = `${HIERARCHY_DETECT_JOB}:${ctx.tenantId}:${now.slice(0, 16)}`;
  const { id } = await app.jobs.enqueue(HIERARCHY_DETECT_JOB, { tenantId: ctx.tenantId }, { key, maxAttempts: 3 });
  await recordRunRequested(ctx, id, requestedBy, now);
  return { jobId: id };
}

export interface DetectionStatus {
  jobId: string;
  status: string;
  attempts: number;
  error: string | null;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  summary: unknown;
}

/** Status of a re-detection job of this tenant (404 for another tenant's job or an unknown id). */
export async function detectionStatus(app: AppContext, ctx: TenantCtx, jobId: string): Promise<DetectionStatus> {
  const run = await findRun(ctx, jobId);
  if (!run) throw notFound('job');
  const job = await app.jobs.get(jobId);
  return {
    jobId,
    status: job?.status ?? run.status,
    attempts: job?.attempts ?? 0,
    error: job?.lastError ?? run.error,
    requestedAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: job?.finishedAt ?? run.finishedAt,
    summary: run.summary,
  };
}
