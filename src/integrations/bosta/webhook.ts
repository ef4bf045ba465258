import type { Selectable } from 'kysely';
import { nowIso } from '../../lib/time.js';
import type { AppContext } from '../../platform/context.js';
import { inTransaction, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { ingestOrders } from '../../flows/ingest-orders.js';
import type { OrderInput } from '../../modules/orders/order-input.js';
import type { OrdersTable } from '../../modules/orders/orders.tables.js';
import type { Tenant } from '../../modules/tenants/tenants.repo.js';
import { mapWebhook, type MappedWebhookEvent } from './mapper.js';
import type { BostaWebhookPayload } from './types.js';

export type WebhookOutcome = 'applied' | 'duplicate' | 'stale' | 'unknown_delivery';

/** The stored order moved to the event's state: the webhook carries only what changed. */
function withEvent(o: Selectable<OrdersTable>, ev: MappedWebhookEvent, at: string): OrderInput {
  const delivered = ev.stateCode === 45;
  return {
    source: 'bosta',
    externalId: o.external_id,
    trackingNumber: o.tracking_number,
    businessReference: o.business_reference,
    typeCode: o.type_code,
    typeName: o.type_name,
    stateCode: ev.stateCode,
    stateName: ev.stateName ?? ev.description ?? String(ev.stateCode),
    maskedState: o.masked_state,
    codMinor: delivered && ev.codMinor !== null ? ev.codMinor : Number(o.cod_minor),
    feesMinor: Number(o.fees_minor),
    receiverName: o.receiver_name,
    receiverPhoneRaw: o.receiver_phone_raw,
    secondPhone: o.second_phone,
    city: o.city,
    zone: o.zone,
    district: o.district,
    address: o.address,
    packageDescription: o.package_description,
    itemsCount: o.items_count,
    courierNotes: o.courier_notes,
    attempts: Math.max(o.attempts, ev.numberOfAttempts || 0),
    calls: o.calls,
    paymentMethod: o.payment_method,
    exceptionReason: ev.stateCode === 47 ? ev.exceptionReason : o.exception_reason,
    exceptionCode: ev.stateCode === 47 && ev.exceptionCode !== null ? String(ev.exceptionCode) : o.exception_code,
    createdAt: o.created_at,
    updatedAt: at,
    deliveredAt: delivered ? (o.delivered_at ?? at) : o.delivered_at,
    returnedAt: ev.stateCode === 46 ? (o.returned_at ?? at) : o.returned_at,
    timeline: [{ code: ev.stateCode, name: ev.stateName ?? ev.description ?? String(ev.stateCode), at }],
    raw: undefined, // the background refresh brings the whole document
  };
}

/**
 * Applies one Bosta webhook in one transaction: deduplicated on (delivery id, state, timestamp), an event
 * older than the stored state is ignored, a newer one moves the order through the same ingest as the sync.
 * Afterwards the full delivery is re-fetched in the background so every other field is current too.
 */
export async function applyBostaWebhook(
  app: AppContext,
  tenant: Tenant,
  body: BostaWebhookPayload,
): Promise<WebhookOutcome> {
  const ev = mapWebhook(body);
  const at = ev.at ?? nowIso();
  const key = `${ev.externalId}|${ev.stateCode}|${ev.atMs ?? at}`;
  const ctx: TenantCtx = { tenantId: tenant.id, db: app.database.db, dialect: app.database.dialect };
  const outcome = await inTransaction(ctx, async (tx): Promise<WebhookOutcome> => {
    const receipt = await tx.db
      .insertInto('webhook_receipts')
      .values({ tenant_id: tx.tenantId, provider: 'bosta', dedupe_key: key, received_at: nowIso() })
      .onConflict((oc) => oc.columns(['tenant_id', 'provider', 'dedupe_key']).doNothing())
      .returning('dedupe_key')
      .executeTakeFirst();
    if (!receipt) return 'duplicate';
    const order = await tx.db
      .selectFrom('orders')
      .selectAll()
      .where('tenant_id', '=', tx.tenantId)
      .where('source', '=', 'bosta')
      .where((eb) => eb.or([eb('external_id', '=', ev.externalId), eb('tracking_number', '=', ev.trackingNumber)]))
      .executeTakeFirst();
    if (!order) return 'unknown_delivery';
    if (at < order.updated_at || (at === order.updated_at && ev.stateCode === order.state_code)) return 'stale';
    await ingestOrders(tx, tenant, [withEvent(order, ev, at)], { source: 'bosta', now: nowIso(), via: 'webhook' });
    return 'applied';
  });
  if (outcome === 'applied' || outcome === 'unknown_delivery') {
    await app.jobs.enqueue(
      'bosta.refresh-delivery',
      { tenantId: tenant.id, trackingNumber: ev.trackingNumber },
      { key: `bosta.refresh:${tenant.id}:${key}`, delayMs: outcome === 'applied' ? 2000 : 0, maxAttempts: 5 },
    );
  }
  return outcome;
}
