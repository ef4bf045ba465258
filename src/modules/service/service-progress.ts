import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { bool } from '../../platform/db/dialect.js';
import { findAction, findActionsByOrders, type ServiceActionRow, updateAction } from './service-actions.repo.js';
import { closeIfVerified } from './service-closure.js';
import { applyTransition, SYSTEM } from './service-transition.js';
import type { ServiceEvent } from './transitions.js';

/** A courier state change of an order, as ingest reports it. */
export interface CourierStateChange {
  orderId: number;
  toState: number;
  at: string;
}

const MOVING = new Set([20, 21, 22, 23, 24, 30, 41]);
const DELIVERED = 45;
const RETURNED = 46;
const EXCEPTION = 47;

function nextEvent(a: ServiceActionRow, c: CourierStateChange): ServiceEvent | null {
  if (c.orderId === a.return_order_id) {
    if (MOVING.has(c.toState) && a.status === 'return_ordered') return 'pickup_in_transit';
    // Returned to the business: received unless a hub scan came first.
    if (c.toState === RETURNED && (a.status === 'return_ordered' || a.status === 'return_in_transit')) return 'receive';
  }
  if (c.orderId === a.outbound_order_id && c.toState === DELIVERED && a.status === 'outbound_shipped')
    return 'outbound_delivered';
  return null;
}

/**
 * Moves service actions forward from the courier states of their return pickups and deliveries back
 * (called by ingest inside its transaction). Idempotent: a repeated state finds the action already moved.
 * Exceptions flag the action; a delivery back that returns to the business flags it too.
 */
export async function advanceFromCourier(tx: TenantCtx, changes: CourierStateChange[]): Promise<number> {
  if (changes.length === 0) return 0;
  const actions = await findActionsByOrders(tx, [...new Set(changes.map((c) => c.orderId))]);
  let moved = 0;
  for (const original of actions) {
    let a = original;
    for (const c of changes.filter((x) => x.orderId === a.return_order_id || x.orderId === a.outbound_order_id)) {
      if (c.toState === EXCEPTION || (c.orderId === a.outbound_order_id && c.toState === RETURNED)) {
        const which = c.orderId === a.return_order_id ? 'return pickup' : 'delivery back';
        await updateAction(tx, a.id, {
          flagged: true,
          flag_reason: `Courier ${c.toState === EXCEPTION ? 'exception' : 'returned'} on the ${which} at ${c.at}`,
        });
        a = (await findAction(tx, a.id))!;
        continue;
      }
      // The parcel moved on: the exception is no longer open.
      if (bool(a.flagged)) {
        await updateAction(tx, a.id, { flagged: false, flag_reason: null });
        a = (await findAction(tx, a.id))!;
      }
      const event = nextEvent(a, c);
      if (!event) continue;
      a = await applyTransition(tx, a, event, SYSTEM, { note: `Courier state ${c.toState}`, at: c.at });
      moved++;
      if (a.status === 'completed') a = await closeIfVerified(tx, a);
    }
  }
  return moved;
}
