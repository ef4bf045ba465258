import type { Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect.js';

/** The after-sales cycle: service actions, their audit trail, hub inspections and the parts they use. */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('service_actions')
    .$call(t.addId)
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('customer_id', t.bigint, (c) => c.notNull().references('customers.id'))
    .addColumn('main_order_id', t.bigint, (c) => c.references('orders.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subtype', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('product_sku', 'text')
    .addColumn('product_name', 'text')
    .addColumn('warranty_status', 'text', (c) => c.notNull())
    .addColumn('warranty_until', t.timestamp)
    .addColumn('estimated_cost_minor', t.bigint, (c) => c.notNull())
    .addColumn('actual_cost_minor', t.bigint)
    .addColumn('customer_pays_minor', t.bigint)
    .addColumn('pickup_address', t.json, (c) => c.notNull())
    .addColumn('return_order_id', t.bigint, (c) => c.references('orders.id'))
    .addColumn('return_tracking_number', 'text')
    .addColumn('outbound_order_id', t.bigint, (c) => c.references('orders.id'))
    .addColumn('outbound_tracking_number', 'text')
    .addColumn('assignee_id', t.bigint)
    .addColumn('technician', 'text')
    .addColumn('execution', 'text')
    .addColumn('replacement_sku', 'text')
    .addColumn('refund_minor', t.bigint)
    .addColumn('refund_reason', 'text')
    .addColumn('refunded_at', t.timestamp)
    .addColumn('flagged', t.bool, (c) => c.notNull())
    .addColumn('flag_reason', 'text')
    .addColumn('courier_error', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('created_by', t.bigint)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('status_changed_at', t.timestamp, (c) => c.notNull())
    .addColumn('completed_at', t.timestamp)
    .addColumn('closed_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('service_actions_number')
    .on('service_actions')
    .columns(['tenant_id', 'number'])
    .unique()
    .execute();
  await db.schema
    .createIndex('service_actions_idempotency')
    .on('service_actions')
    .columns(['tenant_id', 'idempotency_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('service_actions_status')
    .on('service_actions')
    .columns(['tenant_id', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('service_actions_customer')
    .on('service_actions')
    .columns(['tenant_id', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('service_actions_return')
    .on('service_actions')
    .columns(['tenant_id', 'return_order_id'])
    .execute();
  await db.schema
    .createIndex('service_actions_outbound')
    .on('service_actions')
    .columns(['tenant_id', 'outbound_order_id'])
    .execute();
  await db.schema
    .createIndex('service_actions_return_tn')
    .on('service_actions')
    .columns(['tenant_id', 'return_tracking_number'])
    .execute();

  await db.schema
    .createTable('service_events')
    .$call(t.addId)
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('action_id', t.bigint, (c) => c.notNull().references('service_actions.id'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', t.bigint)
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_events_action').on('service_events').columns(['action_id', 'id']).execute();

  await db.schema
    .createTable('hub_inspections')
    .$call(t.addId)
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('action_id', t.bigint, (c) => c.notNull().references('service_actions.id'))
    .addColumn('hub', 'text', (c) => c.notNull())
    .addColumn('agent', 'text', (c) => c.notNull())
    .addColumn('scanned_by', t.bigint)
    .addColumn('scanned_at', t.timestamp, (c) => c.notNull())
    .addColumn('condition', 'text')
    .addColumn('missing_parts', t.json)
    .addColumn('visible_damage', 'text')
    .addColumn('functionality', 'text')
    .addColumn('checklist', t.json)
    .addColumn('quality_score', 'integer')
    .addColumn('good_qty', 'integer')
    .addColumn('damaged_qty', 'integer')
    .addColumn('restock_location', 'text')
    .addColumn('recommended_action', 'text')
    .addColumn('priority', 'text')
    .addColumn('estimated_cost_minor', t.bigint)
    .addColumn('estimated_days', 'integer')
    .addColumn('notes', 'text')
    .addColumn('review_required', t.bool, (c) => c.notNull())
    .addColumn('inspected_by', t.bigint)
    .addColumn('inspected_at', t.timestamp)
    .addColumn('review_decision', 'text')
    .addColumn('review_notes', 'text')
    .addColumn('reviewed_by', t.bigint)
    .addColumn('reviewed_at', t.timestamp)
    .execute();
  // One inspection record per action: a second scan finds it instead of adding another.
  await db.schema
    .createIndex('hub_inspections_action')
    .on('hub_inspections')
    .columns(['tenant_id', 'action_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('service_parts')
    .$call(t.addId)
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('action_id', t.bigint, (c) => c.notNull().references('service_actions.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('qty', 'integer', (c) => c.notNull())
    .addColumn('unit_cost_minor', t.bigint, (c) => c.notNull())
    .addColumn('stock_applied', t.bool, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_parts_action').on('service_parts').columns(['tenant_id', 'action_id']).execute();
}
