import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Indexes behind the orders and customers lists: each whitelisted sort is a (tenant_id, column, id) index so
 * a keyset page is a range scan, and each equality filter without one gets (tenant_id, column, created_at) so
 * the default newest-first list stays an index walk at a million orders.
 */
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  const orderIndexes: Array<[string, string[]]> = [
    ['orders_delivered', ['tenant_id', 'delivered_at', 'id']],
    ['orders_cod', ['tenant_id', 'cod_minor', 'id']],
    ['orders_updated', ['tenant_id', 'updated_at', 'id']],
    ['orders_city', ['tenant_id', 'city', 'created_at']],
    ['orders_zone', ['tenant_id', 'zone', 'created_at']],
    ['orders_type', ['tenant_id', 'type_code', 'created_at']],
    ['orders_hierarchy', ['tenant_id', 'hierarchy_status', 'created_at']],
  ];
  for (const [name, columns] of orderIndexes) {
    await db.schema.createIndex(name).on('orders').columns(columns).execute();
  }
  const customerIndexes: Array<[string, string[]]> = [
    ['customers_tenant_ltv', ['tenant_id', 'lifetime_value_minor', 'id']],
    ['customers_tenant_orders', ['tenant_id', 'orders_count', 'id']],
    ['customers_tenant_name', ['tenant_id', 'name', 'id']],
    ['customers_tenant_city', ['tenant_id', 'city', 'id']],
  ];
  for (const [name, columns] of customerIndexes) {
    await db.schema.createIndex(name).on('customers').columns(columns).execute();
  }
  // Moving a duplicate's phones to the survivor of a merge, and listing a customer's aliases.
  await db.schema
    .createIndex('customer_phones_customer')
    .on('customer_phones')
    .columns(['tenant_id', 'customer_id'])
    .execute();
}
