import type { Principal } from '../../platform/auth/principal.js';
import { inTransaction, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { emit } from '../../platform/events/outbox.js';
import { notFound } from '../../platform/http/errors.js';
import { nowIso } from '../../lib/time.js';
import { findOrder, type OrderDetail, setOrderLocalNotes } from './orders.repo.js';

/** Who made a local change, as the order's change audit records it. */
export function changeSource(p: Principal): string {
  return p.actorType === 'user' ? `user:${p.userId}` : `api_key:${p.apiKeyId}`;
}

/**
 * Sets our own notes on an order. Sync never writes `local_notes`, so they survive every courier update.
 * The change audit row and the `order.notes_updated` event commit with the change or not at all.
 */
export async function changeOrderNotes(
  ctx: TenantCtx,
  id: number,
  localNotes: string | null,
  source: string,
): Promise<OrderDetail> {
  return inTransaction(ctx, async (tx) => {
    const order = await findOrder(tx, id);
    if (!order) throw notFound('order');
    const to = localNotes?.trim() ? localNotes.trim() : null;
    if (to === order.localNotes) return order;
    await setOrderLocalNotes(tx, id, { from: order.localNotes, to, source, now: nowIso() });
    await emit(tx, {
      type: 'order.notes_updated',
      entityType: 'order',
      entityId: id,
      payload: {
        orderId: id,
        trackingNumber: order.trackingNumber,
        localNotes: to,
        previousLocalNotes: order.localNotes,
      },
    });
    return { ...order, localNotes: to };
  });
}
