import { shortRef } from '../lib/ids.js';
import { toE164 } from '../lib/phone.js';
import { nowIso } from '../lib/time.js';
import { isUniqueViolation, parseJson } from '../platform/db/dialect.js';
import { inTransaction, type TenantCtx } from '../platform/db/tenant-ctx.js';
import { badRequest, notFound, unprocessable } from '../platform/http/errors.js';
import { resolveCustomers } from '../modules/customers/customer-resolution.js';
import type { CourierGateway, ShipmentAddress } from '../modules/service/courier.js';
import {
  findActionByIdempotencyKey,
  insertAction,
  type ServiceActionRow,
} from '../modules/service/service-actions.repo.js';
import { type ServiceType, warrantyOf } from '../modules/service/service-rules.js';
import { type ActorInfo, recordCreation } from '../modules/service/service-transition.js';
import type { Tenant } from '../modules/tenants/tenants.repo.js';
import { createActionShipment } from './courier-shipments.js';

export interface OpenServiceActionInput {
  customerPhone: string;
  customerName?: string;
  type: ServiceType;
  reason: string;
  mainOrderId?: number;
  product?: { sku?: string; name?: string };
  notes?: string;
  pickupAddress?: ShipmentAddress;
  idempotencyKey?: string;
}

const SUBTYPE: Record<ServiceType, { warranty: string; paid: string }> = {
  maintenance: { warranty: 'warranty', paid: 'paid' },
  replace_part: { warranty: 'warranty', paid: 'paid' },
  replace_full: { warranty: 'exchange', paid: 'exchange' },
  return_refund: { warranty: 'refund', paid: 'refund' },
};

async function sourceOrder(ctx: TenantCtx, customerId: number, mainOrderId: number | undefined) {
  const q = ctx.db
    .selectFrom('orders')
    .leftJoin('order_documents', 'order_documents.order_id', 'orders.id')
    .select([
      'orders.id',
      'orders.customer_id',
      'orders.delivered_at',
      'order_documents.raw',
      'orders.city',
      'orders.zone',
      'orders.district',
      'orders.address',
      'orders.package_description',
      'orders.receiver_name',
      'orders.cod_minor',
    ])
    .where('orders.tenant_id', '=', ctx.tenantId);
  if (mainOrderId) {
    const o = await q.where('orders.id', '=', mainOrderId).executeTakeFirst();
    if (!o) throw notFound('order', `Main order ${mainOrderId} not found`);
    if (o.customer_id !== customerId) {
      throw unprocessable(
        'order_of_another_customer',
        `Order ${mainOrderId} belongs to another customer than ${customerId}`,
      );
    }
    return o;
  }
  // Without a main order the customer's latest order still knows their address.
  return (
    (await q
      .where('orders.customer_id', '=', customerId)
      .orderBy('orders.created_at', 'desc')
      .limit(1)
      .executeTakeFirst()) ?? null
  );
}

/**
 * A customer's call becomes a service action: the customer is found (or created) by any phone format, the
 * warranty comes from the main order's delivery date, the action is stored, and a real courier return
 * pickup is requested. A double submit with the same Idempotency-Key returns the first action.
 */
export async function openServiceAction(
  ctx: TenantCtx,
  tenant: Tenant,
  courier: CourierGateway,
  actor: ActorInfo,
  input: OpenServiceActionInput,
): Promise<{ action: ServiceActionRow; created: boolean }> {
  if (input.idempotencyKey) {
    const existing = await findActionByIdempotencyKey(ctx, input.idempotencyKey);
    if (existing) return { action: existing, created: false };
  }
  const phone = toE164(input.customerPhone, tenant.country);
  if (!phone) throw badRequest('invalid_phone', `"${input.customerPhone}" is not a valid phone number`);
  const now = nowIso();
  let action: ServiceActionRow;
  try {
    action = await inTransaction(ctx, async (tx) => {
      const customers = await resolveCustomers(
        tx,
        [
          {
            phone,
            name: input.customerName?.trim() || phone,
            secondPhone: null,
            city: input.pickupAddress?.city ?? null,
            zone: input.pickupAddress?.zone ?? null,
            district: input.pickupAddress?.district ?? null,
            address: input.pickupAddress?.firstLine ?? null,
          },
        ],
        'service',
        now,
      );
      const customerId = customers.get(phone)!;
      const order = await sourceOrder(tx, customerId, input.mainOrderId);
      const mainOrder = input.mainOrderId ? order : null;
      const address = input.pickupAddress ?? (order ? courier.addressFromOrder(order) : null);
      if (!address)
        throw unprocessable('pickup_address_required', 'The customer has no known address: send pickupAddress');
      const warranty = warrantyOf(
        mainOrder?.delivered_at ?? null,
        tenant.settings.service.warrantyMonths,
        new Date(now),
      );
      const row = await insertAction(tx, {
        number: shortRef('SA', 7),
        customer_id: customerId,
        main_order_id: mainOrder?.id ?? null,
        type: input.type,
        subtype: warranty.status === 'in_warranty' ? SUBTYPE[input.type].warranty : SUBTYPE[input.type].paid,
        status: 'requested',
        reason: input.reason,
        notes: input.notes ?? null,
        product_sku: input.product?.sku ?? null,
        product_name: input.product?.name ?? mainOrder?.package_description ?? null,
        warranty_status: warranty.status,
        warranty_until: warranty.until,
        estimated_cost_minor:
          warranty.status === 'in_warranty' ? 0 : Math.round(tenant.settings.service.estimatedCost[input.type] * 100),
        actual_cost_minor: null,
        customer_pays_minor: null,
        pickup_address: JSON.stringify(address),
        return_order_id: null,
        return_tracking_number: null,
        outbound_order_id: null,
        outbound_tracking_number: null,
        assignee_id: null,
        technician: null,
        execution: null,
        replacement_sku: null,
        refund_minor: null,
        refund_reason: null,
        refunded_at: null,
        flagged: false,
        flag_reason: null,
        courier_error: null,
        cancel_reason: null,
        idempotency_key: input.idempotencyKey ?? null,
        created_by: actor.type === 'user' ? actor.id : null,
        created_at: now,
        updated_at: now,
        status_changed_at: now,
        completed_at: null,
        closed_at: null,
      });
      await recordCreation(tx, row, actor);
      return row;
    });
  } catch (e) {
    // Two submits with one key at the same instant: the unique key let one through; answer with it.
    if (input.idempotencyKey && isUniqueViolation(e)) {
      const existing = await findActionByIdempotencyKey(ctx, input.idempotencyKey);
      if (existing) return { action: existing, created: false };
    }
    throw e;
  }
  return { action: await requestReturnPickup(ctx, tenant, courier, action, actor, 'return_ordered'), created: true };
}

/** Asks the courier for the return pickup of an action in `requested` (first try or a retry). */
export async function requestReturnPickup(
  ctx: TenantCtx,
  tenant: Tenant,
  courier: CourierGateway,
  action: ServiceActionRow,
  actor: ActorInfo,
  event: 'return_ordered' | 'retry_pickup',
): Promise<ServiceActionRow> {
  const customer = await ctx.db
    .selectFrom('customers')
    .select(['name', 'phone'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', action.customer_id)
    .executeTakeFirstOrThrow();
  const address = parseJson<ShipmentAddress>(action.pickup_address, { city: '', firstLine: '' });
  return createActionShipment(
    ctx,
    tenant,
    courier,
    action,
    'return',
    {
      reference: `${action.number}-R`,
      customer: { name: customer.name, phone: customer.phone },
      address,
      description: `${action.product_name ?? 'Product'} — ${action.type}: ${action.reason}`.slice(0, 250),
      itemsCount: 1,
      codMinor: 0,
      notes: `Return for ${action.type} (${action.number})`,
    },
    { event, actor },
  );
}
