import { bool } from '../../platform/db/dialect.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { findAction, type ServiceActionRow } from './service-actions.repo.js';
import { applyTransition, SYSTEM } from './service-transition.js';

const DELIVERED = 45;

/** Whether a completed action's outcome is verified: its delivery back arrived or its refund is recorded, and no exception is open. */
export async function closureVerified(ctx: TenantCtx, action: ServiceActionRow): Promise<boolean> {
  if (action.status !== 'completed' || bool(action.flagged)) return false;
  if (action.refunded_at) return true;
  if (!action.outbound_order_id) return false;
  const o = await ctx.db
    .selectFrom('orders')
    .select('state_code')
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', action.outbound_order_id)
    .executeTakeFirst();
  return o?.state_code === DELIVERED;
}

/** Closes a completed action once verified; otherwise returns it unchanged. */
export async function closeIfVerified(tx: TenantCtx, action: ServiceActionRow): Promise<ServiceActionRow> {
  if (!(await closureVerified(tx, action))) return action;
  return applyTransition(tx, action, 'close', SYSTEM, {
    note: action.refunded_at ? 'Verified: refund recorded' : 'Verified: delivered back to the customer',
  });
}

/** The daily sweep: every completed action of a tenant that can be verified is closed. */
export async function closeVerifiedActions(tx: TenantCtx): Promise<number> {
  const rows = await tx.db
    .selectFrom('service_actions')
    .select('id')
    .where('tenant_id', '=', tx.tenantId)
    .where('status', '=', 'completed')
    .execute();
  let closed = 0;
  for (const r of rows) {
    const a = await findAction(tx, r.id);
    if (a && (await closeIfVerified(tx, a)).status === 'closed') closed++;
  }
  return closed;
}
