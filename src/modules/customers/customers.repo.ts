import { type Selectable, type SqlBool, sql, type Updateable } from 'kysely';
import { ilike, parseJson } from '../../platform/db/dialect.js';
import { reassignCustomerRows } from '../../platform/db/reassign.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { fromMinor } from '../../lib/money.js';
import { type KeysetSort, keysetPage, type PageRequest } from '../orders/order-sort.js';
import type { CustomersTable } from './customers.tables.js';
import { returnRate } from './segment.js';

/** A customer as the API shows it: camelCase, money in decimal major units. */
export interface Customer {
  id: number;
  phone: string;
  secondPhone: string | null;
  name: string;
  email: string | null;
  city: string | null;
  zone: string | null;
  district: string | null;
  address: string | null;
  notes: string | null;
  tags: string[];
  source: string;
  ordersCount: number;
  deliveredCount: number;
  returnedCount: number;
  returnRate: number;
  lifetimeValue: number;
  refunds: number;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  segment: string;
  mergedIntoId: number | null;
  createdAt: string;
  updatedAt: string;
}

type CustomerRow = Selectable<CustomersTable>;

/** Maps a customers row to the API shape (return rate derived, money in major units). */
export function toCustomer(r: CustomerRow): Customer {
  const tags = parseJson<unknown>(r.tags, []);
  return {
    id: r.id,
    phone: r.phone,
    secondPhone: r.second_phone,
    name: r.name,
    email: r.email,
    city: r.city,
    zone: r.zone,
    district: r.district,
    address: r.address,
    notes: r.notes,
    tags: Array.isArray(tags) ? tags.map(String) : [],
    source: r.source,
    ordersCount: r.orders_count,
    deliveredCount: r.delivered_count,
    returnedCount: r.returned_count,
    returnRate: Math.round(returnRate({ ...counts(r) }) * 10_000) / 10_000,
    lifetimeValue: fromMinor(r.lifetime_value_minor),
    refunds: fromMinor(r.refunds_minor),
    firstOrderAt: r.first_order_at,
    lastOrderAt: r.last_order_at,
    segment: r.segment,
    mergedIntoId: r.merged_into_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function counts(r: CustomerRow) {
  return {
    ordersCount: r.orders_count,
    deliveredCount: r.delivered_count,
    returnedCount: r.returned_count,
    lifetimeValueMinor: r.lifetime_value_minor,
  };
}

/** A customer of the tenant by id, merged or not. */
export async function findCustomerById(ctx: TenantCtx, id: number): Promise<Customer | null> {
  const r = await ctx.db
    .selectFrom('customers')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toCustomer(r) : null;
}

/**
 * The customer an E.164 phone leads to: the one holding it as its own phone (the whole row, found in one
 * query), else the id an alias points at (second phone, merged duplicate); null when none.
 */
export async function findCustomerByPhone(ctx: TenantCtx, phone: string): Promise<Customer | number | null> {
  const own = await ctx.db
    .selectFrom('customers')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('phone', '=', phone)
    .executeTakeFirst();
  if (own) return toCustomer(own);
  const alias = await ctx.db
    .selectFrom('customer_phones')
    .select('customer_id')
    .where('tenant_id', '=', ctx.tenantId)
    .where('phone', '=', phone)
    .executeTakeFirst();
  return alias ? Number(alias.customer_id) : null;
}

/** The id of the customer an E.164 phone leads to (see `findCustomerByPhone`). */
export async function findCustomerIdByPhone(ctx: TenantCtx, phone: string): Promise<number | null> {
  const found = await findCustomerByPhone(ctx, phone);
  return typeof found === 'number' || found === null ? found : found.id;
}

/** Every customer a phone leads to: the one holding it and the one an alias points at. */
async function customerIdsByPhone(ctx: TenantCtx, phone: string): Promise<number[]> {
  const own = await ctx.db
    .selectFrom('customers')
    .select('id')
    .where('tenant_id', '=', ctx.tenantId)
    .where('phone', '=', phone)
    .execute();
  const aliases = await ctx.db
    .selectFrom('customer_phones')
    .select('customer_id')
    .where('tenant_id', '=', ctx.tenantId)
    .where('phone', '=', phone)
    .execute();
  return [...new Set([...own.map((r) => r.id), ...aliases.map((r) => Number(r.customer_id))])];
}

/** The phones besides its own that lead to a customer. */
export async function listCustomerPhones(ctx: TenantCtx, customerId: number) {
  return ctx.db
    .selectFrom('customer_phones')
    .select(['phone', 'kind'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('customer_id', '=', customerId)
    .orderBy('phone')
    .execute();
}

/** The editable fields of a customer, in column terms. */
export interface CustomerFields {
  phone?: string;
  name?: string;
  email?: string | null;
  city?: string | null;
  zone?: string | null;
  district?: string | null;
  address?: string | null;
  notes?: string | null;
  tags?: string[];
}

function columnsOf(f: CustomerFields): Updateable<CustomersTable> {
  const { tags, ...rest } = f;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return { ...defined, ...(tags !== undefined ? { tags: JSON.stringify(tags) } : {}) };
}

/** Inserts a customer with zero aggregates; they fill in as orders arrive. */
export async function insertCustomer(
  ctx: TenantCtx,
  c: CustomerFields & { phone: string; name: string; source: string; now: string },
): Promise<Customer> {
  const { source, now, ...fields } = c;
  const r = await ctx.db
    .insertInto('customers')
    .values({
      tenant_id: ctx.tenantId,
      tags: '[]',
      ...columnsOf(fields),
      phone: c.phone,
      name: c.name,
      source,
      orders_count: 0,
      delivered_count: 0,
      returned_count: 0,
      lifetime_value_minor: 0,
      refunds_minor: 0,
      segment: 'new',
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCustomer(r);
}

/** Writes the given fields (undefined ones stay as they are). */
export async function updateCustomer(ctx: TenantCtx, id: number, f: CustomerFields, now: string): Promise<void> {
  await ctx.db
    .updateTable('customers')
    .set({ ...columnsOf(f), updated_at: now })
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .execute();
}

/** Filters of the customers list, in column terms. */
export interface CustomerFilter {
  segment?: string;
  city?: string;
  namePrefix?: string;
  /** An E.164 phone: the customer's own or an alias. */
  phone?: string;
  minOrders?: number;
  minLifetimeValueMinor?: number;
  lastOrderSince?: string;
  hasReturns?: boolean;
}

export const CUSTOMER_SORTS: Record<string, KeysetSort> = {
  '-lastOrderAt': {
    name: '-lastOrderAt',
    columns: [{ column: 'last_order_at', kind: 'timestamp' }],
    desc: true,
    nullable: true,
  },
  '-lifetimeValue': {
    name: '-lifetimeValue',
    columns: [{ column: 'lifetime_value_minor', kind: 'integer' }],
    desc: true,
    nullable: false,
  },
  '-ordersCount': {
    name: '-ordersCount',
    columns: [{ column: 'orders_count', kind: 'integer' }],
    desc: true,
    nullable: false,
  },
  name: { name: 'name', columns: [{ column: 'name', kind: 'text' }], desc: false, nullable: false },
};

function likePrefix(s: string): string {
  return `${s.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** One keyset page of live (not merged) customers. */
export async function listCustomers(
  ctx: TenantCtx,
  f: CustomerFilter,
  sort: KeysetSort,
  page: PageRequest,
): Promise<{ items: Customer[]; nextCursor: string | null }> {
  // A phone leads to one or two customers: find them by their indexes, then page over those ids only.
  const phoneIds = f.phone === undefined ? null : await customerIdsByPhone(ctx, f.phone);
  if (phoneIds !== null && phoneIds.length === 0) return { items: [], nextCursor: null };
  const out = await keysetPage(
    sort,
    page.cursor,
    page.limit,
    async (step, take) => {
      let q = ctx.db
        .selectFrom('customers')
        .selectAll()
        .where('tenant_id', '=', ctx.tenantId)
        .where('merged_into_id', 'is', null);
      if (f.segment !== undefined) q = q.where('segment', '=', f.segment);
      if (f.city !== undefined) q = q.where('city', '=', f.city);
      if (f.minOrders !== undefined) q = q.where('orders_count', '>=', f.minOrders);
      if (f.minLifetimeValueMinor !== undefined) q = q.where('lifetime_value_minor', '>=', f.minLifetimeValueMinor);
      if (f.lastOrderSince !== undefined) q = q.where('last_order_at', '>=', f.lastOrderSince);
      if (f.hasReturns !== undefined) q = q.where('returned_count', f.hasReturns ? '>' : '=', 0);
      if (f.namePrefix !== undefined) {
        q = q.where(
          sql<SqlBool>`${sql.ref('name')} ${sql.raw(ilike(ctx.dialect))} ${likePrefix(f.namePrefix)} escape '!'`,
        );
      }
      if (phoneIds !== null) q = q.where('id', 'in', phoneIds);
      for (const w of step.where) q = q.where(w);
      for (const o of step.orderBy) q = q.orderBy(sql.ref(o.column), o.desc ? 'desc' : 'asc');
      return q.limit(take).execute();
    },
    (row) => ({
      values: sort.columns.map((c) => (row as unknown as Record<string, string | number | null>)[c.column]),
      id: row.id,
    }),
  );
  return { items: out.rows.map(toCustomer), nextCursor: out.nextCursor };
}

/** Points a phone at a customer as an alias, taking it over if another customer held it. */
export async function putCustomerPhone(ctx: TenantCtx, phone: string, customerId: number, kind: string): Promise<void> {
  await ctx.db
    .insertInto('customer_phones')
    .values({ tenant_id: ctx.tenantId, phone, customer_id: customerId, kind })
    .onConflict((oc) => oc.columns(['tenant_id', 'phone']).doUpdateSet({ customer_id: customerId, kind }))
    .execute();
}

/** Hands every alias of one customer to another (a merge); returns how many moved. */
export function moveCustomerPhones(ctx: TenantCtx, fromId: number, toId: number): Promise<number> {
  return reassignCustomerRows(ctx, 'customer_phones', fromId, toId);
}

/**
 * Marks a duplicate as merged into its survivor, and re-points customers merged into the duplicate earlier,
 * so every merged customer is one step from a live one (lookups follow a single `merged_into_id`).
 */
export async function markCustomerMerged(ctx: TenantCtx, duplicateId: number, survivorId: number, now: string) {
  await ctx.db
    .updateTable('customers')
    .set({ merged_into_id: survivorId, updated_at: now })
    .where('tenant_id', '=', ctx.tenantId)
    .where((eb) => eb.or([eb('id', '=', duplicateId), eb('merged_into_id', '=', duplicateId)]))
    .execute();
}
