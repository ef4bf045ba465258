import { type Insertable, type Selectable, type SqlBool, sql, type Updateable } from 'kysely';
import { ilike } from '../../platform/db/dialect.js';
import { reassignCustomerRows } from '../../platform/db/reassign.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import type { InstantRange } from '../orders/order-filters.js';
import { type KeysetSort, keysetPage, type PageRequest } from '../orders/order-sort.js';
import {
  type Channel,
  type InteractionStatus,
  type InteractionType,
  isOverdue,
  type Priority,
  STATUS_MOVES,
  UNRESOLVED_STATUSES,
} from './interaction-rules.js';
import type { InteractionsTable } from './interactions.tables.js';
import { type CustomerRef, customerOf, partiesOf, type Parties, type UserRef, userOf } from './parties.repo.js';

export type InteractionRow = Selectable<InteractionsTable>;

/** An interaction as the API shows it, with its customer and assignee named and `overdue` judged at `now`. */
export interface Interaction {
  id: number;
  ticketNumber: string;
  customerId: number;
  customer: CustomerRef;
  type: InteractionType;
  channel: Channel;
  subject: string;
  description: string | null;
  priority: Priority;
  status: InteractionStatus;
  nextStatuses: InteractionStatus[];
  assigneeId: number | null;
  assignee: UserRef | null;
  followUpAt: string | null;
  overdue: boolean;
  satisfaction: number | null;
  resolution: string | null;
  resolutionMinutes: number | null;
  serviceActionId: number | null;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  firstResponseAt: string | null;
}

/** Maps a row to the API shape. */
export function toInteraction(r: InteractionRow, parties: Parties, now: string): Interaction {
  const status = r.status as InteractionStatus;
  return {
    id: r.id,
    ticketNumber: r.ticket_number,
    customerId: r.customer_id,
    customer: customerOf(parties, r.customer_id),
    type: r.type as InteractionType,
    channel: r.channel as Channel,
    subject: r.subject,
    description: r.description,
    priority: r.priority as Priority,
    status,
    nextStatuses: [...(STATUS_MOVES[status] ?? [])],
    assigneeId: r.assignee_id,
    assignee: userOf(parties, r.assignee_id),
    followUpAt: r.follow_up_at,
    overdue: isOverdue(r.follow_up_at, status, now),
    satisfaction: r.satisfaction,
    resolution: r.resolution,
    resolutionMinutes: r.resolution_minutes,
    serviceActionId: r.service_action_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    resolvedAt: r.resolved_at,
    firstResponseAt: r.first_response_at,
  };
}

/** Rows to API shapes, naming their customers and assignees with one lookup for the lot. */
export async function toInteractions(ctx: TenantCtx, rows: InteractionRow[], now: string): Promise<Interaction[]> {
  const parties = await partiesOf(ctx, rows);
  return rows.map((r) => toInteraction(r, parties, now));
}

/** An interaction of the tenant by id. */
export async function findInteractionRow(ctx: TenantCtx, id: number): Promise<InteractionRow | null> {
  const r = await ctx.db
    .selectFrom('interactions')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ?? null;
}

export async function ticketNumberTaken(ctx: TenantCtx, ticketNumber: string): Promise<boolean> {
  const r = await ctx.db
    .selectFrom('interactions')
    .select('id')
    .where('tenant_id', '=', ctx.tenantId)
    .where('ticket_number', '=', ticketNumber)
    .executeTakeFirst();
  return r !== undefined;
}

export async function insertInteraction(
  ctx: TenantCtx,
  values: Omit<Insertable<InteractionsTable>, 'tenant_id'>,
): Promise<InteractionRow> {
  return ctx.db
    .insertInto('interactions')
    .values({ ...values, tenant_id: ctx.tenantId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Writes a change only if the row is still as it was read (same `updated_at`): two agents changing one ticket
 * at once must not silently overwrite each other (a close undone by a stale reopen). Returns whether it wrote.
 */
export async function updateInteraction(
  ctx: TenantCtx,
  id: number,
  set: Omit<Updateable<InteractionsTable>, 'id' | 'tenant_id'>,
  readAt: string,
): Promise<boolean> {
  const r = await ctx.db
    .updateTable('interactions')
    .set(set)
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .where('updated_at', '=', readAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Filters of the interaction lists, in column terms. */
export interface InteractionFilter {
  statuses?: string[];
  type?: string;
  priority?: string;
  channel?: string;
  /** A user id, or null for unassigned. */
  assigneeId?: number | null;
  customerIds?: number[];
  /** Follow-up passed at `now` while unresolved (true) or not (false). */
  overdue?: { value: boolean; now: string };
  created?: InstantRange;
  search?: string;
}

const NEWEST_FIRST: KeysetSort = {
  name: '-createdAt',
  columns: [{ column: 'created_at', kind: 'timestamp' }],
  desc: true,
  nullable: false,
};

const TICKET_NUMBER = /^T-[0-9A-Z]{4,16}$/i;

function containsPattern(s: string): string {
  return `%${s.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** Never NULL (so its negation is exact): rows without a follow-up are simply not overdue. */
function overdueCondition(now: string) {
  const due = sql.ref('follow_up_at');
  return sql<SqlBool>`(${due} is not null and ${due} < ${now} and ${sql.ref('status')} in (${sql.join(UNRESOLVED_STATUSES)}))`;
}

/** One keyset page of interactions, newest first. */
export async function listInteractions(
  ctx: TenantCtx,
  f: InteractionFilter,
  page: PageRequest,
  now: string,
): Promise<{ items: Interaction[]; nextCursor: string | null }> {
  const out = await keysetPage(
    NEWEST_FIRST,
    page.cursor,
    page.limit,
    async (step, take) => {
      let q = ctx.db.selectFrom('interactions').selectAll().where('tenant_id', '=', ctx.tenantId);
      if (f.statuses !== undefined) q = q.where('status', 'in', f.statuses);
      if (f.type !== undefined) q = q.where('type', '=', f.type);
      if (f.priority !== undefined) q = q.where('priority', '=', f.priority);
      if (f.channel !== undefined) q = q.where('channel', '=', f.channel);
      if (f.assigneeId !== undefined) q = q.where('assignee_id', f.assigneeId === null ? 'is' : '=', f.assigneeId);
      if (f.customerIds !== undefined) q = q.where('customer_id', 'in', f.customerIds);
      if (f.created?.from !== undefined) q = q.where('created_at', '>=', f.created.from);
      if (f.created?.before !== undefined) q = q.where('created_at', '<', f.created.before);
      if (f.created?.until !== undefined) q = q.where('created_at', '<=', f.created.until);
      if (f.overdue !== undefined) {
        const cond = overdueCondition(f.overdue.now);
        q = q.where(f.overdue.value ? cond : sql<SqlBool>`not ${cond}`);
      }
      if (f.search !== undefined) q = q.where(searchCondition(ctx, f.search));
      for (const w of step.where) q = q.where(w);
      for (const o of step.orderBy) q = q.orderBy(sql.ref(o.column), o.desc ? 'desc' : 'asc');
      return q.limit(take).execute();
    },
    (row) => ({ values: [row.created_at], id: row.id }),
  );
  return { items: await toInteractions(ctx, out.rows, now), nextCursor: out.nextCursor };
}

/** Part of the subject (case-insensitive), or an exact ticket number when the text reads as one. */
function searchCondition(ctx: TenantCtx, search: string) {
  const text = search.trim();
  const inSubject = sql<SqlBool>`${sql.ref('subject')} ${sql.raw(ilike(ctx.dialect))} ${containsPattern(text)} escape '!'`;
  if (!TICKET_NUMBER.test(text)) return inSubject;
  return sql<SqlBool>`(${inSubject} or ${sql.ref('ticket_number')} = ${text.toUpperCase()})`;
}

/**
 * Hands a merged duplicate's tickets to its survivor; returns how many moved. `updated_at` stays: the ticket
 * itself did not change, and an agent's edit in flight must not fail as stale because of it.
 */
export function moveCustomerInteractions(ctx: TenantCtx, fromId: number, toId: number): Promise<number> {
  return reassignCustomerRows(ctx, 'interactions', fromId, toId);
}
