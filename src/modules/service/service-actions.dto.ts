import { fromMinor } from '../../lib/money.js';
import { bool, parseJson } from '../../platform/db/dialect.js';
import type { TenantSettings } from '../tenants/tenant-settings.js';
import type { ServiceActionRow } from './service-actions.repo.js';
import { isOverdue } from './service-rules.js';
import { type Actor, allowedEvents, type ServiceStatus } from './transitions.js';

/** The API shape of an action: money in decimals, the SLA verdict, and the buttons this caller may press. */
export function actionDto(a: ServiceActionRow, settings: TenantSettings['service'], viewer: Actor, now = new Date()) {
  return {
    id: a.id,
    number: a.number,
    customerId: a.customer_id,
    mainOrderId: a.main_order_id,
    type: a.type,
    subtype: a.subtype,
    status: a.status,
    reason: a.reason,
    notes: a.notes,
    product: { sku: a.product_sku, name: a.product_name },
    warranty: { status: a.warranty_status, until: a.warranty_until },
    estimatedCost: fromMinor(a.estimated_cost_minor),
    actualCost: a.actual_cost_minor === null ? null : fromMinor(a.actual_cost_minor),
    customerPays: a.customer_pays_minor === null ? null : fromMinor(a.customer_pays_minor),
    pickupAddress: parseJson<Record<string, unknown>>(a.pickup_address, {}),
    returnOrderId: a.return_order_id,
    returnTrackingNumber: a.return_tracking_number,
    outboundOrderId: a.outbound_order_id,
    outboundTrackingNumber: a.outbound_tracking_number,
    assigneeId: a.assignee_id,
    technician: a.technician,
    execution: a.execution,
    replacementSku: a.replacement_sku,
    refund: a.refund_minor === null ? null : fromMinor(a.refund_minor),
    refundReason: a.refund_reason,
    flagged: bool(a.flagged),
    flagReason: a.flag_reason,
    courierError: a.courier_error,
    cancelReason: a.cancel_reason,
    overdue: isOverdue(a.status, a.status_changed_at, settings, now),
    allowedEvents: allowedEvents(a.status as ServiceStatus, viewer, { manualOnly: true }),
    createdAt: a.created_at,
    updatedAt: a.updated_at,
    statusChangedAt: a.status_changed_at,
    completedAt: a.completed_at,
    closedAt: a.closed_at,
  };
}

export type ServiceActionDto = ReturnType<typeof actionDto>;
