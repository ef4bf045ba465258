import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.js';
import * as m0001 from './20261121_0001_foundation.js';
import * as m0002 from './20261121_0002_order_book.js';
import * as m0003 from './20261121_0003_webhooks.js';
import * as m0004 from './20261121_0004_orders_indexes.js';
import * as m0005 from './20261121_0005_hierarchy.js';
import * as m0006 from './20261121_0006_service.js';
import * as m0007 from './20261121_0007_interactions.js';
import * as m0008 from './20261121_0008_daily_summary.js';
import * as m0009 from './20261121_0009_order_documents.js';
import * as m0010 from './20261121_0010_analytics_summaries.js';
import * as m0011 from './20261122_0011_summary_versions.js';

/** One forward-only migration: a timestamped name and the change it makes. */
export interface MigrationModule {
  up(db: Kysely<any>, dialect: DialectName): Promise<void>;
}

/** Every migration in the order it is applied. Append new ones; never edit or reorder applied ones. */
export const migrations: Record<string, MigrationModule> = {
  '20261121_0001_foundation': m0001,
  '20261121_0002_order_book': m0002,
  '20261121_0003_webhooks': m0003,
  '20261121_0004_orders_indexes': m0004,
  '20261121_0005_hierarchy': m0005,
  '20261121_0006_service': m0006,
  '20261121_0007_interactions': m0007,
  '20261121_0008_daily_summary': m0008,
  '20261121_0009_order_documents': m0009,
  '20261121_0010_analytics_summaries': m0010,
  '20261122_0011_summary_versions': m0011,
};
