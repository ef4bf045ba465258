import type { Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect.js';

/**
 * Full hierarchy re-detection runs (the job of each request, its tenant for the status route, its outcome),
 * and on SQLite an index that holds everything linking reads of an order.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('hierarchy_runs')
    .$call(t.addId)
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', t.bigint)
    .addColumn('summary', t.json)
    .addColumn('error', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('started_at', t.timestamp)
    .addColumn('finished_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('hierarchy_runs_job')
    .on('hierarchy_runs')
    .columns(['tenant_id', 'job_id'])
    .unique()
    .execute();

  // Full re-detection reads every order of a batch of customers. From the table those rows lie scattered over
  // every page; from this covering index they are one contiguous range (about 3× faster at a million orders).
  // `id` is listed so (customer, time, id) order comes from the index too. It leaves out the hierarchy columns
  // on purpose: rewriting them must not move entries here. Not on PostgreSQL: an index entry there is capped
  // at ~2.7 kB, which a long package description could exceed.
  if (dialect === 'sqlite') {
    await db.schema
      .createIndex('orders_customer_link')
      .on('orders')
      .columns(['tenant_id', 'customer_id', 'created_at', 'id', 'category', 'package_description'])
      .execute();
  }
}
