import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.js';

/** Indexes for the events API (newest first per tenant, by entity) and the per-tenant webhook list. */
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  await db.schema.createIndex('events_tenant_id').on('events').columns(['tenant_id', 'id']).execute();
  await db.schema
    .createIndex('events_tenant_entity')
    .on('events')
    .columns(['tenant_id', 'entity_type', 'entity_id', 'id'])
    .execute();
  await db.schema
    .createIndex('webhook_subscriptions_tenant')
    .on('webhook_subscriptions')
    .columns(['tenant_id', 'id'])
    .execute();
}
