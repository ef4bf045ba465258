import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import { columnTypes, type DialectName } from '../dialect.js';

const MEASURES = [
  'orders',
  'delivered',
  'returned',
  'failed',
  'revenue_minor',
  'refunds_minor',
  'delivery_hours_sum',
  'delivery_hours_count',
];

/**
 * Coarser grains of `order_daily_summary` for `GET /orders/analytics`, so it no longer groups the whole
 * day × city × category summary (≈ 100k rows at a million orders) on every request:
 *
 * - `order_daily_category_summary` (day × category, all cities): the daily series, category split and totals;
 * - `order_monthly_city_summary` (month × city, all categories): the city breakdown over whole months.
 *
 * Both are kept by ingest in the same transaction as the summary and backfilled here from it. On SQLite they
 * are clustered on their key (`without rowid`), so a range of days is one sequential read. A city filter reads
 * the summary itself, through a new (tenant, city, day, category) index instead of every row of the tenant.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const measures = <T extends string>(b: CreateTableBuilder<T, any>) => {
    let out = b;
    for (const m of MEASURES) {
      out = out.addColumn(m, m === 'delivery_hours_sum' ? t.real : t.bigint, (c) => c.notNull());
    }
    return out;
  };
  const clustered = <T extends string>(b: CreateTableBuilder<T, any>) =>
    dialect === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b;

  await db.schema
    .createTable('order_daily_category_summary')
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .$call(measures)
    .addPrimaryKeyConstraint('order_daily_category_summary_pk', ['tenant_id', 'day', 'category'])
    .$call(clustered)
    .execute();
  await db.schema
    .createTable('order_monthly_city_summary')
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .$call(measures)
    .addPrimaryKeyConstraint('order_monthly_city_summary_pk', ['tenant_id', 'month', 'city'])
    .$call(clustered)
    .execute();
  await db.schema
    .createIndex('order_daily_summary_city')
    .on('order_daily_summary')
    .columns(['tenant_id', 'city', 'day', 'category'])
    .execute();

  const columns = sql.raw(MEASURES.join(', '));
  const sums = sql.raw(MEASURES.map((m) => `sum(${m})`).join(', '));
  await sql`insert into order_daily_category_summary (tenant_id, day, category, ${columns})
    select tenant_id, day, category, ${sums} from order_daily_summary group by tenant_id, day, category`.execute(db);
  await sql`insert into order_monthly_city_summary (tenant_id, month, city, ${columns})
    select tenant_id, substr(day, 1, 7), city, ${sums} from order_daily_summary
    group by tenant_id, substr(day, 1, 7), city`.execute(db);
}
