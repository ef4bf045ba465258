import { type Kysely, sql } from 'kysely';
import { columnTypes, type DialectName } from '../dialect.js';

/**
 * The customer-service desk: interactions (calls, complaints, inquiries, follow-ups, tickets) and the calls
 * agents schedule. `service_action_id` has no foreign key on purpose: the service-actions table comes from a
 * parallel migration and an interaction must outlive a purged action.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('interactions')
    .$call(t.addId)
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('ticket_number', 'text', (c) => c.notNull())
    .addColumn('customer_id', t.bigint, (c) => c.notNull().references('customers.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('priority', 'text', (c) => c.notNull().defaultTo('medium'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('assignee_id', t.bigint, (c) => c.references('users.id'))
    .addColumn('follow_up_at', t.timestamp)
    .addColumn('satisfaction', 'integer', (c) => c.check(sql`satisfaction between 1 and 5`))
    .addColumn('resolution', 'text')
    // Kept with resolved_at so the dashboard's average is a plain AVG on both dialects (no date arithmetic).
    .addColumn('resolution_minutes', 'integer')
    .addColumn('service_action_id', t.bigint)
    .addColumn('created_by', t.bigint)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('resolved_at', t.timestamp)
    .addColumn('first_response_at', t.timestamp)
    .execute();
  const interactionIndexes: Array<[string, string[]]> = [
    // Newest-first lists: the desk list, and one customer's history.
    ['interactions_created', ['tenant_id', 'created_at', 'id']],
    ['interactions_customer', ['tenant_id', 'customer_id', 'created_at', 'id']],
    // Equality filters and the dashboard's group-bys.
    ['interactions_status', ['tenant_id', 'status', 'created_at']],
    ['interactions_assignee', ['tenant_id', 'assignee_id', 'status']],
    ['interactions_priority', ['tenant_id', 'priority', 'created_at']],
    ['interactions_type', ['tenant_id', 'type', 'created_at']],
    // Follow-ups due and overdue; resolved today and the 30-day resolution average.
    ['interactions_follow_up', ['tenant_id', 'follow_up_at']],
    ['interactions_resolved', ['tenant_id', 'resolved_at']],
    ['interactions_service_action', ['tenant_id', 'service_action_id']],
  ];
  await db.schema
    .createIndex('interactions_ticket_number')
    .on('interactions')
    .columns(['tenant_id', 'ticket_number'])
    .unique()
    .execute();
  for (const [name, columns] of interactionIndexes) {
    await db.schema.createIndex(name).on('interactions').columns(columns).execute();
  }

  await db.schema
    .createTable('scheduled_calls')
    .$call(t.addId)
    .addColumn('tenant_id', t.bigint, (c) => c.notNull().references('tenants.id'))
    .addColumn('customer_id', t.bigint, (c) => c.notNull().references('customers.id'))
    .addColumn('interaction_id', t.bigint, (c) => c.references('interactions.id'))
    .addColumn('assignee_id', t.bigint, (c) => c.references('users.id'))
    .addColumn('scheduled_at', t.timestamp, (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('scheduled'))
    .addColumn('outcome', 'text')
    .addColumn('notes', 'text')
    .addColumn('duration_minutes', 'integer')
    .addColumn('follow_up_at', t.timestamp)
    .addColumn('completed_at', t.timestamp)
    .addColumn('created_by', t.bigint)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  const callIndexes: Array<[string, string[]]> = [
    ['scheduled_calls_agenda', ['tenant_id', 'scheduled_at', 'id']],
    ['scheduled_calls_status', ['tenant_id', 'status', 'scheduled_at']],
    ['scheduled_calls_assignee', ['tenant_id', 'assignee_id', 'status', 'scheduled_at']],
    ['scheduled_calls_completed', ['tenant_id', 'completed_at']],
    ['scheduled_calls_customer', ['tenant_id', 'customer_id', 'scheduled_at']],
    ['scheduled_calls_interaction', ['tenant_id', 'interaction_id']],
  ];
  for (const [name, columns] of callIndexes) {
    await db.schema.createIndex(name).on('scheduled_calls').columns(columns).execute();
  }
}
