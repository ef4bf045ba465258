import { sameTenant, type TenantCtx } from '../../platform/db/tenant-ctx.js';

export interface CustomerRef {
  id: number;
  name: string;
  phone: string;
}

export interface UserRef {
  id: number;
  name: string;
}

/** Who a page of desk rows is about and who works it, looked up once per page rather than once per row. */
export interface Parties {
  customers: Map<number, CustomerRef>;
  users: Map<number, UserRef>;
}

/**
 * Names and phones of the customers and users a page refers to. A read of two other areas' tables, kept to
 * the three columns a list row shows; tenant-scoped like every other query.
 */
export async function partiesOf(
  ctx: TenantCtx,
  rows: ReadonlyArray<{ customer_id: number; assignee_id: number | null }>,
): Promise<Parties> {
  const customerIds = [...new Set(rows.map((r) => r.customer_id))];
  const userIds = [...new Set(rows.flatMap((r) => (r.assignee_id === null ? [] : [r.assignee_id])))];
  const customers = customerIds.length
    ? await ctx.db
        .selectFrom('customers')
        .select(['id', 'name', 'phone'])
        .where(sameTenant(ctx, 'tenant_id'))
        .where('id', 'in', customerIds)
        .execute()
    : [];
  const users = userIds.length
    ? await ctx.db
        .selectFrom('users')
        .select(['id', 'name'])
        .where(sameTenant(ctx, 'tenant_id'))
        .where('id', 'in', userIds)
        .execute()
    : [];
  return {
    customers: new Map(customers.map((c) => [Number(c.id), { id: Number(c.id), name: c.name, phone: c.phone }])),
    users: new Map(users.map((u) => [Number(u.id), { id: Number(u.id), name: u.name }])),
  };
}

/** The customer of a row; a row always has one (foreign key), the fallback only guards a concurrent purge. */
export function customerOf(parties: Parties, id: number): CustomerRef {
  return parties.customers.get(id) ?? { id, name: '', phone: '' };
}

export function userOf(parties: Parties, id: number | null): UserRef | null {
  if (id === null) return null;
  return parties.users.get(id) ?? null;
}

/**
 * A customer and every duplicate merged into it: a merge moves orders, not the desk's history, so a
 * customer's interactions and calls are read across the whole family.
 */
export async function customerFamily(ctx: TenantCtx, customerId: number): Promise<number[]> {
  const rows = await ctx.db
    .selectFrom('customers')
    .select('id')
    .where('tenant_id', '=', ctx.tenantId)
    .where((eb) => eb.or([eb('id', '=', customerId), eb('merged_into_id', '=', customerId)]))
    .execute();
  return rows.length ? rows.map((r) => Number(r.id)) : [customerId];
}
