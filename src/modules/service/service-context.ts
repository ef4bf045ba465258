import { fromMinor } from '../../lib/money.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { inspectionDto, listParts, listServiceEvents, type ServiceActionRow } from './service-actions.repo.js';

const ORDER_COLUMNS = [
  'id',
  'tracking_number',
  'type_code',
  'type_name',
  'state_code',
  'state_name',
  'category',
  'cod_minor',
  'created_at',
  'delivered_at',
  'package_description',
  'parent_order_id',
] as const;

function orderBrief(o: {
  id: number;
  tracking_number: string | null;
  type_code: number;
  type_name: string;
  state_code: number;
  state_name: string;
  category: string;
  cod_minor: number;
  created_at: string;
  delivered_at: string | null;
  package_description: string | null;
  parent_order_id: number | null;
}) {
  return {
    id: o.id,
    trackingNumber: o.tracking_number,
    type: o.type_code,
    typeName: o.type_name,
    state: o.state_code,
    stateName: o.state_name,
    category: o.category,
    cod: fromMinor(o.cod_minor),
    createdAt: o.created_at,
    deliveredAt: o.delivered_at,
    packageDescription: o.package_description,
    parentOrderId: o.parent_order_id,
  };
}

/** A main order and every order linked under it, level by level. */
export async function orderFamily(ctx: TenantCtx, rootId: number) {
  const root = await ctx.db
    .selectFrom('orders')
    .select([...ORDER_COLUMNS])
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', rootId)
    .executeTakeFirst();
  if (!root) return null;
  const members = [orderBrief(root)];
  let frontier = [root.id];
  for (let depth = 0; depth < 6 && frontier.length; depth++) {
    const kids = await ctx.db
      .selectFrom('orders')
      .select([...ORDER_COLUMNS])
      .where('tenant_id', '=', ctx.tenantId)
      .where('parent_order_id', 'in', frontier)
      .execute();
    members.push(...kids.map(orderBrief));
    frontier = kids.map((k) => k.id);
  }
  return { mainOrderId: root.id, orders: members };
}

async function timelineOf(ctx: TenantCtx, orderId: number | null) {
  if (!orderId) return null;
  const o = await ctx.db
    .selectFrom('orders')
    .select([...ORDER_COLUMNS])
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (!o) return null;
  const timeline = await ctx.db
    .selectFrom('order_timeline')
    .select(['state_code as state', 'state_name as stateName', 'at'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('order_id', '=', orderId)
    .orderBy('at')
    .execute();
  return { ...orderBrief(o), timeline };
}

/** Everything around an action: customer, main order family, courier timelines, inspection, audit, parts, history. */
export async function actionContext(ctx: TenantCtx, a: ServiceActionRow) {
  const customer = await ctx.db
    .selectFrom('customers')
    .select(['id', 'name', 'phone', 'segment', 'orders_count as ordersCount', 'city'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', a.customer_id)
    .executeTakeFirst();
  const inspection = await ctx.db
    .selectFrom('hub_inspections')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('action_id', '=', a.id)
    .executeTakeFirst();
  const history = await ctx.db
    .selectFrom('service_actions')
    .select(['id', 'number', 'type', 'status', 'reason', 'created_at as createdAt'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('customer_id', '=', a.customer_id)
    .where('id', '<>', a.id)
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  const parts = await listParts(ctx, a.id);
  return {
    customer: customer ?? null,
    family: a.main_order_id ? await orderFamily(ctx, a.main_order_id) : null,
    returnPickup: await timelineOf(ctx, a.return_order_id),
    outbound: await timelineOf(ctx, a.outbound_order_id),
    inspection: inspection ? inspectionDto(inspection) : null,
    events: await listServiceEvents(ctx, a.id),
    parts: parts.map((p) => ({
      kind: p.kind,
      sku: p.sku,
      qty: p.qty,
      unitCost: fromMinor(p.unit_cost_minor),
      stockApplied: p.stock_applied === true || p.stock_applied === 1,
    })),
    previousActions: history,
  };
}
