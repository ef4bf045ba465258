import { nowIso } from '../lib/time.js';
import { inTransaction, type TenantCtx } from '../platform/db/tenant-ctx.js';
import { linkForServiceAction } from '../modules/hierarchy/service-links.js';
import { type CourierGateway, CourierRefusedError, type ShipmentRequest } from '../modules/service/courier.js';
import {
  type ActionPatch,
  findAction,
  type ServiceActionRow,
  updateAction,
} from '../modules/service/service-actions.repo.js';
import { relationshipOf, type ServiceType } from '../modules/service/service-rules.js';
import { type ActorInfo, applyTransition } from '../modules/service/service-transition.js';
import type { ServiceEvent } from '../modules/service/transitions.js';
import type { Tenant } from '../modules/tenants/tenants.repo.js';
import { ingestOrders } from './ingest-orders.js';

export type ShipmentKind = 'return' | 'outbound';

/**
 * Asks the courier for a shipment of a service action and, when it answers, records everything in one
 * transaction: the delivery as an order (through the normal ingest), its link under the main order, the
 * action's reference to it and the transition. When the courier refuses or cannot be reached, the action
 * keeps its status with the error shown, and nothing else is written.
 */
export async function createActionShipment(
  ctx: TenantCtx,
  tenant: Tenant,
  courier: CourierGateway,
  action: ServiceActionRow,
  kind: ShipmentKind,
  request: ShipmentRequest,
  transition: { event: ServiceEvent; actor: ActorInfo; note?: string },
): Promise<ServiceActionRow> {
  let created: Awaited<ReturnType<CourierGateway['createReturnPickup']>>;
  try {
    created =
      kind === 'return'
        ? await courier.createReturnPickup(ctx, request)
        : await courier.createOutboundDelivery(ctx, request);
  } catch (e) {
    const message = e instanceof CourierRefusedError ? e.message : `Courier unavailable: ${(e as Error).message}`;
    await updateAction(ctx, action.id, { courier_error: message.slice(0, 1000), updated_at: nowIso() });
    return (await findAction(ctx, action.id))!;
  }
  return inTransaction(ctx, async (tx) => {
    const now = nowIso();
    await ingestOrders(tx, tenant, [created.order], { source: created.order.source, now, via: 'sync' });
    const order = await tx.db
      .selectFrom('orders')
      .select('id')
      .where('tenant_id', '=', tx.tenantId)
      .where('source', '=', created.order.source)
      .where('external_id', '=', created.order.externalId)
      .executeTakeFirstOrThrow();
    if (action.main_order_id) {
      await linkForServiceAction(tx, {
        parentOrderId: action.main_order_id,
        childOrderId: order.id,
        relationship: relationshipOf(action.type as ServiceType),
        actionNumber: action.number,
      });
    }
    const patch: ActionPatch =
      kind === 'return'
        ? { return_order_id: order.id, return_tracking_number: created.trackingNumber, courier_error: null }
        : { outbound_order_id: order.id, outbound_tracking_number: created.trackingNumber, courier_error: null };
    const fresh = (await findAction(tx, action.id))!;
    return applyTransition(tx, fresh, transition.event, transition.actor, {
      patch,
      note: transition.note ?? `${courier.provider} ${created.trackingNumber}`,
    });
  });
}
