import type { Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect.js';

/**
 * A counter per tenant, moved in the same transaction as every write to its order summaries: a reader that
 * kept an answer computed from the summaries knows it is still exact while the counter has not moved, in
 * whichever process the writes happened.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('order_summary_versions')
    .addColumn('tenant_id', t.bigint, (c) => c.primaryKey().references('tenants.id'))
    .addColumn('version', t.bigint, (c) => c.notNull())
    .execute();
}
