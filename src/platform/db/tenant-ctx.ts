import { type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { DialectName } from './dialect.js';
import type { DB } from './schema.js';

/**
 * The tenant a piece of work belongs to and the connection (or transaction) it runs on. Every repository
 * function takes it first, so no query can forget its tenant.
 */
export interface TenantCtx {
  readonly tenantId: number;
  readonly db: Kysely<DB>;
  readonly dialect: DialectName;
}

/** Runs `fn` in one transaction; nested calls join the outer transaction. */
export async function inTransaction<T>(ctx: TenantCtx, fn: (tx: TenantCtx) => Promise<T>): Promise<T> {
  if ((ctx.db as Transaction<DB>).isTransaction) return fn(ctx);
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
}

/**
 * `tenant_id = ?` for statements that pick rows by `id IN (…)`, written so no index can serve it: without
 * statistics SQLite takes any index led by tenant_id for a selective one and walks the whole tenant instead of
 * looking the ids up by primary key. The unary plus is a no-op in both dialects; the tenant check stays.
 */
export function sameTenant(ctx: TenantCtx, column: string) {
  return sql<SqlBool>`+${sql.ref(column)} = ${ctx.tenantId}`;
}
