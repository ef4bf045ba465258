import type { Selectable } from 'kysely';
import { bool, parseJson } from '../../platform/db/dialect.js';
import { reassignCustomerRows } from '../../platform/db/reassign.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import type { HubInspectionsTable, ServiceActionsTable } from './service.tables.js';

export type ServiceActionRow = Selectable<ServiceActionsTable>;
export type HubInspectionRow = Selectable<HubInspectionsTable>;

export async function findAction(ctx: TenantCtx, id: number): Promise<ServiceActionRow | null> {
  const r = await ctx.db
    .selectFrom('service_actions')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ?? null;
}

export async function findActionByIdempotencyKey(ctx: TenantCtx, key: string): Promise<ServiceActionRow | null> {
  const r = await ctx.db
    .selectFrom('service_actions')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return r ?? null;
}

export async function findActionByReturnTracking(
  ctx: TenantCtx,
  trackingNumber: string,
): Promise<ServiceActionRow | null> {
  const r = await ctx.db
    .selectFrom('service_actions')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('return_tracking_number', '=', trackingNumber)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r ?? null;
}

/** Actions whose return pickup or outbound delivery is one of these orders (courier progress). */
export async function findActionsByOrders(ctx: TenantCtx, orderIds: number[]): Promise<ServiceActionRow[]> {
  if (orderIds.length === 0) return [];
  return ctx.db
    .selectFrom('service_actions')
    .selectAll()
    .where((eb) =>
      // The tenant inside each branch: then each is a search of its own (tenant, order) index; with the tenant
      // outside the OR, SQLite without statistics walks every action of the tenant instead.
      eb.or([
        eb.and([eb('tenant_id', '=', ctx.tenantId), eb('return_order_id', 'in', orderIds)]),
        eb.and([eb('tenant_id', '=', ctx.tenantId), eb('outbound_order_id', 'in', orderIds)]),
      ]),
    )
    .execute();
}

export async function insertAction(
  ctx: TenantCtx,
  values: Omit<ServiceActionsTable, 'id' | 'tenant_id' | 'flagged' | 'pickup_address'> & {
    pickup_address: string;
    flagged: boolean;
  },
): Promise<ServiceActionRow> {
  return ctx.db
    .insertInto('service_actions')
    .values({ ...values, tenant_id: ctx.tenantId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type ActionPatch = Partial<Omit<ServiceActionsTable, 'id' | 'tenant_id' | 'flagged' | 'pickup_address'>> & {
  flagged?: boolean;
};

export async function updateAction(ctx: TenantCtx, id: number, patch: ActionPatch): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await ctx.db
    .updateTable('service_actions')
    .set(patch)
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .execute();
}

export async function findInspectionOfAction(ctx: TenantCtx, actionId: number): Promise<HubInspectionRow | null> {
  const r = await ctx.db
    .selectFrom('hub_inspections')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('action_id', '=', actionId)
    .executeTakeFirst();
  return r ?? null;
}

export async function findInspection(ctx: TenantCtx, id: number): Promise<HubInspectionRow | null> {
  const r = await ctx.db
    .selectFrom('hub_inspections')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ?? null;
}

export async function listServiceEvents(ctx: TenantCtx, actionId: number) {
  return ctx.db
    .selectFrom('service_events')
    .select(['id', 'event', 'from_status', 'to_status', 'actor_type', 'actor_id', 'actor_role', 'note', 'at'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('action_id', '=', actionId)
    .orderBy('id')
    .execute();
}

export async function listParts(ctx: TenantCtx, actionId: number) {
  return ctx.db
    .selectFrom('service_parts')
    .select(['kind', 'sku', 'qty', 'unit_cost_minor', 'stock_applied'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('action_id', '=', actionId)
    .orderBy('id')
    .execute();
}

export function inspectionDto(i: HubInspectionRow) {
  return {
    id: i.id,
    actionId: i.action_id,
    hub: i.hub,
    agent: i.agent,
    scannedAt: i.scanned_at,
    condition: i.condition,
    missingParts: parseJson<string[]>(i.missing_parts, []),
    visibleDamage: i.visible_damage,
    functionality: i.functionality,
    checklist: parseJson<Record<string, boolean>>(i.checklist, {}),
    qualityScore: i.quality_score,
    goodQty: i.good_qty,
    damagedQty: i.damaged_qty,
    restockLocation: i.restock_location,
    recommendedAction: i.recommended_action,
    priority: i.priority,
    estimatedCost: i.estimated_cost_minor === null ? null : Number(i.estimated_cost_minor) / 100,
    estimatedDays: i.estimated_days,
    notes: i.notes,
    reviewRequired: bool(i.review_required),
    inspectedAt: i.inspected_at,
    reviewDecision: i.review_decision,
    reviewNotes: i.review_notes,
    reviewedAt: i.reviewed_at,
  };
}

/** Hands a merged duplicate's service actions to its survivor; returns how many moved. */
export function moveCustomerServiceActions(ctx: TenantCtx, fromId: number, toId: number): Promise<number> {
  return reassignCustomerRows(ctx, 'service_actions', fromId, toId);
}
