import { type SqlBool, sql } from 'kysely';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { OPEN_CALL_STATUSES } from './call-rules.js';
import type { CallRow } from './calls.repo.js';
import { type DayWindow, todayWindow } from './desk-day.js';
import { type Priority, UNRESOLVED_STATUSES } from './interaction-rules.js';
import type { InteractionRow } from './interactions.repo.js';
import { type CustomerRef, customerOf, partiesOf, type UserRef, userOf } from './parties.repo.js';

/** One thing an agent owes a customer today: an interaction's follow-up or a scheduled call. */
export interface FollowUpItem {
  kind: 'interaction' | 'call';
  id: number;
  dueAt: string;
  overdue: boolean;
  title: string;
  ticketNumber: string | null;
  status: string;
  priority: Priority | null;
  interactionId: number | null;
  customerId: number;
  customer: CustomerRef;
  assigneeId: number | null;
  assignee: UserRef | null;
}

export interface FollowUps {
  timeZone: string;
  day: string;
  items: FollowUpItem[];
  totals: { overdue: number; dueLaterToday: number };
  hasMore: boolean;
}

export interface FollowUpQuery {
  now: string;
  timeZone: string;
  /** A user id, null for unassigned, undefined for everyone. */
  assigneeId?: number | null;
  limit: number;
}

function dueInteractions(ctx: TenantCtx, q: FollowUpQuery, today: DayWindow) {
  let s = ctx.db
    .selectFrom('interactions')
    .where('tenant_id', '=', ctx.tenantId)
    .where('follow_up_at', '<', today.before)
    .where('status', 'in', UNRESOLVED_STATUSES);
  if (q.assigneeId !== undefined) s = s.where('assignee_id', q.assigneeId === null ? 'is' : '=', q.assigneeId);
  return s;
}

function dueCalls(ctx: TenantCtx, q: FollowUpQuery, today: DayWindow) {
  let s = ctx.db
    .selectFrom('scheduled_calls')
    .where('tenant_id', '=', ctx.tenantId)
    .where('status', 'in', OPEN_CALL_STATUSES)
    .where('scheduled_at', '<', today.before);
  if (q.assigneeId !== undefined) s = s.where('assignee_id', q.assigneeId === null ? 'is' : '=', q.assigneeId);
  return s;
}

/** How many of the due rows are overdue (before now) and how many fall later today. */
function splitCount(column: 'follow_up_at' | 'scheduled_at', now: string) {
  const late = sql<SqlBool>`${sql.ref(column)} < ${now}`;
  return [
    sql<number>`coalesce(sum(case when ${late} then 1 else 0 end), 0)`.as('overdue'),
    sql<number>`coalesce(sum(case when ${late} then 0 else 1 end), 0)`.as('later'),
  ] as const;
}

function fromInteraction(r: InteractionRow, now: string): Omit<FollowUpItem, 'customer' | 'assignee'> {
  const dueAt = r.follow_up_at!;
  return {
    kind: 'interaction',
    id: r.id,
    dueAt,
    overdue: Date.parse(dueAt) < Date.parse(now),
    title: r.subject,
    ticketNumber: r.ticket_number,
    status: r.status,
    priority: r.priority as Priority,
    interactionId: r.id,
    customerId: r.customer_id,
    assigneeId: r.assignee_id,
  };
}

function fromCall(r: CallRow, now: string): Omit<FollowUpItem, 'customer' | 'assignee'> {
  return {
    kind: 'call',
    id: r.id,
    dueAt: r.scheduled_at,
    overdue: Date.parse(r.scheduled_at) < Date.parse(now),
    title: r.purpose,
    ticketNumber: null,
    status: r.status,
    priority: null,
    interactionId: r.interaction_id,
    customerId: r.customer_id,
    assigneeId: r.assignee_id,
  };
}

/**
 * The desk's to-do list: unresolved interactions whose follow-up falls before the end of the merchant's today,
 * and scheduled calls due by then, oldest first, each marked overdue when its time has passed. Each source is
 * read in due order up to `limit + 1` rows, so the merged page is exact without reading either source whole.
 */
export async function dueFollowUps(ctx: TenantCtx, q: FollowUpQuery): Promise<FollowUps> {
  const today = todayWindow(q.now, q.timeZone);
  const take = q.limit + 1;
  const [interactions, calls, iCount, cCount] = await Promise.all([
    dueInteractions(ctx, q, today).selectAll().orderBy('follow_up_at').orderBy('id').limit(take).execute(),
    dueCalls(ctx, q, today).selectAll().orderBy('scheduled_at').orderBy('id').limit(take).execute(),
    dueInteractions(ctx, q, today).select(splitCount('follow_up_at', q.now)).executeTakeFirstOrThrow(),
    dueCalls(ctx, q, today).select(splitCount('scheduled_at', q.now)).executeTakeFirstOrThrow(),
  ]);
  const merged = [...interactions.map((r) => fromInteraction(r, q.now)), ...calls.map((r) => fromCall(r, q.now))].sort(
    (a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.kind.localeCompare(b.kind) || a.id - b.id,
  );
  const page = merged.slice(0, q.limit);
  const parties = await partiesOf(ctx, [...interactions, ...calls]);
  return {
    timeZone: q.timeZone,
    day: today.day,
    items: page.map((i) => ({
      ...i,
      customer: customerOf(parties, i.customerId),
      assignee: userOf(parties, i.assigneeId),
    })),
    totals: {
      overdue: Number(iCount.overdue) + Number(cCount.overdue),
      dueLaterToday: Number(iCount.later) + Number(cCount.later),
    },
    hasMore: merged.length > q.limit,
  };
}
