import { type Kysely, sql } from 'kysely';
import { columnTypes, type DialectName } from '../dialect.js';

/** Orders from every source, their timelines, customers, hierarchy links, rollups, integrations and sync runs. */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('customers')
    .$call(t.addId)
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('second_phone', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('city', 'text')
    .addColumn('zone', 'text')
    .addColumn('district', 'text')
    .addColumn('address', 'text')
    .addColumn('notes', 'text')
    .addColumn('tags', t.json, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('orders_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('delivered_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('returned_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lifetime_value_minor', t.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('refunds_minor', t.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('first_order_at', t.timestamp)
    .addColumn('last_order_at', t.timestamp)
    .addColumn('segment', 'text', (c) => c.notNull().defaultTo('new'))
    .addColumn('merged_into_id', t.bigint)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('customers_tenant_phone')
    .on('customers')
    .columns(['tenant_id', 'phone'])
    .unique()
    .execute();
  await db.schema
    .createIndex('customers_tenant_segment')
    .on('customers')
    .columns(['tenant_id', 'segment', 'id'])
    .execute();
  await db.schema
    .createIndex('customers_tenant_last_order')
    .on('customers')
    .columns(['tenant_id', 'last_order_at', 'id'])
    .execute();

  // Phones that lead to a customer besides its own (second phones, phones of merged duplicates).
  await db.schema
    .createTable('customer_phones')
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('customer_id', t.bigint, (c) => c.notNull().references('customers.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_phones_pk', ['tenant_id', 'phone'])
    .execute();

  await db.schema
    .createTable('orders')
    .$call(t.addId)
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('tracking_number', 'text')
    .addColumn('business_reference', 'text')
    .addColumn('type_code', 'integer', (c) => c.notNull())
    .addColumn('type_name', 'text', (c) => c.notNull())
    .addColumn('state_code', 'integer', (c) => c.notNull())
    .addColumn('state_name', 'text', (c) => c.notNull())
    .addColumn('masked_state', 'text')
    .addColumn('cod_minor', t.bigint, (c) => c.notNull())
    .addColumn('fees_minor', t.bigint, (c) => c.notNull())
    .addColumn('customer_id', t.bigint, (c) => c.references('customers.id'))
    .addColumn('phone', 'text')
    .addColumn('receiver_name', 'text')
    .addColumn('receiver_phone_raw', 'text')
    .addColumn('second_phone', 'text')
    .addColumn('city', 'text')
    .addColumn('zone', 'text')
    .addColumn('district', 'text')
    .addColumn('address', 'text')
    .addColumn('package_description', 'text')
    .addColumn('items_count', 'integer')
    .addColumn('courier_notes', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('calls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('payment_method', 'text')
    .addColumn('exception_reason', 'text')
    .addColumn('exception_code', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('service_type', 'text', (c) => c.notNull())
    .addColumn('order_level', 'integer', (c) => c.notNull())
    .addColumn('hierarchy_status', 'text', (c) => c.notNull().defaultTo('unlinked'))
    .addColumn('parent_order_id', t.bigint)
    .addColumn('delivery_hours', t.real)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('delivered_at', t.timestamp)
    .addColumn('returned_at', t.timestamp)
    .addColumn('state_changed_at', t.timestamp)
    .addColumn('local_notes', 'text')
    .addColumn('raw', t.json, (c) => c.notNull())
    .addColumn('synced_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('orders_source_external')
    .on('orders')
    .columns(['tenant_id', 'source', 'external_id'])
    .unique()
    .execute();
  await db.schema.createIndex('orders_tracking').on('orders').columns(['tenant_id', 'tracking_number']).execute();
  await db.schema.createIndex('orders_phone').on('orders').columns(['tenant_id', 'phone', 'created_at']).execute();
  await db.schema
    .createIndex('orders_customer')
    .on('orders')
    .columns(['tenant_id', 'customer_id', 'created_at'])
    .execute();
  await db.schema.createIndex('orders_created').on('orders').columns(['tenant_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('orders_state').on('orders').columns(['tenant_id', 'state_code', 'created_at']).execute();
  await db.schema
    .createIndex('orders_category')
    .on('orders')
    .columns(['tenant_id', 'category', 'created_at'])
    .execute();
  await db.schema.createIndex('orders_parent').on('orders').columns(['tenant_id', 'parent_order_id']).execute();

  await db.schema
    .createTable('order_timeline')
    .$call(t.addId)
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('order_id', t.bigint, (c) => c.notNull().references('orders.id'))
    .addColumn('state_code', 'integer', (c) => c.notNull())
    .addColumn('state_name', 'text', (c) => c.notNull())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('order_timeline_unique')
    .on('order_timeline')
    .columns(['order_id', 'state_code', 'at'])
    .unique()
    .execute();

  // Audit of what changed on an order: state and classification.
  await db.schema
    .createTable('order_changes')
    .$call(t.addId)
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('order_id', t.bigint, (c) => c.notNull().references('orders.id'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('from_value', 'text')
    .addColumn('to_value', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_changes_order').on('order_changes').columns(['order_id', 'id']).execute();

  await db.schema
    .createTable('order_links')
    .$call(t.addId)
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('parent_order_id', t.bigint, (c) => c.notNull().references('orders.id'))
    .addColumn('child_order_id', t.bigint, (c) => c.notNull().references('orders.id'))
    .addColumn('relationship', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('confidence', t.real, (c) => c.notNull())
    .addColumn('linked_by', 'text', (c) => c.notNull())
    .addColumn('actor_id', t.bigint)
    .addColumn('reason', 'text')
    .addColumn('active', t.bool, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('deactivated_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('order_links_active_child')
    .on('order_links')
    .columns(['tenant_id', 'child_order_id'])
    .unique()
    .where(sql.ref('active'), '=', sql.raw(dialect === 'postgres' ? 'true' : '1'))
    .execute();
  await db.schema
    .createIndex('order_links_parent')
    .on('order_links')
    .columns(['tenant_id', 'parent_order_id'])
    .execute();
  await db.schema.createIndex('order_links_child').on('order_links').columns(['tenant_id', 'child_order_id']).execute();

  // Daily aggregates maintained at ingest: dashboards read O(days × cities), never O(orders).
  await db.schema
    .createTable('order_daily_rollups')
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('state_code', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('type_code', 'integer', (c) => c.notNull())
    .addColumn('orders', t.bigint, (c) => c.notNull())
    .addColumn('cod_minor', t.bigint, (c) => c.notNull())
    .addColumn('delivery_hours_sum', t.real, (c) => c.notNull())
    .addColumn('delivery_hours_count', t.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('order_daily_rollups_pk', [
      'tenant_id',
      'day',
      'city',
      'state_code',
      'category',
      'type_code',
    ])
    .execute();

  await db.schema
    .createTable('integration_connections')
    .$call(t.addId)
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('credentials_enc', 'text', (c) => c.notNull())
    .addColumn('settings', t.json, (c) => c.notNull())
    .addColumn('watermark', t.timestamp)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('integration_connections_provider')
    .on('integration_connections')
    .columns(['tenant_id', 'provider'])
    .unique()
    .execute();

  await db.schema
    .createTable('sync_runs')
    .$call(t.addId)
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cursor', t.json, (c) => c.notNull())
    .addColumn('pages_done', 'integer', (c) => c.notNull())
    .addColumn('pages_total', 'integer')
    .addColumn('deliveries_total', 'integer')
    .addColumn('deliveries_seen', 'integer', (c) => c.notNull())
    .addColumn('created_count', 'integer', (c) => c.notNull())
    .addColumn('updated_count', 'integer', (c) => c.notNull())
    .addColumn('unchanged_count', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('started_at', t.timestamp, (c) => c.notNull())
    .addColumn('heartbeat_at', t.timestamp, (c) => c.notNull())
    .addColumn('finished_at', t.timestamp)
    .execute();
  await db.schema.createIndex('sync_runs_tenant').on('sync_runs').columns(['tenant_id', 'provider', 'id']).execute();

  // Deduplication of incoming courier webhooks on (delivery id, state, timestamp).
  await db.schema
    .createTable('webhook_receipts')
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('received_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_receipts_pk', ['tenant_id', 'provider', 'dedupe_key'])
    .execute();

  // Leases that make "one at a time across processes" hold (one sync run per tenant).
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .execute();
}
