import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { orderInput } from '../../../test/support/order-inputs.js';
import type { OrderInput } from '../../modules/orders/order-input.js';
import { findTenantById, type Tenant } from '../../modules/tenants/tenants.repo.js';
import { inTransaction } from '../../platform/db/tenant-ctx.js';
import { ingestOrders } from '../ingest-orders.js';

const DAY = 86_400_000;
const BASE = Date.UTC(2026, 4, 1, 9, 0, 0);

function delivery(n: number, phone: string, day: number, cod: number, state = 45): OrderInput {
  const at = new Date(BASE + day * DAY).toISOString();
  return orderInput(`plan-${n}`, phone, { createdAt: at, updatedAt: at, state, cod, timeline: true });
}

/**
 * SQLite plans a query the first time it sees it, and on a new database it has no statistics: an index led by
 * `tenant_id` then looks selective, and a statement that picks rows by key could walk the whole tenant through
 * it instead (a cost that grows with every order synced). Every statement of the ingest path must reach its rows
 * through a key.
 */
describe('ingest statements on a database without statistics (sqlite)', () => {
  let t: TestApp;
  let tenant: Tenant;
  const statements = new Set<string>();
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    tenant = (await findTenantById(t.ctx.database.db, t.tenantA.tenant.id))!;
    const sqlite = t.ctx.database.sqlite!;
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((source: string) => {
      statements.add(source);
      return prepare(source);
    }) as typeof sqlite.prepare;
  });
  afterAll(async () => t?.close());

  it('no statement walks a whole tenant through an index led by tenant_id', async () => {
    const ingest = (inputs: OrderInput[]) =>
      inTransaction(t.tenantA.ctx, (tx) =>
        ingestOrders(tx, tenant, inputs, { source: 'bosta', now: new Date().toISOString(), via: 'sync' }),
      );
    // New customers, then the same customers again (recomputed totals, relinked hierarchy), then state moves.
    await ingest([1, 2, 3, 4].map((i) => delivery(i, `+2010022200${i}0`, 40 + i, 250_000)));
    await ingest([1, 2, 3, 4].map((i) => delivery(10 + i, `+2010022200${i}0`, 50 + i, 30_000)));
    await ingest(
      [1, 2].map((i) => ({
        ...delivery(10 + i, `+2010022200${i}0`, 50 + i, 0, 46),
        updatedAt: new Date(BASE + 70 * DAY).toISOString(),
      })),
    );
    const sqlite = t.ctx.database.sqlite!;
    const walks: Array<{ sql: string; plan: string }> = [];
    let explained = 0;
    for (const source of statements) {
      if (!/^\s*(select|update|delete|insert|with)/i.test(source) || !/tenant_id/.test(source)) continue;
      const params = (source.match(/\?/g) ?? []).map(() => 1);
      const plan = sqlite.prepare(`explain query plan ${source}`).all(params) as Array<{ detail: string }>;
      explained++;
      for (const { detail } of plan) {
        if (/^(SEARCH|SCAN) \S+ USING (COVERING )?INDEX \S+ \(tenant_id=\?\)$/.test(detail)) {
          walks.push({ sql: source.slice(0, 160), plan: detail });
        }
      }
    }
    expect(explained).toBeGreaterThan(10);
    expect(walks).toEqual([]);
  });
});
