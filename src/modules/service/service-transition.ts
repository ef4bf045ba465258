import { nowIso } from '../../lib/time.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { emit } from '../../platform/events/outbox.js';
import { AppError, conflict } from '../../platform/http/errors.js';
import { type ActionPatch, findAction, type ServiceActionRow } from './service-actions.repo.js';
import { type Actor, checkTransition, type ServiceEvent, type ServiceStatus } from './transitions.js';

/** Who makes a change: a person (with their role) or the system (courier, jobs). */
export interface ActorInfo {
  role: Actor;
  type: 'user' | 'api_key' | 'system';
  id: number | null;
}

export const SYSTEM: ActorInfo = { role: 'system', type: 'system', id: null };

/**
 * Moves an action along the state table inside the caller's transaction: checks the event and the actor's
 * role against the table (409 listing the allowed events, or 403), updates the row only if nobody moved it
 * meanwhile (409 otherwise), writes the audit row and the outbox event.
 */
export async function applyTransition(
  tx: TenantCtx,
  action: ServiceActionRow,
  event: ServiceEvent,
  actor: ActorInfo,
  opts: { note?: string | null; patch?: ActionPatch; at?: string } = {},
): Promise<ServiceActionRow> {
  const from = action.status as ServiceStatus;
  const check = checkTransition(from, event, actor.role);
  if (!check.ok) {
    if (check.reason === 'role_cannot_transition') {
      throw new AppError(
        403,
        'role_cannot_transition',
        `A ${actor.role} cannot "${event}" a service action that is ${from}`,
        { allowed: check.allowed },
      );
    }
    throw conflict(
      'invalid_transition',
      `"${event}" is not possible while the action is ${from}; allowed: ${check.allowed.join(', ') || 'none'}`,
      { status: from, allowed: check.allowed },
    );
  }
  const to = check.transition.to;
  const at = opts.at ?? nowIso();
  const res = await tx.db
    .updateTable('service_actions')
    .set({
      ...opts.patch,
      status: to,
      status_changed_at: at,
      updated_at: at,
      ...(to === 'completed' ? { completed_at: at } : {}),
      ...(to === 'closed' ? { closed_at: at } : {}),
    })
    .where('tenant_id', '=', tx.tenantId)
    .where('id', '=', action.id)
    .where('status', '=', from)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) {
    throw conflict('concurrent_change', `Service action ${action.number} changed meanwhile; reload it and try again`);
  }
  await tx.db
    .insertInto('service_events')
    .values({
      tenant_id: tx.tenantId,
      action_id: action.id,
      event,
      from_status: from,
      to_status: to,
      actor_type: actor.type,
      actor_id: actor.id,
      actor_role: actor.role,
      note: opts.note ?? null,
      at,
    })
    .execute();
  await emit(tx, {
    type: 'service_action.status_changed',
    entityType: 'service_action',
    entityId: action.id,
    payload: {
      id: action.id,
      number: action.number,
      event,
      from,
      to,
      actor: { type: actor.type, id: actor.id, role: actor.role },
      note: opts.note ?? null,
    },
  });
  return (await findAction(tx, action.id))!;
}

/** The first audit row of an action (created, no previous status). */
export async function recordCreation(tx: TenantCtx, action: ServiceActionRow, actor: ActorInfo): Promise<void> {
  await tx.db
    .insertInto('service_events')
    .values({
      tenant_id: tx.tenantId,
      action_id: action.id,
      event: 'create',
      from_status: null,
      to_status: action.status,
      actor_type: actor.type,
      actor_id: actor.id,
      actor_role: actor.role,
      note: action.reason,
      at: action.created_at,
    })
    .execute();
  await emit(tx, {
    type: 'service_action.created',
    entityType: 'service_action',
    entityId: action.id,
    payload: {
      id: action.id,
      number: action.number,
      type: action.type,
      customerId: action.customer_id,
      mainOrderId: action.main_order_id,
    },
  });
}
