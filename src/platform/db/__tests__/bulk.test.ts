import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase, testDialects } from '../../../../test/support/databases.js';
import { bulkInsert, bulkUpdate } from '../bulk.js';
import { connectDatabase, type Database } from '../connect.js';

// The table here is the test's own, not the app's schema.
type AnyDb = Kysely<any>;

describe.each(testDialects())('bulk writes (%s)', (dialect) => {
  let fresh: TestDatabase;
  let database: Database;
  let db: AnyDb;
  beforeAll(async () => {
    fresh = await freshDatabase(dialect);
    database = connectDatabase(fresh.url);
    db = database.db as unknown as AnyDb;
    await sql`create table stock (tenant_id integer not null, sku text not null, qty integer not null,
      active boolean not null, note text, primary key (tenant_id, sku))`.execute(db);
  });
  afterAll(async () => {
    await database?.close();
    await fresh?.drop();
  });

  const read = async () =>
    (
      await db
        .selectFrom('stock')
        .select(['tenant_id', 'sku', 'qty', 'active', 'note'])
        .orderBy('tenant_id')
        .orderBy('sku')
        .execute()
    ).map((r) => ({ ...r, active: r.active === true || r.active === 1 }));

  it('inserts, upserts under a condition with its own parameters, and returns what it wrote in input order', async () => {
    const cols = ['tenant_id', 'sku', 'qty', 'active', 'note'];
    const first = await bulkInsert<{ sku: string; qty: number }>(
      db,
      dialect,
      'stock',
      cols,
      [
        [1, 'kettle', 5, true, null],
        [1, 'blender', 2, false, 'boxed'],
        [2, 'kettle', 7, true, undefined],
      ],
      { returning: ['sku', 'qty'] },
    );
    expect(first.map((r) => [r.sku, Number(r.qty)])).toEqual([
      ['kettle', 5],
      ['blender', 2],
      ['kettle', 7],
    ]);
    // Only rows whose stored qty is below the bound parameter move; a skipped row returns nothing.
    const second = await bulkInsert<{ sku: string; qty: number }>(
      db,
      dialect,
      'stock',
      cols,
      [
        [1, 'kettle', 50, true, 'recount'],
        [1, 'blender', 20, true, 'recount'],
        [1, 'mixer', 1, true, null],
      ],
      {
        conflict: ['tenant_id', 'sku'],
        update: ['qty', 'active', 'note'],
        updateWhere: 'stock.qty < ?',
        updateWhereParams: [3],
        returning: ['sku', 'qty'],
      },
    );
    expect(second.map((r) => [r.sku, Number(r.qty)]).sort()).toEqual([
      ['blender', 20],
      ['mixer', 1],
    ]);
    const none = await bulkInsert(db, dialect, 'stock', cols, [[2, 'kettle', 0, false, null]], {
      conflict: ['tenant_id', 'sku'],
      update: 'nothing',
      returning: ['sku'],
    });
    expect(none).toEqual([]);
    expect(await bulkInsert(db, dialect, 'stock', cols, [])).toEqual([]);
    expect(await read()).toEqual([
      { tenant_id: 1, sku: 'blender', qty: 20, active: true, note: 'recount' },
      { tenant_id: 1, sku: 'kettle', qty: 5, active: true, note: null },
      { tenant_id: 1, sku: 'mixer', qty: 1, active: true, note: null },
      { tenant_id: 2, sku: 'kettle', qty: 7, active: true, note: null },
    ]);
  });

  it('updates rows by key within the scope condition only', async () => {
    await bulkUpdate(
      db,
      dialect,
      'stock',
      ['sku', 'qty', 'active'],
      ['text', 'integer', 'boolean'],
      [
        ['kettle', 11, false],
        ['mixer', 12, false],
        ['absent', 13, true],
      ],
      { sql: 'stock.tenant_id = ?', params: [1] },
    );
    expect(await read()).toEqual([
      { tenant_id: 1, sku: 'blender', qty: 20, active: true, note: 'recount' },
      { tenant_id: 1, sku: 'kettle', qty: 11, active: false, note: null },
      { tenant_id: 1, sku: 'mixer', qty: 12, active: false, note: null },
      { tenant_id: 2, sku: 'kettle', qty: 7, active: true, note: null },
    ]);
  });

  it('writes more rows than one statement takes, all of them, returning them in input order', async () => {
    const rows = Array.from({ length: 203 }, (_, i) => [3, `sku-${String(i).padStart(3, '0')}`, i, i % 2 === 0, null]);
    const written = await bulkInsert<{ sku: string; qty: number }>(
      db,
      dialect,
      'stock',
      ['tenant_id', 'sku', 'qty', 'active', 'note'],
      rows,
      { conflict: ['tenant_id', 'sku'], update: ['qty'], returning: ['sku', 'qty'] },
    );
    expect(written.map((r) => [r.sku, Number(r.qty)])).toEqual(rows.map((r) => [r[1], r[2]]));
    await bulkUpdate(
      db,
      dialect,
      'stock',
      ['sku', 'qty'],
      ['text', 'integer'],
      rows.map((r) => [r[1], (r[2] as number) + 1000]),
      { sql: 'stock.tenant_id = ?', params: [3] },
    );
    const stored = await db
      .selectFrom('stock')
      .select(['sku', 'qty'])
      .where('tenant_id', '=', 3)
      .orderBy('sku')
      .execute();
    expect(stored.map((r) => [r.sku, Number(r.qty)])).toEqual(rows.map((r) => [r[1], (r[2] as number) + 1000]));
  });
});

describe('bulk writes on SQLite keep their statements', () => {
  it('prepares each chunk shape once: rows are cut into power-of-two chunks whose statements are reused', async () => {
    const database = connectDatabase('sqlite::memory:');
    try {
      const db = database.db as unknown as AnyDb;
      await sql`create table stock (tenant_id integer not null, sku text not null, qty integer not null,
        primary key (tenant_id, sku))`.execute(db);
      const sqlite = database.sqlite!;
      const prepare = sqlite.prepare.bind(sqlite);
      const prepared: string[] = [];
      sqlite.prepare = ((text: string) => {
        prepared.push(text);
        return prepare(text);
      }) as typeof sqlite.prepare;
      const rows = (tenant: number, n: number) => Array.from({ length: n }, (_, i) => [tenant, `s${i}`, i]);
      const write = (r: unknown[][]) =>
        bulkInsert(db, 'sqlite', 'stock', ['tenant_id', 'sku', 'qty'], r, {
          conflict: ['tenant_id', 'sku'],
          update: ['qty'],
          returning: ['sku'],
        });
      // 200 rows: 128 + 64 + 8, three statements of three shapes.
      expect(await write(rows(1, 200))).toHaveLength(200);
      const valuesOf = (text: string) => (text.match(/\(\?,\?,\?\)/g) ?? []).length;
      expect(prepared.map(valuesOf)).toEqual([128, 64, 8]);
      // Another 200 rows, and 72 (64 + 8): no statement is prepared again.
      prepared.length = 0;
      expect(await write(rows(2, 200))).toHaveLength(200);
      expect(await write(rows(3, 72))).toHaveLength(72);
      expect(prepared).toEqual([]);
      // A new size needs only its missing shapes: 37 = 32 + 4 + 1.
      expect(await write(rows(4, 37))).toHaveLength(37);
      expect(prepared.map(valuesOf)).toEqual([32, 4, 1]);
      const [{ n }] = await sql<{ n: number }>`select count(*) as n from stock`.execute(db).then((r) => r.rows);
      expect(Number(n)).toBe(200 + 200 + 72 + 37);
    } finally {
      await database.close();
    }
  });
});
