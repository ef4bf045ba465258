import { inTransaction, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { emit, emitMany } from '../../platform/events/outbox.js';
import { conflict, notFound, unprocessable } from '../../platform/http/errors.js';
import { toIso } from '../../lib/time.js';
import { liveCustomer } from '../customers/customers.service.js';
import { type CallOutcome, followUpPlan, isContact, isOpenCall } from './call-rules.js';
import {
  type Call,
  type CallRow,
  findCallRow,
  insertCall,
  markCallsMissed,
  settleCall,
  toCalls,
} from './calls.repo.js';
import { checkAssignee, isActiveUser } from './desk-assignee.js';
import { todayWindow } from './desk-day.js';
import { isResolvedStatus, isTooFarInPast } from './interaction-rules.js';
import { findInteractionRow, type Interaction } from './interactions.repo.js';
import { changeInteraction, type InteractionPatch, openInteraction } from './interactions.service.js';

export interface ScheduleCallInput {
  customerId: number;
  scheduledAt: string;
  purpose: string;
  assigneeId?: number | null;
  interactionId?: number | null;
}

export interface CompleteCallInput {
  outcome: CallOutcome;
  notes?: string | null;
  durationMinutes?: number | null;
  followUpAt?: string | null;
}

export interface CompletedCall {
  call: Call;
  interaction: Interaction | null;
  followUp: { action: 'created' | 'updated'; interaction: Interaction } | null;
}

/** Who acts: a user, or an API key (no user id). */
export interface DeskActor {
  userId: number | null;
}

async function callDto(ctx: TenantCtx, id: number, now: string): Promise<Call> {
  return (await toCalls(ctx, [(await findCallRow(ctx, id))!], now))[0];
}

/** A time meant to lie ahead, as stored; 422 `<code>` when it lies more than the grace in the past. */
function aheadOf(now: string, value: string, code: string, field: string): string {
  const at = toIso(value)!;
  if (isTooFarInPast(at, now))
    throw unprocessable(code, `${field} is more than 5 minutes in the past`, { [field]: at, now });
  return at;
}

/** The linked interaction must exist in the tenant and concern the same (live) customer. */
async function checkLinkedInteraction(tx: TenantCtx, interactionId: number, customerId: number): Promise<void> {
  const linked = await findInteractionRow(tx, interactionId);
  if (!linked) throw notFound('interaction');
  const { customer } = await liveCustomer(tx, linked.customer_id);
  if (customer.id !== customerId) {
    throw unprocessable('interaction_of_other_customer', `Interaction ${interactionId} concerns another customer`, {
      interactionId,
      customerId: customer.id,
    });
  }
}

/**
 * Schedules a call for a customer (a merged id schedules for its survivor), assigned to the calling user
 * unless another active user is named; emits `call.scheduled`.
 */
export async function scheduleCall(
  ctx: TenantCtx,
  input: ScheduleCallInput,
  actor: DeskActor,
  now: string,
): Promise<Call> {
  return inTransaction(ctx, async (tx) => {
    const { customer } = await liveCustomer(tx, input.customerId);
    if (input.interactionId) await checkLinkedInteraction(tx, input.interactionId, customer.id);
    const scheduledAt = aheadOf(now, input.scheduledAt, 'scheduled_in_past', 'scheduledAt');
    const purpose = input.purpose.trim();
    if (!purpose) throw unprocessable('invalid_purpose', 'A call needs a purpose');
    const assigneeId = input.assigneeId === undefined ? actor.userId : input.assigneeId;
    await checkAssignee(tx, assigneeId);
    const row = await insertCall(tx, {
      customer_id: customer.id,
      interaction_id: input.interactionId ?? null,
      assignee_id: assigneeId,
      scheduled_at: scheduledAt,
      purpose,
      status: 'scheduled',
      outcome: null,
      notes: null,
      duration_minutes: null,
      follow_up_at: null,
      completed_at: null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    const call = (await toCalls(tx, [row], now))[0];
    await emit(tx, { type: 'call.scheduled', entityType: 'call', entityId: row.id, payload: call });
    return call;
  });
}

/** One call of the tenant; 404 otherwise. */
export async function getCall(ctx: TenantCtx, id: number, now: string): Promise<Call> {
  const row = await findCallRow(ctx, id);
  if (!row) throw notFound('call');
  return (await toCalls(ctx, [row], now))[0];
}

function notScheduled(id: number, status: string) {
  return conflict('call_not_scheduled', `Call ${id} is ${status}, not open any more`, { status });
}

/**
 * A call that can still be completed or cancelled (scheduled, or missed: a late call back still counts); 404
 * when unknown, 409 `call_not_scheduled` when completed or cancelled.
 */
async function openCall(tx: TenantCtx, id: number): Promise<CallRow> {
  const row = await findCallRow(tx, id);
  if (!row) throw notFound('call');
  if (!isOpenCall(row.status)) throw notScheduled(id, row.status);
  return row;
}

/** Settles a call read as open; 409 when another request settled it in between. */
async function settle(tx: TenantCtx, id: number, set: Parameters<typeof settleCall>[2]): Promise<void> {
  if (!(await settleCall(tx, id, set))) throw notScheduled(id, (await findCallRow(tx, id))?.status ?? 'gone');
}

/**
 * What a call does to its interaction: reaching the customer is the first response, and an outcome
 * `resolved` resolves it (the call notes become the resolution when it has none).
 */
async function settleLinked(
  tx: TenantCtx,
  call: CallRow,
  input: CompleteCallInput,
  now: string,
): Promise<Interaction | null> {
  if (call.interaction_id === null) return null;
  const linked = await findInteractionRow(tx, call.interaction_id);
  if (!linked) return null;
  const patch: InteractionPatch = {};
  if (isContact(input.outcome)) patch.respondedAt = now;
  if (input.outcome === 'resolved' && !isResolvedStatus(linked.status)) {
    patch.status = 'resolved';
    if (!linked.resolution && input.notes?.trim()) patch.resolution = input.notes;
  }
  return changeInteraction(tx, linked.id, patch, now);
}

/**
 * Where the follow-up date goes: the linked open interaction, or a new `follow_up` one (see followUpPlan)
 * assigned to whoever had the call, or to the queue when that person is no longer active.
 */
async function placeFollowUp(
  tx: TenantCtx,
  call: CallRow,
  linked: Interaction | null,
  at: string,
  about: { notes: string | null; actor: DeskActor; now: string },
): Promise<CompletedCall['followUp']> {
  const plan = followUpPlan(linked ? { resolved: isResolvedStatus(linked.status) } : null);
  if (plan === 'set_on_linked' && linked) {
    return { action: 'updated', interaction: await changeInteraction(tx, linked.id, { followUpAt: at }, about.now) };
  }
  const keeper = call.assignee_id !== null && (await isActiveUser(tx, call.assignee_id)) ? call.assignee_id : null;
  const { customer } = await liveCustomer(tx, call.customer_id);
  const interaction = await openInteraction(
    tx,
    customer.id,
    {
      type: 'follow_up',
      channel: 'phone',
      subject: `Follow-up: ${call.purpose}`.slice(0, 200),
      description: about.notes,
      priority: linked?.priority ?? 'medium',
      assigneeId: keeper,
      followUpAt: at,
      serviceActionId: linked?.serviceActionId ?? null,
    },
    about.actor.userId,
    about.now,
  );
  return { action: 'created', interaction };
}

/**
 * Completes a scheduled call (409 when it is not scheduled any more) in one transaction: the outcome on the
 * call, its effect on the linked interaction, the follow-up, and the events of each (`call.completed`,
 * `interaction.updated` / `interaction.created`).
 */
export async function completeCall(
  ctx: TenantCtx,
  id: number,
  input: CompleteCallInput,
  actor: DeskActor,
  now: string,
): Promise<CompletedCall> {
  return inTransaction(ctx, async (tx) => {
    const call = await openCall(tx, id);
    const followUpAt = input.followUpAt ? aheadOf(now, input.followUpAt, 'follow_up_in_past', 'followUpAt') : null;
    const notes = input.notes?.trim() ? input.notes.trim() : null;
    await settle(tx, id, {
      status: 'completed',
      outcome: input.outcome,
      notes,
      duration_minutes: input.durationMinutes ?? null,
      follow_up_at: followUpAt,
      completed_at: now,
      updated_at: now,
    });
    const linked = await settleLinked(tx, call, input, now);
    const followUp = followUpAt ? await placeFollowUp(tx, call, linked, followUpAt, { notes, actor, now }) : null;
    const interaction = followUp?.action === 'updated' ? followUp.interaction : linked;
    const done = await callDto(tx, id, now);
    await emit(tx, {
      type: 'call.completed',
      entityType: 'call',
      entityId: id,
      payload: {
        call: done,
        followUp: followUp && { action: followUp.action, interactionId: followUp.interaction.id },
      },
    });
    return { call: done, interaction, followUp };
  });
}

/** Cancels a scheduled call (409 when it is not scheduled any more); the reason is kept in its notes. */
export async function cancelCall(ctx: TenantCtx, id: number, reason: string | null | undefined, now: string) {
  return inTransaction(ctx, async (tx) => {
    const call = await openCall(tx, id);
    const notes = reason?.trim() ? reason.trim() : call.notes;
    await settle(tx, id, { status: 'cancelled', notes, updated_at: now });
    const done = await callDto(tx, id, now);
    await emit(tx, { type: 'call.cancelled', entityType: 'call', entityId: id, payload: done });
    return done;
  });
}

/**
 * Marks `missed` the tenant's calls nobody completed or cancelled by the end of the merchant's day they were due
 * (in the tenant's time zone), one `call.missed` event each; returns how many. Run by the hourly job. Batches of
 * `batch` calls, a transaction each, so a backlog (a first run over imported calls) never holds the database
 * in one long transaction or builds all its events in memory at once.
 */
export async function markMissedCalls(ctx: TenantCtx, timeZone: string, now: string, batch = 500): Promise<number> {
  const before = todayWindow(now, timeZone).from;
  let total = 0;
  for (;;) {
    const marked = await inTransaction(ctx, async (tx) => {
      const rows = await markCallsMissed(tx, before, now, batch);
      const calls = await toCalls(tx, rows, now);
      await emitMany(
        tx,
        calls.map((c) => ({ type: 'call.missed', entityType: 'call', entityId: c.id, payload: c })),
      );
      return rows.length;
    });
    total += marked;
    if (marked < batch) return total;
  }
}
