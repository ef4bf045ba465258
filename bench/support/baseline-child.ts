/**
 * Child process of the ingest benchmark: the baseline. Reads the same deliveries from the simulator, maps them
 * with the real mapper into the rows ingest writes (untimed), then times only their INSERT into `orders` (and
 * of each courier document into `order_documents`) of a fresh database migrated with the real migrations (same table, same indexes, same connection pragmas): one
 * prepared statement, transactions of 200 rows. Rows are fetched and mapped in chunks, so memory stays flat
 * at any scale while the timed part is exactly the inserts, in the order the sync writes them. With `bare`, the
 * same inserts into `orders` stripped of its secondary indexes: the ceiling of any ingest of these rows here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BostaClient } from '../../src/integrations/bosta/client.js';
import { mapDelivery } from '../../src/integrations/bosta/mapper.js';
import { deliveryToOrderInput } from '../../src/integrations/bosta/to-order-input.js';
import { nowIso } from '../../src/lib/time.js';
import { connectDatabase, type Database } from '../../src/platform/db/connect.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { createTenant } from '../../src/modules/tenants/tenants.service.js';
import { childInput, fail, finish } from './child-script.js';
import { baselineRowOf, INSERT_DOCUMENT_SQL, INSERT_ORDER_SQL, orderValues } from './order-row.js';

interface Input {
  url: string;
  apiKey: string;
  /** Rows to insert (the first ones the sync would write). */
  rows: number;
  pageSize: number;
  /**
   * The ceiling variant: `orders` keeps only its primary key and the (tenant, source, external id) key every
   * upsert needs; its secondary indexes (the list sorts and filters, phone, tracking, hierarchy) are dropped.
   */
  bare?: boolean;
}

export interface BaselineMeasurement {
  rows: number;
  insertSeconds: number;
}

const TX_ROWS = 200;
/** The unique index every order upsert needs (`orders_source_external`): the ceiling variant keeps it. */
const UPSERT_KEY = 'orders_source_external';
const CHUNK_ROWS = 10_000;

const dir = mkdtempSync(join(tmpdir(), 'orderloop-bench-baseline-'));
let database: Database | null = null;
let client: BostaClient | null = null;
const cleanup = async () => {
  await client?.close();
  await database?.close();
  database = null;
  rmSync(dir, { recursive: true, force: true });
};
const input = childInput<Input>(cleanup);

async function measure(): Promise<BaselineMeasurement> {
  database = connectDatabase(`sqlite:${join(dir, 'baseline.db')}`);
  await migrateToLatest(database);
  const tenant = await createTenant(database.db, { name: 'Baseline Tenant', slug: 'baseline' });
  const sqlite = database.sqlite!;
  if (input.bare) {
    const secondary = sqlite
      .prepare(
        "select name from sqlite_master where type = 'index' and tbl_name = 'orders' and sql is not null and name <> ?",
      )
      .pluck()
      .all(UPSERT_KEY) as string[];
    for (const name of secondary) sqlite.exec(`drop index ${name}`);
  }
  const insert = sqlite.prepare(INSERT_ORDER_SQL);
  const insertDocument = sqlite.prepare(INSERT_DOCUMENT_SQL);
  const insertTx = sqlite.transaction((rows: Array<{ values: unknown[]; raw: string }>) => {
    for (const r of rows) {
      const { lastInsertRowid } = insert.run(r.values);
      insertDocument.run(lastInsertRowid, tenant.id, r.raw);
    }
  });
  client = new BostaClient({ baseUrl: input.url, apiKey: input.apiKey });
  let inserted = 0;
  let ms = 0;
  let chunk: Array<{ values: unknown[]; raw: string }> = [];
  const flush = () => {
    const started = performance.now();
    for (let i = 0; i < chunk.length; i += TX_ROWS) insertTx(chunk.slice(i, i + TX_ROWS));
    ms += performance.now() - started;
    inserted += chunk.length;
    chunk = [];
  };
  for (let page = 1; inserted + chunk.length < input.rows; page++) {
    const res = await client.searchDeliveries({ page, limit: input.pageSize, sortBy: '-updatedAt' });
    if (res.deliveries.length === 0) break;
    const now = nowIso();
    for (const d of res.deliveries) {
      if (inserted + chunk.length >= input.rows) break;
      const order = deliveryToOrderInput(mapDelivery(d), now);
      const row = baselineRowOf(order, tenant, 'bosta', now);
      chunk.push({ values: orderValues(row).map((v) => (v === undefined ? null : v)), raw: JSON.stringify(order.raw) });
    }
    if (chunk.length >= CHUNK_ROWS) flush();
  }
  if (chunk.length) flush();
  if (inserted !== input.rows) throw new Error(`baseline inserted ${inserted} rows, expected ${input.rows}`);
  return { rows: inserted, insertSeconds: ms / 1000 };
}

try {
  const m = await measure();
  await cleanup();
  finish(m);
} catch (err) {
  await cleanup().catch(() => undefined);
  fail(err);
}
