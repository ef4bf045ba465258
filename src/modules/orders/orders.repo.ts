import { ORDER_COLUMNS } from './orders.write.js';
import { type AliasedRawBuilder, type SqlBool, sql } from 'kysely';
import { parseJson } from '../../platform/db/dialect.js';
import { reassignCustomerRows } from '../../platform/db/reassign.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { fromMinor } from '../../lib/money.js';
import { applyOrderFilter, type OrderFilter } from './order-filters.js';
import { orderJson } from './order-json.js';
import { type KeysetSort, type KeysetStep, keysetPage, orderPosition, type PageRequest } from './order-sort.js';
import type { OrdersTable } from './orders.tables.js';

/** An order as the API shows it: camelCase, money in decimal major units. */
export interface Order {
  id: number;
  source: string;
  externalId: string;
  trackingNumber: string | null;
  businessReference: string | null;
  typeCode: number;
  typeName: string;
  stateCode: number;
  stateName: string;
  maskedState: string | null;
  cod: number;
  fees: number;
  customerId: number | null;
  phone: string | null;
  receiverName: string | null;
  receiverPhoneRaw: string | null;
  secondPhone: string | null;
  city: string | null;
  zone: string | null;
  district: string | null;
  address: string | null;
  packageDescription: string | null;
  itemsCount: number | null;
  courierNotes: string | null;
  attempts: number;
  calls: number;
  paymentMethod: string | null;
  exceptionReason: string | null;
  exceptionCode: string | null;
  category: string;
  serviceType: string;
  orderLevel: number;
  hierarchyStatus: string;
  parentOrderId: number | null;
  deliveryHours: number | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
  returnedAt: string | null;
  stateChangedAt: string | null;
  localNotes: string | null;
  syncedAt: string;
}

export interface OrderDetail extends Order {
  raw: unknown;
}

type OrderRow = Omit<OrdersTable, 'id'> & { id: number };

/** Every column of an order (its document lives apart, in `order_documents`). */
export const ORDER_LIST_COLUMNS = [
  'id',
  ...ORDER_COLUMNS.filter((c): c is Exclude<(typeof ORDER_COLUMNS)[number], 'tenant_id'> => c !== 'tenant_id'),
  'parent_order_id',
  'local_notes',
] as const;

/** Maps an orders row to the API shape. */
export function toOrder(r: OrderRow): Order {
  return {
    id: r.id,
    source: r.source,
    externalId: r.external_id,
    trackingNumber: r.tracking_number,
    businessReference: r.business_reference,
    typeCode: r.type_code,
    typeName: r.type_name,
    stateCode: r.state_code,
    stateName: r.state_name,
    maskedState: r.masked_state,
    cod: fromMinor(r.cod_minor),
    fees: fromMinor(r.fees_minor),
    customerId: r.customer_id,
    phone: r.phone,
    receiverName: r.receiver_name,
    receiverPhoneRaw: r.receiver_phone_raw,
    secondPhone: r.second_phone,
    city: r.city,
    zone: r.zone,
    district: r.district,
    address: r.address,
    packageDescription: r.package_description,
    itemsCount: r.items_count,
    courierNotes: r.courier_notes,
    attempts: r.attempts,
    calls: r.calls,
    paymentMethod: r.payment_method,
    exceptionReason: r.exception_reason,
    exceptionCode: r.exception_code,
    category: r.category,
    serviceType: r.service_type,
    orderLevel: r.order_level,
    hierarchyStatus: r.hierarchy_status,
    parentOrderId: r.parent_order_id,
    deliveryHours: r.delivery_hours,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deliveredAt: r.delivered_at,
    returnedAt: r.returned_at,
    stateChangedAt: r.state_changed_at,
    localNotes: r.local_notes,
    syncedAt: r.synced_at,
  };
}

function isSelective(f: OrderFilter): boolean {
  return f.phone !== undefined || f.customerId !== undefined || f.tracking !== undefined;
}

/**
 * A page's row limit written into the SQL: SQLite plans a literal LIMIT better than a bound one (a 26-row page
 * of JSON orders took ~90 instead of ~125 µs). Safe to inline: always an integer of ours (a page size + 1).
 */
function pageLimit(take: number) {
  if (!Number.isSafeInteger(take) || take < 1) throw new Error(`invalid page limit ${take}`);
  return sql.lit(take);
}

/** Which `orders` values a page brings, qualified by the table name or alias its query reads them from. */
type OrderSelection = (table: 'orders' | 'o') => ReadonlyArray<string | AliasedRawBuilder<unknown, string>>;

/** A keyset page of orders matching the filters, in the sort's order, each row selecting `columns`. */
async function orderRows<R extends { id: number }>(
  ctx: TenantCtx,
  filter: OrderFilter,
  sort: KeysetSort,
  page: PageRequest,
  columns: OrderSelection,
): Promise<{ rows: R[]; nextCursor: string | null }> {
  return keysetPage(
    sort,
    page.cursor,
    page.limit,
    async (step, take) => {
      if (isSelective(filter)) return (await selectivePage(ctx, filter, sort, step, take, columns)) as R[];
      // The columns are the caller's: the list's or the JSON text with the cursor's columns.
      let q = applyOrderFilter(ctx.db.selectFrom('orders').select(columns('orders') as any), ctx.tenantId, filter);
      for (const w of step.where) q = q.where(w);
      for (const o of step.orderBy) q = q.orderBy(sql.ref(o.column), o.desc ? 'desc' : 'asc');
      return (await q.limit(pageLimit(take)).execute()) as unknown as R[];
    },
    (row) => orderPosition(sort, row as unknown as Record<string, unknown> & { id: number }),
  );
}

/**
 * A page of a filter matching few orders (a phone, a customer, a tracking number): their keys are collected
 * through the filter's own index first (otherwise a planner without statistics, a fresh SQLite, may walk the
 * sort's index over the whole table looking for them), the page is cut from the keys, and only its rows are
 * read in full.
 */
async function selectivePage(
  ctx: TenantCtx,
  filter: OrderFilter,
  sort: KeysetSort,
  step: KeysetStep,
  take: number,
  columns: OrderSelection,
): Promise<unknown[]> {
  const keys = ['id', ...new Set(sort.columns.map((c) => c.column))];
  const matched = applyOrderFilter(ctx.db.selectFrom('orders').select(keys as any), ctx.tenantId, filter);
  let pageKeys = ctx.db
    .with(
      (wb) => wb('matched').materialized(),
      () => matched,
    )
    .selectFrom('matched')
    .select(keys as any);
  for (const w of step.where) pageKeys = pageKeys.where(w);
  for (const o of step.orderBy) pageKeys = pageKeys.orderBy(sql.ref(o.column), o.desc ? 'desc' : 'asc');
  // CROSS JOIN keeps SQLite's join order (the page's keys, then each order by its primary key), and ordering by
  // the keys' own columns lets it keep their order; ordering by the orders' copy would make it walk the sort's
  // index over the whole tenant instead.
  let q = ctx.db
    .selectFrom(pageKeys.limit(pageLimit(take)).as('p'))
    .crossJoin('orders as o')
    .where(sql<SqlBool>`${sql.ref('o.id')} = ${sql.ref('p.id')}`)
    .where('o.tenant_id', '=', ctx.tenantId)
    .select(columns('o') as any);
  for (const o of step.orderBy) q = q.orderBy(sql.ref(`p.${o.column}`), o.desc ? 'desc' : 'asc');
  return q.execute();
}

const QUALIFIED_LIST_COLUMNS = {
  orders: ORDER_LIST_COLUMNS.map((c) => `orders.${c}`),
  o: ORDER_LIST_COLUMNS.map((c) => `o.${c}`),
};

/** One keyset page of orders matching the filters, in the sort's order. */
export async function listOrders(
  ctx: TenantCtx,
  filter: OrderFilter,
  sort: KeysetSort,
  page: PageRequest,
): Promise<{ items: Order[]; nextCursor: string | null }> {
  const out = await orderRows<OrderRow>(ctx, filter, sort, page, (t) => QUALIFIED_LIST_COLUMNS[t]);
  return { items: out.rows.map(toOrder), nextCursor: out.nextCursor };
}

/**
 * The same page as `listOrders`, each order as its JSON text built by the database (see `orderJson`): for
 * answers that only pass the orders on.
 */
export async function listOrderJson(
  ctx: TenantCtx,
  filter: OrderFilter,
  sort: KeysetSort,
  page: PageRequest,
): Promise<{ items: string[]; nextCursor: string | null }> {
  // The sort's columns ride along: the next cursor is made from the last row's values.
  const sortColumns = [...new Set(sort.columns.map((c) => c.column))];
  const out = await orderRows<{ id: number; json: string }>(ctx, filter, sort, page, (t) => [
    `${t}.id`,
    ...sortColumns.map((c) => `${t}.${c}`),
    orderJson(ctx.dialect, t).as('json'),
  ]);
  return { items: out.rows.map((r) => r.json), nextCursor: out.nextCursor };
}

/** How many orders match the filters (the `total=true` of the list). */
export async function countOrders(ctx: TenantCtx, filter: OrderFilter): Promise<number> {
  const r = await applyOrderFilter(
    ctx.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')),
    ctx.tenantId,
    filter,
  ).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One order of the tenant with its courier payload. */
export async function findOrder(ctx: TenantCtx, id: number): Promise<OrderDetail | null> {
  const r = await ctx.db
    .selectFrom('orders')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? { ...toOrder(r), raw: await orderDocument(ctx, r.id) } : null;
}

/** The newest order with this tracking number (a number is unique per courier, but sources may repeat one). */
export async function findOrderByTracking(ctx: TenantCtx, trackingNumber: string): Promise<OrderDetail | null> {
  const r = await ctx.db
    .selectFrom('orders')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('tracking_number', '=', trackingNumber)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r ? { ...toOrder(r), raw: await orderDocument(ctx, r.id) } : null;
}

/** The source's document of an order as received, or null when none was stored. */
export async function orderDocument(ctx: TenantCtx, orderId: number): Promise<unknown> {
  const d = await ctx.db
    .selectFrom('order_documents')
    .select('raw')
    .where('tenant_id', '=', ctx.tenantId)
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  return parseJson(d?.raw, null);
}

/** State history, oldest first. */
export async function listOrderTimeline(ctx: TenantCtx, orderId: number) {
  const rows = await ctx.db
    .selectFrom('order_timeline')
    .select(['state_code', 'state_name', 'at', 'source', 'note'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('order_id', '=', orderId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    stateCode: r.state_code,
    stateName: r.state_name,
    at: r.at,
    source: r.source,
    note: r.note,
  }));
}

/** The audit of field changes on an order, oldest first. */
export async function listOrderChanges(ctx: TenantCtx, orderId: number) {
  const rows = await ctx.db
    .selectFrom('order_changes')
    .select(['field', 'from_value', 'to_value', 'source', 'at'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ field: r.field, from: r.from_value, to: r.to_value, source: r.source, at: r.at }));
}

/** Sets our own notes; courier-owned columns (and `updated_at`, the courier's clock) stay untouched. */
export async function setOrderLocalNotes(
  ctx: TenantCtx,
  id: number,
  change: { from: string | null; to: string | null; source: string; now: string },
): Promise<void> {
  await ctx.db
    .updateTable('orders')
    .set({ local_notes: change.to })
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .execute();
  await ctx.db
    .insertInto('order_changes')
    .values({
      tenant_id: ctx.tenantId,
      order_id: id,
      field: 'local_notes',
      from_value: change.from,
      to_value: change.to,
      source: change.source,
      at: change.now,
    })
    .execute();
}

/** The most recently created order: one step down the orders_created index. */
export async function latestOrder(ctx: TenantCtx) {
  const r = await ctx.db
    .selectFrom('orders')
    .select(['id', 'tracking_number', 'created_at'])
    .where('tenant_id', '=', ctx.tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r ? { id: r.id, trackingNumber: r.tracking_number, createdAt: r.created_at } : null;
}

/**
 * The few columns a profile aggregates, for one customer. Aggregated here rather than with GROUP BY: grouped,
 * SQLite without statistics prefers walking the tenant's category index over the customer's own rows.
 */
interface CustomerAddress {
  city: string | null;
  zone: string | null;
  district: string | null;
  address: string | null;
  orders: number;
  lastUsedAt: string;
}

/**
 * A customer's orders counted and summed per category, the distinct delivery addresses they used (most used
 * first) and the JSON text of the newest `lastOrders` (newest first, as `listOrderJson` sorted by -createdAt
 * would give them), from one read of the customer's orders.
 */
export async function customerOrderSummary(ctx: TenantCtx, customerId: number, lastOrders: number) {
  // CASE builds the JSON (see `orderJson`) of no other row than the newest ones.
  const newest = sql`row_number() over (order by ${sql.ref('o.created_at')} desc, ${sql.ref('o.id')} desc)`;
  const json = sql<
    string | null
  >`case when ${newest} <= ${pageLimit(lastOrders)} then ${orderJson(ctx.dialect, 'o')} end`;
  const facts = await ctx.db
    .selectFrom('orders as o')
    .select(['o.category', 'o.cod_minor', 'o.city', 'o.zone', 'o.district', 'o.address', 'o.created_at'])
    .select(json.as('json'))
    .where('o.tenant_id', '=', ctx.tenantId)
    .where('o.customer_id', '=', customerId)
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id', 'desc')
    .execute();
  const latest: string[] = [];
  for (const r of facts) if (r.json !== null) latest.push(r.json);
  const sums = new Map<string, { orders: number; cod: number }>();
  const byAddress = new Map<string, CustomerAddress>();
  for (const r of facts) {
    const s = sums.get(r.category) ?? { orders: 0, cod: 0 };
    s.orders++;
    s.cod += Number(r.cod_minor);
    sums.set(r.category, s);
    const key = JSON.stringify([r.city, r.zone, r.district, r.address]);
    const a = byAddress.get(key) ?? {
      city: r.city,
      zone: r.zone,
      district: r.district,
      address: r.address,
      orders: 0,
      lastUsedAt: r.created_at,
    };
    a.orders++;
    if (r.created_at > a.lastUsedAt) a.lastUsedAt = r.created_at;
    byAddress.set(key, a);
  }
  const byCategory = [...sums.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([category, s]) => ({ category, orders: s.orders, cod: fromMinor(s.cod) }));
  const addresses = [...byAddress.values()].sort(
    (x, y) => y.orders - x.orders || y.lastUsedAt.localeCompare(x.lastUsedAt),
  );
  return { byCategory, addresses, lastOrders: latest };
}

/** Hands every order of one customer to another (a merge); returns how many moved. */
export function moveOrdersToCustomer(ctx: TenantCtx, fromCustomerId: number, toCustomerId: number): Promise<number> {
  return reassignCustomerRows(ctx, 'orders', fromCustomerId, toCustomerId);
}
