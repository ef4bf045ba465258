import type { Kysely } from 'kysely';
import type { DB } from './schema.js';
import type { TenantCtx } from './tenant-ctx.js';

/** The tables that keep rows per customer in a `customer_id` column. */
type CustomerOwned = {
  [T in keyof DB]: DB[T] extends { customer_id: unknown; tenant_id: number } ? T : never;
}[keyof DB];

/**
 * Re-points a tenant's rows of `table` from one customer to another (a merge); returns how many moved. Each
 * area calls it for its own tables, so a repository still names the tables it writes.
 */
export async function reassignCustomerRows(
  ctx: TenantCtx,
  table: CustomerOwned,
  fromId: number,
  toId: number,
): Promise<number> {
  // The mapped type above keeps `table` to customer-owned tables; Kysely cannot follow a union of tables here.
  const db = ctx.db as unknown as Kysely<Record<string, { tenant_id: number; customer_id: number }>>;
  const r = await db
    .updateTable(table)
    .set({ customer_id: toId })
    .where('tenant_id', '=', ctx.tenantId)
    .where('customer_id', '=', fromId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
