import { type Kysely, sql } from 'kysely';
import { columnTypes, type DialectName } from '../dialect.js';

/**
 * Day × city × category with the outcome measures precomputed: the analytics dashboard reads a few rows per
 * day instead of the state × type grain of `order_daily_rollups`. Backfilled from the rollups.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('order_daily_summary')
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('orders', t.bigint, (c) => c.notNull())
    .addColumn('delivered', t.bigint, (c) => c.notNull())
    .addColumn('returned', t.bigint, (c) => c.notNull())
    .addColumn('failed', t.bigint, (c) => c.notNull())
    .addColumn('revenue_minor', t.bigint, (c) => c.notNull())
    .addColumn('refunds_minor', t.bigint, (c) => c.notNull())
    .addColumn('delivery_hours_sum', t.real, (c) => c.notNull())
    .addColumn('delivery_hours_count', t.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('order_daily_summary_pk', ['tenant_id', 'day', 'city', 'category'])
    .execute();
  await sql`insert into order_daily_summary (tenant_id, day, city, category, orders, delivered, returned, failed,
      revenue_minor, refunds_minor, delivery_hours_sum, delivery_hours_count)
    select tenant_id, day, city, category, sum(orders),
      sum(case when state_code = 45 then orders else 0 end),
      sum(case when state_code = 46 then orders else 0 end),
      sum(case when state_code in (48, 49, 100, 101) then orders else 0 end),
      sum(case when category in ('real_sale', 'maintenance') then cod_minor else 0 end),
      sum(case when category = 'refund' and state_code = 45 then -cod_minor else 0 end),
      sum(delivery_hours_sum), sum(delivery_hours_count)
    from order_daily_rollups group by tenant_id, day, city, category`.execute(db);
}
