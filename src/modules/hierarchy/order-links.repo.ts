import { bool } from '../../platform/db/dialect.js';
import { sameTenant, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { fromMinor } from '../../lib/money.js';

/** An order as a family tree shows it. */
export interface OrderBrief {
  id: number;
  customerId: number | null;
  trackingNumber: string | null;
  category: string;
  stateCode: number;
  stateName: string;
  cod: number;
  createdAt: string;
  packageDescription: string | null;
  hierarchyStatus: string;
  parentOrderId: number | null;
}

export interface OrderLink {
  id: number;
  parentOrderId: number;
  childOrderId: number;
  relationship: string;
  rule: string;
  confidence: number;
  linkedBy: string;
  actorId: number | null;
  reason: string | null;
  active: boolean;
  createdAt: string;
  deactivatedAt: string | null;
}

const ORDER_COLUMNS = [
  'id',
  'customer_id',
  'tracking_number',
  'category',
  'state_code',
  'state_name',
  'cod_minor',
  'created_at',
  'package_description',
  'hierarchy_status',
  'parent_order_id',
] as const;

type OrderRow = {
  id: number;
  customer_id: number | null;
  tracking_number: string | null;
  category: string;
  state_code: number;
  state_name: string;
  cod_minor: number;
  created_at: string;
  package_description: string | null;
  hierarchy_status: string;
  parent_order_id: number | null;
};

function toBrief(r: OrderRow): OrderBrief {
  return {
    id: r.id,
    customerId: r.customer_id,
    trackingNumber: r.tracking_number,
    category: r.category,
    stateCode: r.state_code,
    stateName: r.state_name,
    cod: fromMinor(r.cod_minor),
    createdAt: r.created_at,
    packageDescription: r.package_description,
    hierarchyStatus: r.hierarchy_status,
    parentOrderId: r.parent_order_id,
  };
}

type LinkRow = {
  id: number;
  parent_order_id: number;
  child_order_id: number;
  relationship: string;
  rule: string;
  confidence: number;
  linked_by: string;
  actor_id: number | null;
  reason: string | null;
  active: boolean | number;
  created_at: string;
  deactivated_at: string | null;
};

function toLink(r: LinkRow): OrderLink {
  return {
    id: r.id,
    parentOrderId: r.parent_order_id,
    childOrderId: r.child_order_id,
    relationship: r.relationship,
    rule: r.rule,
    confidence: Number(r.confidence),
    linkedBy: r.linked_by,
    actorId: r.actor_id,
    reason: r.reason,
    active: bool(r.active),
    createdAt: r.created_at,
    deactivatedAt: r.deactivated_at,
  };
}

/** Orders of the tenant by id, in time order (missing ids are simply absent). */
export async function findOrderBriefs(ctx: TenantCtx, ids: readonly number[]): Promise<OrderBrief[]> {
  const out: OrderBrief[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.db
      .selectFrom('orders')
      .select(ORDER_COLUMNS)
      .where(sameTenant(ctx, 'orders.tenant_id'))
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    out.push(...rows.map(toBrief));
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
}

export async function findOrderBrief(ctx: TenantCtx, id: number): Promise<OrderBrief | null> {
  const r = await ctx.db
    .selectFrom('orders')
    .select(ORDER_COLUMNS)
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toBrief(r) : null;
}

/** Every order whose receiver phone (E.164) is this one, oldest first. */
export async function findOrdersByPhone(ctx: TenantCtx, phone: string): Promise<OrderBrief[]> {
  const rows = await ctx.db
    .selectFrom('orders')
    .select(ORDER_COLUMNS)
    .where('tenant_id', '=', ctx.tenantId)
    .where('phone', '=', phone)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toBrief);
}

export async function findLink(ctx: TenantCtx, id: number): Promise<OrderLink | null> {
  const r = await ctx.db
    .selectFrom('order_links')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toLink(r) : null;
}

/** The active link of each of these children. */
export async function activeLinksOfChildren(ctx: TenantCtx, childIds: readonly number[]): Promise<OrderLink[]> {
  const out: OrderLink[] = [];
  for (let i = 0; i < childIds.length; i += 500) {
    const rows = await ctx.db
      .selectFrom('order_links')
      .selectAll()
      .where('tenant_id', '=', ctx.tenantId)
      .where('child_order_id', 'in', childIds.slice(i, i + 500))
      .where('active', '=', true)
      .execute();
    out.push(...rows.map(toLink));
  }
  return out;
}

/** The active links under each of these parents. */
export async function activeLinksOfParents(ctx: TenantCtx, parentIds: readonly number[]): Promise<OrderLink[]> {
  const out: OrderLink[] = [];
  for (let i = 0; i < parentIds.length; i += 500) {
    const rows = await ctx.db
      .selectFrom('order_links')
      .selectAll()
      .where('tenant_id', '=', ctx.tenantId)
      .where('parent_order_id', 'in', parentIds.slice(i, i + 500))
      .where('active', '=', true)
      .orderBy('id')
      .execute();
    out.push(...rows.map(toLink));
  }
  return out;
}

export async function deactivateLink(ctx: TenantCtx, id: number, now: string): Promise<void> {
  await ctx.db
    .updateTable('order_links')
    .set({ active: false, deactivated_at: now })
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .execute();
}

/** Inserts a link decided by a person: an active manual link, or an inactive "user said no" marker. */
export async function insertManualLink(
  ctx: TenantCtx,
  l: {
    parentOrderId: number;
    childOrderId: number;
    relationship: string;
    rule: string;
    confidence: number;
    actorId: number | null;
    reason: string | null;
    active: boolean;
    now: string;
  },
): Promise<OrderLink> {
  const r = await ctx.db
    .insertInto('order_links')
    .values({
      tenant_id: ctx.tenantId,
      parent_order_id: l.parentOrderId,
      child_order_id: l.childOrderId,
      relationship: l.relationship,
      rule: l.rule,
      confidence: l.confidence,
      linked_by: 'user',
      actor_id: l.actorId,
      reason: l.reason,
      active: l.active,
      created_at: l.now,
      deactivated_at: l.active ? null : l.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toLink(r);
}
