import { fromMinor } from '../../lib/money.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import type { TenantSettings } from '../tenants/tenant-settings.js';
import { isOverdue } from './service-rules.js';
import { OPEN_STATUSES } from './transitions.js';

const HOUR = 3_600_000;

function round(n: number | null, digits = 2): number | null {
  if (n === null || !Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * The service cycle in figures: counts by status and type, completion rate, cycle and stage durations (from
 * the audit trail), hub quality, review rate and outcomes, refunds and costs, linked to a main order or not,
 * and the order hierarchy's coverage next to them. Optional creation-date range.
 */
export async function serviceAnalytics(
  ctx: TenantCtx,
  settings: TenantSettings['service'],
  range: { from?: string; to?: string },
  now = new Date(),
) {
  let q = ctx.db.selectFrom('service_actions').selectAll().where('tenant_id', '=', ctx.tenantId);
  if (range.from) q = q.where('created_at', '>=', range.from);
  if (range.to) q = q.where('created_at', '<', range.to);
  const actions = await q.execute();
  const ids = actions.map((a) => a.id);
  const byStatus: Record<string, number> = {};
  const byType: Record<string, number> = {};
  const linked = { withMainOrder: 0, withoutMainOrder: 0 };
  let done = 0;
  let cancelled = 0;
  let overdue = 0;
  let refunds = 0;
  let costs = 0;
  const cycleHours: number[] = [];
  for (const a of actions) {
    byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
    byType[a.type] = (byType[a.type] ?? 0) + 1;
    if (a.main_order_id) linked.withMainOrder++;
    else linked.withoutMainOrder++;
    if (a.status === 'completed' || a.status === 'closed') done++;
    if (a.status === 'cancelled') cancelled++;
    if (
      (OPEN_STATUSES as readonly string[]).includes(a.status) &&
      isOverdue(a.status, a.status_changed_at, settings, now)
    )
      overdue++;
    refunds += Number(a.refund_minor ?? 0);
    if (a.execution !== 'refund') costs += Number(a.actual_cost_minor ?? 0);
    const end = a.closed_at ?? a.completed_at;
    if (end) cycleHours.push((Date.parse(end) - Date.parse(a.created_at)) / HOUR);
  }
  const stages = await stageDurations(ctx, ids);
  const inspections = ids.length
    ? await ctx.db
        .selectFrom('hub_inspections')
        .select(['quality_score', 'review_required', 'review_decision', 'recommended_action'])
        .where('tenant_id', '=', ctx.tenantId)
        .where('action_id', 'in', ids)
        .execute()
    : [];
  const scored = inspections.filter((i) => i.quality_score !== null);
  const reviewed = inspections.filter((i) => i.review_required === true || i.review_required === 1);
  const decisions: Record<string, number> = {};
  for (const i of reviewed)
    if (i.review_decision) decisions[i.review_decision] = (decisions[i.review_decision] ?? 0) + 1;
  const considered = actions.length - cancelled;
  return {
    total: actions.length,
    byStatus,
    byType,
    open: actions.length - done - cancelled,
    overdue,
    completionRate: considered ? round(done / considered, 4) : null,
    averageCycleHours: cycleHours.length ? round(cycleHours.reduce((s, h) => s + h, 0) / cycleHours.length) : null,
    averageStageHours: stages,
    hub: {
      inspections: inspections.length,
      averageQualityScore: scored.length
        ? round(scored.reduce((s, i) => s + Number(i.quality_score), 0) / scored.length)
        : null,
      reviewRate: inspections.length ? round(reviewed.length / inspections.length, 4) : null,
      reviewDecisions: decisions,
    },
    money: { refunds: fromMinor(refunds), serviceCosts: fromMinor(costs) },
    linkedToMainOrder: linked,
    hierarchy: await hierarchyCoverage(ctx),
  };
}

/** Average hours spent in each status, from consecutive audit rows of each action. */
async function stageDurations(ctx: TenantCtx, ids: number[]): Promise<Record<string, number>> {
  if (!ids.length) return {};
  const events = await ctx.db
    .selectFrom('service_events')
    .select(['action_id', 'to_status', 'at'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('action_id', 'in', ids)
    .orderBy('action_id')
    .orderBy('id')
    .execute();
  const sums: Record<string, [number, number]> = {};
  for (let i = 1; i < events.length; i++) {
    const prev = events[i - 1];
    const cur = events[i];
    if (prev.action_id !== cur.action_id) continue;
    sums[prev.to_status] ??= [0, 0];
    const s = sums[prev.to_status];
    s[0] += (Date.parse(cur.at) - Date.parse(prev.at)) / HOUR;
    s[1]++;
  }
  return Object.fromEntries(Object.entries(sums).map(([k, [sum, n]]) => [k, round(sum / n) ?? 0]));
}

/** Share of sub-orders linked under a main order (the same figure the hierarchy analytics report). */
async function hierarchyCoverage(ctx: TenantCtx) {
  const rows = await ctx.db
    .selectFrom('orders')
    .select(['hierarchy_status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', ctx.tenantId)
    .where('order_level', '=', 1)
    .groupBy('hierarchy_status')
    .execute();
  const total = rows.reduce((s, r) => s + Number(r.n), 0);
  const linked = Number(rows.find((r) => r.hierarchy_status === 'linked')?.n ?? 0);
  return { subOrders: total, linked, coverage: total ? round(linked / total, 4) : null };
}
