import { nowIso } from '../lib/time.js';
import { parseJson } from '../platform/db/dialect.js';
import { inTransaction, type TenantCtx } from '../platform/db/tenant-ctx.js';
import { AppError, conflict, unprocessable } from '../platform/http/errors.js';
import type { CourierGateway, ShipmentAddress } from '../modules/service/courier.js';
import { executionBlockedByReview } from '../modules/service/hub.service.js';
import { findAction, findInspectionOfAction, type ServiceActionRow } from '../modules/service/service-actions.repo.js';
import { closeIfVerified } from '../modules/service/service-closure.js';
import { type PartLine, serviceCost, type WarrantyStatus } from '../modules/service/service-rules.js';
import { type ActorInfo, applyTransition } from '../modules/service/service-transition.js';
import type { Tenant } from '../modules/tenants/tenants.repo.js';
import { createActionShipment } from './courier-shipments.js';

export type Execution = 'maintenance' | 'replace_part' | 'replace_full';

export interface ExecutionInput {
  kind: Execution;
  technician?: string;
  notes?: string;
  parts?: Array<{ sku: string; qty: number; unitCost?: number }>;
  /** replace_full: the product sent instead. */
  sku?: string;
  unitCost?: number;
}

async function loadExecutable(tx: TenantCtx, actionId: number): Promise<ServiceActionRow> {
  const action = await findAction(tx, actionId);
  if (!action) throw new AppError(404, 'service_action_not_found', 'service action not found');
  const inspection = await findInspectionOfAction(tx, actionId);
  if (executionBlockedByReview(action, inspection)) {
    throw conflict(
      'review_required',
      `Service action ${action.number} needs a team leader's approval before it is executed (it is ${action.status})`,
      { status: action.status },
    );
  }
  return action;
}

/**
 * A technician repairs, replaces a part, or replaces the whole product: parts and cost are recorded (the
 * customer pays nothing under warranty), the action goes `in_progress`, and the courier delivery back to
 * the customer is created (COD = what the customer pays) → `outbound_shipped`.
 */
export async function executeService(
  ctx: TenantCtx,
  tenant: Tenant,
  courier: CourierGateway,
  actor: ActorInfo,
  actionId: number,
  input: ExecutionInput,
): Promise<ServiceActionRow> {
  const action = await inTransaction(ctx, async (tx) => {
    const a = await loadExecutable(tx, actionId);
    const lines: PartLine[] =
      input.kind === 'replace_full'
        ? [{ sku: input.sku!, qty: 1, unitCostMinor: Math.round((input.unitCost ?? 0) * 100) }]
        : (input.parts ?? []).map((p) => ({
            sku: p.sku,
            qty: p.qty,
            unitCostMinor: Math.round((p.unitCost ?? 0) * 100),
          }));
    const labour = input.kind === 'replace_full' ? 0 : Math.round(tenant.settings.service.labourCost * 100);
    const cost = serviceCost(lines, labour, a.warranty_status as WarrantyStatus);
    const now = nowIso();
    if (lines.length) {
      await tx.db
        .insertInto('service_parts')
        .values(
          lines.map((l) => ({
            tenant_id: tx.tenantId,
            action_id: a.id,
            kind: input.kind === 'replace_full' ? 'replacement' : 'part',
            sku: l.sku,
            qty: l.qty,
            unit_cost_minor: l.unitCostMinor,
            stock_applied: false,
            created_at: now,
          })),
        )
        .execute();
    }
    return applyTransition(tx, a, 'start_execution', actor, {
      note: input.notes ?? `${input.kind} by ${input.technician ?? 'technician'}`,
      patch: {
        execution: input.kind,
        technician: input.technician ?? null,
        replacement_sku: input.kind === 'replace_full' ? (input.sku ?? null) : null,
        actual_cost_minor: cost.costMinor,
        customer_pays_minor: cost.customerPaysMinor,
        notes: input.notes ? [a.notes, input.notes].filter(Boolean).join('\n') : a.notes,
      },
    });
  });
  return shipBack(ctx, tenant, courier, action, actor);
}

/** Creates (or retries) the delivery back to the customer of an action `in_progress`. */
export async function shipBack(
  ctx: TenantCtx,
  tenant: Tenant,
  courier: CourierGateway,
  action: ServiceActionRow,
  actor: ActorInfo,
): Promise<ServiceActionRow> {
  if (action.status !== 'in_progress') {
    throw conflict(
      'invalid_transition',
      `Service action ${action.number} is ${action.status}; only an action in progress is shipped back`,
      { status: action.status },
    );
  }
  const customer = await ctx.db
    .selectFrom('customers')
    .select(['name', 'phone'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', action.customer_id)
    .executeTakeFirstOrThrow();
  const what =
    action.execution === 'replace_full'
      ? `Replacement ${action.replacement_sku ?? ''}`
      : `Serviced: ${action.product_name ?? 'product'}`;
  return createActionShipment(
    ctx,
    tenant,
    courier,
    action,
    'outbound',
    {
      reference: `${action.number}-O`,
      customer: { name: customer.name, phone: customer.phone },
      address: parseJson<ShipmentAddress>(action.pickup_address, { city: '', firstLine: '' }),
      description: what.slice(0, 250),
      itemsCount: 1,
      codMinor: Number(action.customer_pays_minor ?? 0),
      notes: `${action.number}: ${action.execution}`,
    },
    { event: 'ship_outbound', actor },
  );
}

/**
 * Records a refund: never above what the customer paid for the main order, except by a manager who gives a
 * reason; above the tenant's review threshold only after a team leader's approval. Completes the action and
 * closes it when nothing else is open.
 */
export async function refundService(
  ctx: TenantCtx,
  tenant: Tenant,
  actor: ActorInfo,
  actionId: number,
  input: { amount: number; reason?: string },
): Promise<ServiceActionRow> {
  return inTransaction(ctx, async (tx) => {
    const action = await loadExecutable(tx, actionId);
    const amountMinor = Math.round(input.amount * 100);
    const paid = action.main_order_id
      ? Number(
          (
            await tx.db
              .selectFrom('orders')
              .select('cod_minor')
              .where('tenant_id', '=', tx.tenantId)
              .where('id', '=', action.main_order_id)
              .executeTakeFirst()
          )?.cod_minor ?? 0,
        )
      : 0;
    const manager = actor.role === 'manager' || actor.role === 'admin' || actor.role === 'owner';
    if (amountMinor > paid && !(manager && input.reason?.trim())) {
      throw unprocessable(
        'refund_exceeds_paid',
        `A refund of ${input.amount} is above what the customer paid (${paid / 100}); only a manager with a reason can do that`,
        { paid: paid / 100, amount: input.amount },
      );
    }
    if (amountMinor > Math.round(tenant.settings.service.refundReviewThreshold * 100) && action.status !== 'approved') {
      throw conflict(
        'review_required',
        `A refund above ${tenant.settings.service.refundReviewThreshold} needs a team leader's approval first`,
        { status: action.status },
      );
    }
    const done = await applyTransition(tx, action, 'refund', actor, {
      note: input.reason ?? `Refund ${input.amount}`,
      patch: {
        refund_minor: amountMinor,
        refund_reason: input.reason ?? null,
        refunded_at: nowIso(),
        execution: 'refund',
        actual_cost_minor: amountMinor,
      },
    });
    return closeIfVerified(tx, done);
  });
}
