import { type Kysely, sql } from 'kysely';
import { columnTypes, type DialectName } from '../dialect.js';

/**
 * The courier's document of each order moves out of `orders` into `order_documents`. It was most of a row's
 * bytes (~4 kB of JSON against ~0.5 kB of columns): every list read past it to reach the columns stored after
 * it, and every rewrite of an order's own columns (hierarchy linking, re-detection) copied it again. Only the
 * order detail reads it, by id.
 *
 * On SQLite, `order_id` is the rowid: the document table needs no index of its own, and new orders append.
 * Also on SQLite, `orders_customer` goes: it is a prefix of the covering `orders_customer_link`, which serves
 * every query it served, and ingest no longer pays for a sixteenth index.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('order_documents')
    .addColumn('order_id', t.bigint, (c) => c.primaryKey().references('orders.id'))
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('raw', t.json, (c) => c.notNull())
    .execute();
  await sql`insert into order_documents (order_id, tenant_id, raw) select id, tenant_id, raw from orders`.execute(db);
  await db.schema.alterTable('orders').dropColumn('raw').execute();
  if (dialect === 'sqlite') await db.schema.dropIndex('orders_customer').execute();
}
