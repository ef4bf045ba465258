import type { Updateable } from 'kysely';
import { inTransaction, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { emit } from '../../platform/events/outbox.js';
import { badRequest, conflict, notFound, unprocessable } from '../../platform/http/errors.js';
import { shortRef } from '../../lib/ids.js';
import { toIso } from '../../lib/time.js';
import { liveCustomer } from '../customers/customers.service.js';
import { checkAssignee } from './desk-assignee.js';
import {
  type Channel,
  changeStatus,
  initialLifecycle,
  type InteractionStatus,
  type InteractionType,
  isResolvedStatus,
  isTooFarInPast,
  type Lifecycle,
  type Priority,
} from './interaction-rules.js';
import {
  findInteractionRow,
  type Interaction,
  type InteractionRow,
  insertInteraction,
  ticketNumberTaken,
  toInteractions,
  updateInteraction,
} from './interactions.repo.js';
import type { InteractionsTable } from './interactions.tables.js';

/** An interaction as a request describes it (a customer's, from the path). */
export interface InteractionInput {
  type: InteractionType;
  channel: Channel;
  subject: string;
  description?: string | null;
  priority?: Priority;
  status?: InteractionStatus;
  assigneeId?: number | null;
  followUpAt?: string | null;
  resolution?: string | null;
  serviceActionId?: number | null;
}

/** What a change may touch. `respondedAt` is internal: a completed call that reached the customer. */
export interface InteractionPatch {
  status?: InteractionStatus;
  assigneeId?: number | null;
  priority?: Priority;
  followUpAt?: string | null;
  resolution?: string | null;
  satisfaction?: number | null;
  respondedAt?: string;
}

function cleanText(v: string | null | undefined): string | null {
  return v?.trim() ? v.trim() : null;
}

/** A follow-up time as stored (UTC ISO, so text comparison on SQLite orders it), refusing one long past. */
function followUpTime(v: string | null | undefined, now: string): string | null {
  const at = v ? toIso(v) : null;
  if (at && isTooFarInPast(at, now)) {
    throw unprocessable('follow_up_in_past', 'followUpAt is more than 5 minutes in the past', { followUpAt: at, now });
  }
  return at;
}

/**
 * A ticket number no other interaction of the tenant has. 32^8 random references make a clash a curiosity;
 * the check keeps the unique index from ever turning one into a 500.
 */
async function newTicketNumber(ctx: TenantCtx): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const n = shortRef('T');
    if (!(await ticketNumberTaken(ctx, n))) return n;
  }
  throw new Error('five random ticket numbers in a row were taken: the random source is broken');
}

async function interactionDto(ctx: TenantCtx, row: InteractionRow, now: string): Promise<Interaction> {
  return (await toInteractions(ctx, [row], now))[0];
}

/**
 * Opens an interaction on the caller's transaction and emits `interaction.created`. The customer must be a
 * live one (callers resolve merged ids first); the assignee must be an active user of the tenant.
 */
export async function openInteraction(
  tx: TenantCtx,
  customerId: number,
  input: InteractionInput,
  createdBy: number | null,
  now: string,
): Promise<Interaction> {
  const subject = input.subject.trim();
  if (!subject) throw badRequest('invalid_subject', 'An interaction needs a subject');
  await checkAssignee(tx, input.assigneeId);
  const life = initialLifecycle(input.status ?? 'open', now);
  const row = await insertInteraction(tx, {
    ticket_number: await newTicketNumber(tx),
    customer_id: customerId,
    type: input.type,
    channel: input.channel,
    subject,
    description: cleanText(input.description),
    priority: input.priority ?? 'medium',
    status: life.status,
    assignee_id: input.assigneeId ?? null,
    follow_up_at: followUpTime(input.followUpAt, now),
    satisfaction: null,
    resolution: cleanText(input.resolution),
    resolution_minutes: life.resolutionMinutes,
    service_action_id: input.serviceActionId ?? null,
    created_by: createdBy,
    created_at: now,
    updated_at: now,
    resolved_at: life.resolvedAt,
    first_response_at: life.firstResponseAt,
  });
  const dto = await interactionDto(tx, row, now);
  await emit(tx, { type: 'interaction.created', entityType: 'interaction', entityId: row.id, payload: dto });
  return dto;
}

/** Logs an interaction for a customer by id (a merged id logs on its survivor); 404 for an unknown customer. */
export async function createInteraction(
  ctx: TenantCtx,
  customerId: number,
  input: InteractionInput,
  createdBy: number | null,
  now: string,
): Promise<Interaction> {
  return inTransaction(ctx, async (tx) => {
    const { customer } = await liveCustomer(tx, customerId);
    return openInteraction(tx, customer.id, input, createdBy, now);
  });
}

/** One interaction of the tenant; 404 otherwise. */
export async function getInteraction(ctx: TenantCtx, id: number, now: string): Promise<Interaction> {
  const row = await findInteractionRow(ctx, id);
  if (!row) throw notFound('interaction');
  return interactionDto(ctx, row, now);
}

function lifecycleOf(row: InteractionRow): Lifecycle {
  return {
    status: row.status as InteractionStatus,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolutionMinutes: row.resolution_minutes,
    firstResponseAt: row.first_response_at,
  };
}

type Columns = Omit<Updateable<InteractionsTable>, 'id' | 'tenant_id'>;

/** The status columns of a move, or 409 `invalid_transition` with the statuses that are allowed. */
function statusColumns(row: InteractionRow, patch: InteractionPatch, now: string): Columns {
  const before = lifecycleOf(row);
  const moved = changeStatus(before, patch.status ?? before.status, now);
  if (!moved.ok) {
    throw conflict('invalid_transition', `An interaction cannot move from ${moved.from} to ${moved.to}`, {
      from: moved.from,
      to: moved.to,
      allowed: moved.allowed,
    });
  }
  const life = moved.lifecycle;
  return {
    status: life.status,
    resolved_at: life.resolvedAt,
    resolution_minutes: life.resolutionMinutes,
    first_response_at: life.firstResponseAt ?? patch.respondedAt ?? null,
  };
}

/** Every column the patch sets, validated against the rules (assignee, follow-up time, satisfaction). */
async function patchColumns(tx: TenantCtx, row: InteractionRow, patch: InteractionPatch, now: string) {
  const set: Columns = statusColumns(row, patch, now);
  if (patch.assigneeId !== undefined && patch.assigneeId !== row.assignee_id) {
    await checkAssignee(tx, patch.assigneeId);
    set.assignee_id = patch.assigneeId;
  }
  if (patch.priority !== undefined) set.priority = patch.priority;
  if (patch.followUpAt !== undefined) set.follow_up_at = followUpTime(patch.followUpAt, now);
  if (patch.resolution !== undefined) set.resolution = cleanText(patch.resolution);
  if (patch.satisfaction !== undefined) {
    // Satisfaction rates how a problem was solved: asking before it is solved measures nothing.
    if (patch.satisfaction !== null && !isResolvedStatus(String(set.status))) {
      throw unprocessable('interaction_not_resolved', 'Satisfaction is recorded on resolved or closed interactions', {
        status: set.status,
      });
    }
    set.satisfaction = patch.satisfaction;
  }
  return set;
}

const API_NAMES: Record<string, string> = {
  status: 'status',
  assignee_id: 'assigneeId',
  priority: 'priority',
  follow_up_at: 'followUpAt',
  resolution: 'resolution',
  satisfaction: 'satisfaction',
  resolved_at: 'resolvedAt',
  resolution_minutes: 'resolutionMinutes',
  first_response_at: 'firstResponseAt',
};

const TIMESTAMP_COLUMNS = new Set(['follow_up_at', 'resolved_at', 'first_response_at']);

function changesOf(row: InteractionRow, set: Columns): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [column, to] of Object.entries(set)) {
    const from = row[column as keyof InteractionRow];
    // PostgreSQL and SQLite may spell the same instant differently; compare instants, not text.
    const same =
      from === to ||
      (TIMESTAMP_COLUMNS.has(column) &&
        typeof from === 'string' &&
        typeof to === 'string' &&
        Date.parse(from) === Date.parse(to));
    if (!same) changes[API_NAMES[column] ?? column] = { from, to };
  }
  return changes;
}

/**
 * Changes an interaction in one transaction with its `interaction.updated` event (the changed fields, before
 * and after, and the interaction as it now stands). A patch that changes nothing writes and emits nothing.
 */
export async function changeInteraction(
  ctx: TenantCtx,
  id: number,
  patch: InteractionPatch,
  now: string,
): Promise<Interaction> {
  return inTransaction(ctx, async (tx) => {
    const row = await findInteractionRow(tx, id);
    if (!row) throw notFound('interaction');
    const set = await patchColumns(tx, row, patch, now);
    const changes = changesOf(row, set);
    if (Object.keys(changes).length === 0) return interactionDto(tx, row, now);
    if (!(await updateInteraction(tx, id, { ...set, updated_at: now }, row.updated_at))) {
      throw conflict('interaction_changed', 'The interaction changed meanwhile; reload it and try again');
    }
    const after = await interactionDto(tx, (await findInteractionRow(tx, id))!, now);
    await emit(tx, {
      type: 'interaction.updated',
      entityType: 'interaction',
      entityId: id,
      payload: { id, ticketNumber: row.ticket_number, changes, interaction: after },
    });
    return after;
  });
}
