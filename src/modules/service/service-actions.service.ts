import { nowIso } from '../../lib/time.js';
import { inTransaction, sameTenant, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { notFound, unprocessable } from '../../platform/http/errors.js';
import type { TenantSettings } from '../tenants/tenant-settings.js';
import type { CourierGateway } from './courier.js';
import { findAction, type ServiceActionRow, updateAction } from './service-actions.repo.js';
import { slaHours } from './service-rules.js';
import { type ActorInfo, applyTransition } from './service-transition.js';
import { OPEN_STATUSES } from './transitions.js';

export interface ActionFilter {
  status?: string[];
  type?: string;
  customerId?: number;
  assigneeId?: number;
  overdue?: boolean;
  flagged?: boolean;
  createdFrom?: string;
  createdTo?: string;
  limit: number;
  cursor?: string;
}

/** Lists actions newest first; `overdue` compares each open status with its SLA in one query. */
export async function listActions(
  ctx: TenantCtx,
  f: ActionFilter,
  settings: TenantSettings['service'],
  now = new Date(),
) {
  let q = ctx.db.selectFrom('service_actions').selectAll().where('tenant_id', '=', ctx.tenantId);
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.customerId) q = q.where('customer_id', '=', f.customerId);
  if (f.assigneeId) q = q.where('assignee_id', '=', f.assigneeId);
  if (f.flagged !== undefined) q = q.where('flagged', '=', f.flagged);
  if (f.createdFrom) q = q.where('created_at', '>=', f.createdFrom);
  if (f.createdTo) q = q.where('created_at', '<', f.createdTo);
  if (f.overdue !== undefined) {
    const late = OPEN_STATUSES.map((s) => [s, slaHours(s, settings)] as const).filter(
      (x): x is readonly [(typeof x)[0], number] => x[1] !== null,
    );
    q = q.where((eb) => {
      const cond = eb.or(
        late.map(([s, h]) =>
          eb.and([
            eb('status', '=', s),
            eb('status_changed_at', '<', new Date(now.getTime() - h * 3_600_000).toISOString()),
          ]),
        ),
      );
      return f.overdue ? cond : eb.not(cond);
    });
  }
  if (f.cursor) q = q.where('id', '<', Number(decodeCursor(f.cursor, 1)[0]));
  const rows = await q
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  return pageOf(rows, f.limit, (r) => [r.id]);
}

export async function requireAction(ctx: TenantCtx, id: number): Promise<ServiceActionRow> {
  const a = await findAction(ctx, id);
  if (!a) throw notFound('service_action');
  return a;
}

/** Notes and assignee; the assignee must be a user of the tenant. */
export async function patchAction(
  ctx: TenantCtx,
  id: number,
  patch: { notes?: string; assigneeId?: number | null },
): Promise<ServiceActionRow> {
  const a = await requireAction(ctx, id);
  if (patch.assigneeId) {
    const u = await ctx.db
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', ctx.tenantId)
      .where('id', '=', patch.assigneeId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!u) throw unprocessable('invalid_assignee', `User ${patch.assigneeId} is not a user of this tenant`);
  }
  await updateAction(ctx, a.id, {
    ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
    ...(patch.assigneeId !== undefined ? { assignee_id: patch.assigneeId } : {}),
    updated_at: nowIso(),
  });
  return (await findAction(ctx, a.id))!;
}

/**
 * Cancels an open action with a reason. A return pickup the courier has not collected yet is terminated
 * first; when the courier no longer allows that, the action is still cancelled and the note says so.
 */
export async function cancelAction(
  ctx: TenantCtx,
  courier: CourierGateway,
  actor: ActorInfo,
  id: number,
  reason: string,
): Promise<ServiceActionRow> {
  const a = await requireAction(ctx, id);
  let note = reason;
  if (a.return_tracking_number && (a.status === 'return_ordered' || a.status === 'requested')) {
    const r = await courier
      .cancelShipment(ctx, a.return_tracking_number)
      .catch((e: Error) => ({ cancelled: false, reason: e.message }));
    note += r.cancelled
      ? ` (return pickup ${a.return_tracking_number} terminated)`
      : ` (return pickup ${a.return_tracking_number} not terminated: ${r.reason})`;
  }
  return inTransaction(ctx, async (tx) => {
    const fresh = await requireAction(tx, id);
    return applyTransition(tx, fresh, 'cancel', actor, { note, patch: { cancel_reason: reason } });
  });
}

/** Name and phone of the customers of a page of actions, in one query. */
export async function customerBriefs(ctx: TenantCtx, ids: number[]) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map<number, { id: number; name: string; phone: string }>();
  const rows = await ctx.db
    .selectFrom('customers')
    .select(['id', 'name', 'phone'])
    .where(sameTenant(ctx, 'tenant_id'))
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}
