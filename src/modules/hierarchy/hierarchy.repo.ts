import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { bool } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { bulkInsert } from '../../platform/db/bulk.js';
import { inTransaction, sameTenant, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { emitMany } from '../../platform/events/outbox.js';
import { nowIso } from '../../lib/time.js';
import { findTenantById } from '../tenants/tenants.repo.js';
import { autoLinkEvents } from './link-events.js';
import {
  type ExistingLink,
  hierarchyStatusOf,
  MAIN_CATEGORY,
  type PlannedLink,
  RULE_MANUAL_UNLINK,
} from './link-rules.js';
import { type CustomerLinkOrder, type CustomersPlan, planCustomers } from './plan-customers.js';

export interface RelinkSummary {
  customers: number;
  orders: number;
  linksAdded: number;
  linksDeactivated: number;
  ordersUpdated: number;
}

export interface RelinkOptions {
  /** Defaults to the tenant's `hierarchy.linkWindowDays`. */
  windowDays?: number;
  /** Write `order.linked` / `order.unlinked` events for changed links (default true). */
  emitEvents?: boolean;
}

/** SQLite binds at most 32 766 values per statement; 500 ids or rows of 12 columns stay far below it. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

type OrderFilter = (eb: ExpressionBuilder<DB, 'orders'>) => Expression<SqlBool>;

interface HierarchyColumns {
  hierarchyStatus: string;
  parentOrderId: number | null;
}

/** The linking view of the filtered orders: on SQLite read from one covering index (orders_customer_link). */
async function loadLinkOrders(ctx: TenantCtx, filter: OrderFilter): Promise<CustomerLinkOrder[]> {
  const rows = await ctx.db
    .selectFrom('orders')
    .select(['id', 'customer_id', 'category', 'created_at', 'package_description'])
    .where('tenant_id', '=', ctx.tenantId)
    .where(filter)
    .orderBy('customer_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customer_id!,
    category: r.category,
    createdAt: r.created_at,
    packageDescription: r.package_description,
  }));
}

/** As loadLinkOrders, plus the hierarchy columns to compare against (the incremental path reads few rows). */
async function loadLinkOrdersWithHierarchy(
  ctx: TenantCtx,
  filter: OrderFilter,
): Promise<Array<CustomerLinkOrder & HierarchyColumns>> {
  const rows = await ctx.db
    .selectFrom('orders')
    .select([
      'id',
      'customer_id',
      'category',
      'created_at',
      'package_description',
      'hierarchy_status',
      'parent_order_id',
    ])
    .where('tenant_id', '=', ctx.tenantId)
    .where(filter)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customer_id!,
    category: r.category,
    createdAt: r.created_at,
    packageDescription: r.package_description,
    hierarchyStatus: r.hierarchy_status,
    parentOrderId: r.parent_order_id,
  }));
}

/** Active links and "user said no" markers of the children the filter selects. */
async function loadLinks(ctx: TenantCtx, filter: OrderFilter): Promise<ExistingLink[]> {
  // IN (subquery), not a join: SQLite then reads the customers' orders first and probes their links, where a
  // join would walk every link of the tenant.
  const rows = await ctx.db
    .selectFrom('order_links as l')
    .select(['l.id', 'l.parent_order_id', 'l.child_order_id', 'l.linked_by', 'l.active', 'l.rule', 'l.relationship'])
    .select('l.confidence')
    .where('l.tenant_id', '=', ctx.tenantId)
    .where('l.child_order_id', 'in', (eb) =>
      eb.selectFrom('orders').select('orders.id').where('orders.tenant_id', '=', ctx.tenantId).where(filter),
    )
    .where((eb) => eb.or([eb('l.active', '=', true), eb('l.rule', '=', RULE_MANUAL_UNLINK)]))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_order_id,
    childId: r.child_order_id,
    linkedBy: r.linked_by,
    active: bool(r.active),
    rule: r.rule,
    relationship: r.relationship,
    confidence: Number(r.confidence),
  }));
}

/** Orders and links of customers with ids in (after, upTo]: one keyset batch of a full re-detection. */
export async function loadCustomerRange(ctx: TenantCtx, after: number, upTo: number) {
  const filter: OrderFilter = (eb) =>
    eb.and([eb('orders.customer_id', '>', after), eb('orders.customer_id', '<=', upTo)]);
  return { orders: await loadLinkOrders(ctx, filter), links: await loadLinks(ctx, filter) };
}

/** The largest customer id among the next `count` customers (by id) after `after`, or null when none is left. */
export async function nextCustomerBoundary(ctx: TenantCtx, after: number, count: number): Promise<number | null> {
  const r = await ctx.db
    .selectFrom((qb) =>
      qb
        .selectFrom('orders')
        .select('customer_id')
        .distinct()
        .where('tenant_id', '=', ctx.tenantId)
        .where('customer_id', '>', after)
        .orderBy('customer_id')
        .limit(count)
        .as('batch'),
    )
    .select((eb) => eb.fn.max('batch.customer_id').as('upTo'))
    .executeTakeFirst();
  return r?.upTo == null ? null : Number(r.upTo);
}

async function deactivateLinks(ctx: TenantCtx, ids: readonly number[], now: string): Promise<void> {
  for (const part of chunks(ids)) {
    await ctx.db
      .updateTable('order_links')
      .set({ active: false, deactivated_at: now })
      .where(sameTenant(ctx, 'tenant_id'))
      .where('id', 'in', part)
      .where('active', '=', true)
      .execute();
  }
}

async function insertAutoLinks(ctx: TenantCtx, links: readonly PlannedLink[], now: string): Promise<void> {
  // Set-based SQL text, as ingest writes: a query-builder tree of 12 values per link cost more than the insert.
  // A concurrent writer (ingest beside a re-detection on PostgreSQL) may have linked the child a moment ago:
  // keep its link rather than fail the whole page; the next pass reconciles.
  await bulkInsert(
    ctx.db,
    ctx.dialect,
    'order_links',
    LINK_COLUMNS,
    links.map((l) => [ctx.tenantId, l.parentId, l.childId, l.relationship, l.rule, l.confidence, 'auto', true, now]),
    {
      conflict: ['tenant_id', 'child_order_id'],
      conflictWhere: `active = ${ctx.dialect === 'postgres' ? 'true' : '1'}`,
      update: 'nothing',
    },
  );
}

/** The columns an automatic link writes; the rest (actor, reason, deactivation) start empty. */
const LINK_COLUMNS = [
  'tenant_id',
  'parent_order_id',
  'child_order_id',
  'relationship',
  'rule',
  'confidence',
  'linked_by',
  'active',
  'created_at',
];

/** Writes a plan's link changes: deactivations first, since a child may hold one active link only. */
export async function writeLinkChanges(ctx: TenantCtx, plan: Pick<CustomersPlan, 'add' | 'deactivate'>): Promise<void> {
  const now = nowIso();
  await deactivateLinks(
    ctx,
    plan.deactivate.map((l) => l.id),
    now,
  );
  await insertAutoLinks(ctx, plan.add, now);
}

/**
 * Rewrites the hierarchy columns of these orders from their active links as they are now (so a concurrent
 * writer that relinked one meanwhile is respected). Pass ids ascending: rows are then rewritten in storage
 * order, which on a cold re-detection of a million orders is the difference between seconds and minutes.
 */
export async function reconcileOrderHierarchy(ctx: TenantCtx, ids: readonly number[]): Promise<void> {
  const activeLink = (eb: ExpressionBuilder<DB, 'orders'>) =>
    eb
      .selectFrom('order_links as l')
      .where('l.tenant_id', '=', ctx.tenantId)
      .whereRef('l.child_order_id', '=', 'orders.id')
      .where('l.active', '=', true);
  for (const part of chunks(ids)) {
    await ctx.db
      .updateTable('orders')
      .set((eb) => ({
        parent_order_id: activeLink(eb).select('l.parent_order_id').limit(1),
        hierarchy_status: eb
          .case()
          .when('orders.category', '=', MAIN_CATEGORY)
          .then('main')
          .when(eb.exists(activeLink(eb).select('l.id')))
          .then('linked')
          .else('unlinked')
          .end(),
      }))
      .where(sameTenant(ctx, 'orders.tenant_id'))
      .where('orders.id', 'in', part)
      .execute();
  }
}

/**
 * Ids of the tenant's orders whose hierarchy columns disagree with their category and active links, found by
 * set differences over indexes (category, status, parent, active links) without reading the orders themselves.
 */
export async function findHierarchyMismatches(ctx: TenantCtx): Promise<number[]> {
  const t = ctx.tenantId;
  const ids = () => ctx.db.selectFrom('orders').select('orders.id as id').where('orders.tenant_id', '=', t);
  const linked = () =>
    ctx.db
      .selectFrom('order_links')
      .select('child_order_id as id')
      .where('tenant_id', '=', t)
      .where('active', '=', true);
  const withParent = () =>
    ctx.db
      .selectFrom('orders')
      .select(['orders.id as id', 'orders.parent_order_id as parent'])
      .where('orders.tenant_id', '=', t)
      .where('orders.parent_order_id', 'is not', null)
      .$narrowType<{ parent: number }>();
  const linkPairs = () =>
    ctx.db
      .selectFrom('order_links')
      .select(['child_order_id as id', 'parent_order_id as parent'])
      .where('tenant_id', '=', t)
      .where('active', '=', true);
  const isMain = () => ids().where('orders.category', '=', MAIN_CATEGORY);
  const status = (s: string) => ids().where('orders.hierarchy_status', '=', s);
  const queries = [
    isMain().except(status('main')),
    status('main').except(isMain()),
    linked().except(isMain()).except(status('linked')),
    status('linked').except(linked()),
    ids().where('orders.hierarchy_status', 'not in', ['main', 'linked', 'unlinked']),
    withParent().except(linkPairs()),
    linkPairs().except(withParent()),
  ];
  const found = new Set<number>();
  for (const q of queries) for (const r of await q.execute()) found.add(Number(r.id));
  return [...found].sort((a, b) => a - b);
}

/** The tenant's link window in days. */
export async function linkWindowDays(ctx: TenantCtx): Promise<number> {
  const tenant = await findTenantById(ctx.db, ctx.tenantId);
  return tenant?.settings.hierarchy.linkWindowDays ?? 365;
}

/**
 * Re-runs automatic linking for these customers on `ctx.db` as given (the ingest page's transaction), and keeps
 * `orders.hierarchy_status` / `parent_order_id` in step. Manual decisions are never undone. When nothing
 * changed it costs two reads per 500 customers and writes nothing.
 */
export async function relinkCustomers(
  ctx: TenantCtx,
  customerIds: readonly number[],
  opts: RelinkOptions = {},
): Promise<RelinkSummary> {
  const total: RelinkSummary = { customers: 0, orders: 0, linksAdded: 0, linksDeactivated: 0, ordersUpdated: 0 };
  const ids = [...new Set(customerIds)].filter((id) => Number.isSafeInteger(id));
  if (ids.length === 0) return total;
  const windowDays = opts.windowDays ?? (await linkWindowDays(ctx));
  return inTransaction(ctx, async (tx) => {
    for (const part of chunks(ids)) {
      const filter: OrderFilter = (eb) => eb('orders.customer_id', 'in', part);
      const orders = await loadLinkOrdersWithHierarchy(tx, filter);
      const plan = planCustomers(orders, await loadLinks(tx, filter), { windowDays });
      await writeLinkChanges(tx, plan);
      const changed = orders.filter((o) => {
        const parentId = plan.parentOf.get(o.id) ?? null;
        return o.parentOrderId !== parentId || o.hierarchyStatus !== hierarchyStatusOf(o.category, parentId);
      });
      await reconcileOrderHierarchy(
        tx,
        changed.map((o) => o.id).sort((a, b) => a - b),
      );
      if (opts.emitEvents ?? true) await emitMany(tx, autoLinkEvents(plan));
      total.customers += plan.customers;
      total.orders += orders.length;
      total.linksAdded += plan.add.length;
      total.linksDeactivated += plan.deactivate.length;
      total.ordersUpdated += changed.length;
    }
    return total;
  });
}
