import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import { reassignCustomerRows } from '../../platform/db/reassign.js';
import { sameTenant, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import type { InstantRange } from '../orders/order-filters.js';
import { type KeysetSort, keysetPage, type PageRequest } from '../orders/order-sort.js';
import { type CallOutcome, type CallStatus, isCallOverdue, OPEN_CALL_STATUSES } from './call-rules.js';
import type { ScheduledCallsTable } from './interactions.tables.js';
import { type CustomerRef, customerOf, partiesOf, type UserRef, userOf } from './parties.repo.js';

export type CallRow = Selectable<ScheduledCallsTable>;

/** A scheduled call as the API shows it, with its customer and assignee named and `overdue` judged at `now`. */
export interface Call {
  id: number;
  customerId: number;
  customer: CustomerRef;
  interactionId: number | null;
  assigneeId: number | null;
  assignee: UserRef | null;
  scheduledAt: string;
  purpose: string;
  status: CallStatus;
  overdue: boolean;
  outcome: CallOutcome | null;
  notes: string | null;
  durationMinutes: number | null;
  followUpAt: string | null;
  completedAt: string | null;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
}

/** Rows to API shapes, naming their customers and assignees with one lookup for the lot. */
export async function toCalls(ctx: TenantCtx, rows: CallRow[], now: string): Promise<Call[]> {
  const parties = await partiesOf(ctx, rows);
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customer_id,
    customer: customerOf(parties, r.customer_id),
    interactionId: r.interaction_id,
    assigneeId: r.assignee_id,
    assignee: userOf(parties, r.assignee_id),
    scheduledAt: r.scheduled_at,
    purpose: r.purpose,
    status: r.status as CallStatus,
    overdue: isCallOverdue(r.status, r.scheduled_at, now),
    outcome: r.outcome as CallOutcome | null,
    notes: r.notes,
    durationMinutes: r.duration_minutes,
    followUpAt: r.follow_up_at,
    completedAt: r.completed_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** A scheduled call of the tenant by id. */
export async function findCallRow(ctx: TenantCtx, id: number): Promise<CallRow | null> {
  const r = await ctx.db
    .selectFrom('scheduled_calls')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ?? null;
}

export async function insertCall(
  ctx: TenantCtx,
  values: Omit<Insertable<ScheduledCallsTable>, 'tenant_id'>,
): Promise<CallRow> {
  return ctx.db
    .insertInto('scheduled_calls')
    .values({ ...values, tenant_id: ctx.tenantId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Settles an open call (scheduled or missed), only if it still is: of two agents completing one call at once,
 * one wins and the other learns it (false), rather than both writing an outcome and a follow-up.
 */
export async function settleCall(
  ctx: TenantCtx,
  id: number,
  set: Omit<Updateable<ScheduledCallsTable>, 'id' | 'tenant_id'>,
): Promise<boolean> {
  const r = await ctx.db
    .updateTable('scheduled_calls')
    .set(set)
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .where('status', 'in', OPEN_CALL_STATUSES)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Marks `missed` up to `limit` calls still `scheduled` for before `before`, oldest first; returns them. */
export async function markCallsMissed(ctx: TenantCtx, before: string, now: string, limit: number): Promise<CallRow[]> {
  const batch = ctx.db
    .selectFrom('scheduled_calls')
    .select('id')
    .where('tenant_id', '=', ctx.tenantId)
    .where('status', '=', 'scheduled')
    .where('scheduled_at', '<', before)
    .orderBy('scheduled_at')
    .orderBy('id')
    .limit(limit);
  return ctx.db
    .updateTable('scheduled_calls')
    .set({ status: 'missed', updated_at: now })
    .where(sameTenant(ctx, 'tenant_id'))
    .where('id', 'in', batch)
    .where('status', '=', 'scheduled')
    .returningAll()
    .execute();
}

/** Filters of the calls list, in column terms. */
export interface CallFilter {
  statuses?: string[];
  /** A user id, or null for unassigned. */
  assigneeId?: number | null;
  customerIds?: number[];
  interactionId?: number;
  scheduled?: InstantRange;
}

// The agenda reads forward in time: the earliest due call first.
const AGENDA: KeysetSort = {
  name: 'scheduledAt',
  columns: [{ column: 'scheduled_at', kind: 'timestamp' }],
  desc: false,
  nullable: false,
};

/** One keyset page of calls in agenda order (earliest scheduled first). */
export async function listCalls(
  ctx: TenantCtx,
  f: CallFilter,
  page: PageRequest,
  now: string,
): Promise<{ items: Call[]; nextCursor: string | null }> {
  const out = await keysetPage(
    AGENDA,
    page.cursor,
    page.limit,
    async (step, take) => {
      let q = ctx.db.selectFrom('scheduled_calls').selectAll().where('tenant_id', '=', ctx.tenantId);
      if (f.statuses !== undefined) q = q.where('status', 'in', f.statuses);
      if (f.assigneeId !== undefined) q = q.where('assignee_id', f.assigneeId === null ? 'is' : '=', f.assigneeId);
      if (f.customerIds !== undefined) q = q.where('customer_id', 'in', f.customerIds);
      if (f.interactionId !== undefined) q = q.where('interaction_id', '=', f.interactionId);
      if (f.scheduled?.from !== undefined) q = q.where('scheduled_at', '>=', f.scheduled.from);
      if (f.scheduled?.before !== undefined) q = q.where('scheduled_at', '<', f.scheduled.before);
      if (f.scheduled?.until !== undefined) q = q.where('scheduled_at', '<=', f.scheduled.until);
      for (const w of step.where) q = q.where(w);
      for (const o of step.orderBy) q = q.orderBy(sql.ref(o.column), o.desc ? 'desc' : 'asc');
      return q.limit(take).execute();
    },
    (row) => ({ values: [row.scheduled_at], id: row.id }),
  );
  return { items: await toCalls(ctx, out.rows, now), nextCursor: out.nextCursor };
}

/** Hands a merged duplicate's scheduled calls to its survivor; returns how many moved. */
export function moveCustomerCalls(ctx: TenantCtx, fromId: number, toId: number): Promise<number> {
  return reassignCustomerRows(ctx, 'scheduled_calls', fromId, toId);
}
