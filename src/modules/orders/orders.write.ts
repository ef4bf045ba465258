import { bulkInsert } from '../../platform/db/bulk.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { applyAnalyticsSummaryDeltas, SUMMARY_MEASURES, summaryMeasuresOf } from './analytics-summary.js';
import { classifyOrder } from './classify-order.js';
import type { OrderInput } from './order-input.js';
import { deliveryHours, type RollupDeltas, type RollupFacts } from './order-rollups.js';

/** What ingest needs to know about an order already stored. */
export interface StoredOrder extends RollupFacts {
  id: number;
  externalId: string;
  updatedAt: string;
  customerId: number | null;
  deliveredAt: string | null;
}

const EXISTING_CHUNK = 900;

/** Loads the stored orders of a batch by (source, external id): one query per 900 ids. */
export async function loadStoredOrders(
  ctx: TenantCtx,
  source: string,
  externalIds: string[],
): Promise<Map<string, StoredOrder>> {
  const out = new Map<string, StoredOrder>();
  for (let i = 0; i < externalIds.length; i += EXISTING_CHUNK) {
    const rows = await ctx.db
      .selectFrom('orders')
      .select([
        'id',
        'external_id',
        'updated_at',
        'customer_id',
        'created_at',
        'city',
        'state_code',
        'category',
        'type_code',
        'cod_minor',
        'delivery_hours',
        'delivered_at',
      ])
      .where('tenant_id', '=', ctx.tenantId)
      .where('source', '=', source)
      .where('external_id', 'in', externalIds.slice(i, i + EXISTING_CHUNK))
      .execute();
    for (const r of rows) {
      out.set(r.external_id, {
        id: r.id,
        externalId: r.external_id,
        updatedAt: r.updated_at,
        customerId: r.customer_id,
        createdAt: r.created_at,
        city: r.city,
        stateCode: r.state_code,
        category: r.category,
        typeCode: r.type_code,
        codMinor: Number(r.cod_minor),
        deliveryHours: r.delivery_hours,
        deliveredAt: r.delivered_at,
      });
    }
  }
  return out;
}

/** Columns ingest writes. Local columns (local_notes, hierarchy fields) are set on insert only, never overwritten. */
export const ORDER_COLUMNS = [
  'tenant_id',
  'source',
  'external_id',
  'tracking_number',
  'business_reference',
  'type_code',
  'type_name',
  'state_code',
  'state_name',
  'masked_state',
  'cod_minor',
  'fees_minor',
  'customer_id',
  'phone',
  'receiver_name',
  'receiver_phone_raw',
  'second_phone',
  'city',
  'zone',
  'district',
  'address',
  'package_description',
  'items_count',
  'courier_notes',
  'attempts',
  'calls',
  'payment_method',
  'exception_reason',
  'exception_code',
  'category',
  'service_type',
  'order_level',
  'delivery_hours',
  'created_at',
  'updated_at',
  'delivered_at',
  'returned_at',
  'state_changed_at',
  'synced_at',
  'hierarchy_status',
] as const;

const INSERT_ONLY = new Set(['tenant_id', 'source', 'external_id', 'hierarchy_status', 'state_changed_at']);

const UPDATE_SET: Record<string, string> = Object.fromEntries([
  ...ORDER_COLUMNS.filter((c) => !INSERT_ONLY.has(c)).map((c) => [c, `excluded.${c}`]),
  [
    'state_changed_at',
    'case when orders.state_code <> excluded.state_code then excluded.state_changed_at else orders.state_changed_at end',
  ],
]);

export type OrderRow = Record<(typeof ORDER_COLUMNS)[number], unknown>;

/**
 * The `orders` row of one incoming order: classification and delivery hours (the document goes to
 * `order_documents`, see `upsertOrderDocuments`); `phone` is the
 * E.164 form (null when invalid) and `customerId` the customer found for it. Local columns start empty.
 */
export function orderRowOf(
  o: OrderInput,
  c: {
    tenantId: number;
    source: string;
    phone: string | null;
    customerId: number | null;
    threshold: number;
    now: string;
  },
): OrderRow {
  const cls = classifyOrder(o, c.threshold);
  return {
    tenant_id: c.tenantId,
    source: c.source,
    external_id: o.externalId,
    tracking_number: o.trackingNumber,
    business_reference: o.businessReference,
    type_code: o.typeCode,
    type_name: o.typeName,
    state_code: o.stateCode,
    state_name: o.stateName,
    masked_state: o.maskedState,
    cod_minor: o.codMinor,
    fees_minor: o.feesMinor,
    customer_id: c.customerId,
    phone: c.phone,
    receiver_name: o.receiverName,
    receiver_phone_raw: o.receiverPhoneRaw,
    second_phone: o.secondPhone,
    city: o.city,
    zone: o.zone,
    district: o.district,
    address: o.address,
    package_description: o.packageDescription,
    items_count: o.itemsCount,
    courier_notes: o.courierNotes,
    attempts: o.attempts,
    calls: o.calls,
    payment_method: o.paymentMethod,
    exception_reason: o.exceptionReason,
    exception_code: o.exceptionCode,
    category: cls.category,
    service_type: cls.serviceType,
    order_level: cls.orderLevel,
    delivery_hours: deliveryHours(o.createdAt, o.deliveredAt),
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    delivered_at: o.deliveredAt,
    returned_at: o.returnedAt,
    state_changed_at: o.updatedAt,
    synced_at: c.now,
    hierarchy_status: cls.category === 'real_sale' ? 'main' : 'unlinked',
  };
}

/**
 * Upserts orders on (tenant, source, external id). A row older than the stored one never replaces it, so
 * out-of-order arrivals cannot move an order back in time. Returns the ids of rows written.
 */
export async function upsertOrders(
  ctx: TenantCtx,
  rows: OrderRow[],
): Promise<Array<{ id: number; external_id: string }>> {
  return bulkInsert<{ id: number; external_id: string }>(
    ctx.db,
    ctx.dialect,
    'orders',
    [...ORDER_COLUMNS],
    rows.map((r) => ORDER_COLUMNS.map((c) => r[c])),
    {
      conflict: ['tenant_id', 'source', 'external_id'],
      update: UPDATE_SET,
      updateWhere: 'excluded.updated_at >= orders.updated_at',
      returning: ['id', 'external_id'],
    },
  );
}

/** Stores the source's document of each written order: one row per order, the newest version replaces it. */
export async function upsertOrderDocuments(ctx: TenantCtx, docs: Array<{ orderId: number; json: string }>) {
  await bulkInsert(
    ctx.db,
    ctx.dialect,
    'order_documents',
    ['order_id', 'tenant_id', 'raw'],
    docs.map((d) => [d.orderId, ctx.tenantId, d.json]),
    { conflict: ['order_id'], update: ['raw'], casts: [null, null, 'jsonb'] },
  );
}

/** Appends timeline rows; the unique (order, state, time) key drops repeats. */
export async function insertTimeline(
  ctx: TenantCtx,
  rows: Array<{ orderId: number; code: number; name: string; at: string; source: string }>,
): Promise<void> {
  await bulkInsert(
    ctx.db,
    ctx.dialect,
    'order_timeline',
    ['tenant_id', 'order_id', 'state_code', 'state_name', 'at', 'source'],
    rows.map((r) => [ctx.tenantId, r.orderId, r.code, r.name, r.at, r.source]),
    { conflict: ['order_id', 'state_code', 'at'], update: 'nothing' },
  );
}

export interface OrderChangeRow {
  orderId: number;
  field: string;
  from: string | null;
  to: string | null;
  source: string;
  at: string;
}

/** The audit of state and classification changes. */
export async function insertOrderChanges(ctx: TenantCtx, rows: OrderChangeRow[]): Promise<void> {
  await bulkInsert(
    ctx.db,
    ctx.dialect,
    'order_changes',
    ['tenant_id', 'order_id', 'field', 'from_value', 'to_value', 'source', 'at'],
    rows.map((r) => [ctx.tenantId, r.orderId, r.field, r.from, r.to, r.source, r.at]),
  );
}

/**
 * Adds deltas to the daily rollups and the daily summary (insert or increment). The caller moves the tenant's
 * summary version (`bumpSummaryVersion`) as the last write of its transaction, so kept answers are redone.
 */
export async function applyRollupDeltas(ctx: TenantCtx, rollups: RollupDeltas): Promise<void> {
  const deltas = rollups.list();
  const summary = rollups.summaryList();
  await bulkInsert(
    ctx.db,
    ctx.dialect,
    'order_daily_summary',
    ['tenant_id', 'day', 'city', 'category', ...SUMMARY_MEASURES],
    summary.map((d) => [ctx.tenantId, d.day, d.city, d.category, ...summaryMeasuresOf(d)]),
    {
      conflict: ['tenant_id', 'day', 'city', 'category'],
      update: Object.fromEntries(SUMMARY_MEASURES.map((c) => [c, `order_daily_summary.${c} + excluded.${c}`])),
    },
  );
  await applyAnalyticsSummaryDeltas(ctx, summary);
  await bulkInsert(
    ctx.db,
    ctx.dialect,
    'order_daily_rollups',
    [
      'tenant_id',
      'day',
      'city',
      'state_code',
      'category',
      'type_code',
      'orders',
      'cod_minor',
      'delivery_hours_sum',
      'delivery_hours_count',
    ],
    deltas.map((d) => [
      ctx.tenantId,
      d.day,
      d.city,
      d.stateCode,
      d.category,
      d.typeCode,
      d.orders,
      d.codMinor,
      d.deliveryHoursSum,
      d.deliveryHoursCount,
    ]),
    {
      conflict: ['tenant_id', 'day', 'city', 'state_code', 'category', 'type_code'],
      update: {
        orders: 'order_daily_rollups.orders + excluded.orders',
        cod_minor: 'order_daily_rollups.cod_minor + excluded.cod_minor',
        delivery_hours_sum: 'order_daily_rollups.delivery_hours_sum + excluded.delivery_hours_sum',
        delivery_hours_count: 'order_daily_rollups.delivery_hours_count + excluded.delivery_hours_count',
      },
    },
  );
}
