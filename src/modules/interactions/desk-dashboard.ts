import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { addMs } from '../../lib/time.js';
import { OPEN_CALL_STATUSES } from './call-rules.js';
import { type DayWindow, todayWindow } from './desk-day.js';
import { PRIORITIES, UNRESOLVED_STATUSES } from './interaction-rules.js';

export interface DeskDashboard {
  timeZone: string;
  day: string;
  open: { total: number; byStatus: Record<string, number>; byPriority: Record<string, number> };
  mine: { open: number; overdue: number; callsToday: number } | null;
  overdue: { followUps: number; calls: number };
  today: { created: number; resolved: number; callsCompleted: number; callsScheduled: number };
  averageResolutionMinutes: number | null;
}

const AVERAGE_WINDOW_MS = 30 * 86_400_000;

/** `sum(case when … then 1 else 0 end)`, never null (no rows sum to 0 on both dialects). */
function countWhere(cond: RawBuilder<SqlBool>, alias: string) {
  return sql<number>`coalesce(sum(case when ${cond} then 1 else 0 end), 0)`.as(alias);
}

/** Unresolved interactions by status × priority, with the overdue and the caller's among them: one scan. */
async function openWork(ctx: TenantCtx, now: string, me: number | null) {
  const mine = sql<SqlBool>`${sql.ref('assignee_id')} = ${me ?? -1}`;
  const late = sql<SqlBool>`${sql.ref('follow_up_at')} < ${now}`;
  return ctx.db
    .selectFrom('interactions')
    .select(['status', 'priority'])
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      countWhere(late, 'overdue'),
      countWhere(mine, 'mine'),
      countWhere(sql<SqlBool>`${mine} and ${late}`, 'mine_overdue'),
    ])
    .where('tenant_id', '=', ctx.tenantId)
    .where('status', 'in', UNRESOLVED_STATUSES)
    .groupBy(['status', 'priority'])
    .execute();
}

/** Created today, resolved today, and the average resolution time over the last 30 days. */
async function throughput(ctx: TenantCtx, now: string, today: DayWindow) {
  const since = addMs(now, -AVERAGE_WINDOW_MS);
  const created = await ctx.db
    .selectFrom('interactions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', ctx.tenantId)
    .where('created_at', '>=', today.from)
    .where('created_at', '<', today.before)
    .executeTakeFirstOrThrow();
  const resolvedToday = sql<SqlBool>`${sql.ref('resolved_at')} >= ${today.from} and ${sql.ref('resolved_at')} < ${today.before}`;
  const resolved = await ctx.db
    .selectFrom('interactions')
    .select([
      countWhere(resolvedToday, 'today'),
      sql<
        number | null
      >`avg(case when ${sql.ref('resolved_at')} >= ${since} then ${sql.ref('resolution_minutes')} end)`.as('average'),
    ])
    .where('tenant_id', '=', ctx.tenantId)
    // Today began less than a day ago, so the 30-day window holds today's resolutions too.
    .where('resolved_at', '>=', since)
    .executeTakeFirstOrThrow();
  const average = resolved.average === null ? null : Math.round(Number(resolved.average) * 10) / 10;
  return { created: Number(created.n), resolvedToday: Number(resolved.today), average };
}

/** Calls due today (cancelled ones excluded), completed today, and overdue. */
async function callWork(ctx: TenantCtx, now: string, today: DayWindow, me: number | null) {
  const notCancelled = sql<SqlBool>`${sql.ref('status')} <> 'cancelled'`;
  const dueToday = await ctx.db
    .selectFrom('scheduled_calls')
    .select([
      countWhere(notCancelled, 'scheduled'),
      countWhere(sql<SqlBool>`${notCancelled} and ${sql.ref('assignee_id')} = ${me ?? -1}`, 'mine'),
    ])
    .where('tenant_id', '=', ctx.tenantId)
    .where('scheduled_at', '>=', today.from)
    .where('scheduled_at', '<', today.before)
    .executeTakeFirstOrThrow();
  const completed = await ctx.db
    .selectFrom('scheduled_calls')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', ctx.tenantId)
    .where('completed_at', '>=', today.from)
    .where('completed_at', '<', today.before)
    .executeTakeFirstOrThrow();
  const overdue = await ctx.db
    .selectFrom('scheduled_calls')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', ctx.tenantId)
    .where('status', 'in', OPEN_CALL_STATUSES)
    .where('scheduled_at', '<', now)
    .executeTakeFirstOrThrow();
  return {
    scheduled: Number(dueToday.scheduled),
    mine: Number(dueToday.mine),
    completed: Number(completed.n),
    overdue: Number(overdue.n),
  };
}

/**
 * The agent dashboard. "Today" is the merchant's calendar day in its time zone; `mine` is the calling user's
 * queue (null for an API key, which has none).
 */
export async function deskDashboard(
  ctx: TenantCtx,
  q: { now: string; timeZone: string; userId: number | null },
): Promise<DeskDashboard> {
  const today = todayWindow(q.now, q.timeZone);
  const groups = await openWork(ctx, q.now, q.userId);
  const flow = await throughput(ctx, q.now, today);
  const calls = await callWork(ctx, q.now, today, q.userId);
  const byStatus: Record<string, number> = Object.fromEntries(UNRESOLVED_STATUSES.map((s) => [s, 0]));
  const byPriority: Record<string, number> = Object.fromEntries(PRIORITIES.map((p) => [p, 0]));
  const sums = { total: 0, overdue: 0, mine: 0, mineOverdue: 0 };
  for (const g of groups) {
    const n = Number(g.n);
    byStatus[g.status] = (byStatus[g.status] ?? 0) + n;
    byPriority[g.priority] = (byPriority[g.priority] ?? 0) + n;
    sums.total += n;
    sums.overdue += Number(g.overdue);
    sums.mine += Number(g.mine);
    sums.mineOverdue += Number(g.mine_overdue);
  }
  return {
    timeZone: q.timeZone,
    day: today.day,
    open: { total: sums.total, byStatus, byPriority },
    mine: q.userId === null ? null : { open: sums.mine, overdue: sums.mineOverdue, callsToday: calls.mine },
    overdue: { followUps: sums.overdue, calls: calls.overdue },
    today: {
      created: flow.created,
      resolved: flow.resolvedToday,
      callsCompleted: calls.completed,
      callsScheduled: calls.scheduled,
    },
    averageResolutionMinutes: flow.average,
  };
}
