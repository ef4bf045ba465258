import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../connect.js';

// The tables here are the test's own, not the app's schema.
type AnyDb = Kysely<any>;

describe('the SQLite driver (cached statements, rows read as arrays, booleans bound as 1/0)', () => {
  let database: Database;
  let db: AnyDb;
  beforeEach(async () => {
    database = connectDatabase('sqlite::memory:');
    db = database.db as unknown as AnyDb;
    await sql`create table items (id integer primary key, name text, "odd ""name""" text, flag integer, price real)`.execute(
      db,
    );
  });
  afterEach(async () => {
    await database.close();
  });

  it('binds booleans as 1/0 in values, filters and lists', async () => {
    await db.insertInto('items').values({ id: 1, name: 'a', flag: true }).execute();
    await db.insertInto('items').values({ id: 2, name: 'b', flag: false }).execute();
    await sql`insert into items (id, name, flag) values (${3}, ${'c'}, ${true})`.execute(db);
    const flagged = await db.selectFrom('items').select('id').where('flag', '=', true).orderBy('id').execute();
    expect(flagged.map((r) => r.id)).toEqual([1, 3]);
    const either = await db.selectFrom('items').select('id').where('flag', 'in', [true, false]).execute();
    expect(either).toHaveLength(3);
    const raw = await db.selectFrom('items').select(['id', 'flag']).orderBy('id').execute();
    expect(raw).toEqual([
      { id: 1, flag: 1 },
      { id: 2, flag: 0 },
      { id: 3, flag: 1 },
    ]);
  });

  it('builds rows with every column, nulls, quoted names and aliases, and later duplicates winning', async () => {
    await db.insertInto('items').values({ id: 1, name: 'kettle', 'odd "name"': 'x', price: 2.5 }).execute();
    const [row] = await db.selectFrom('items').selectAll().execute();
    expect(row).toEqual({ id: 1, name: 'kettle', 'odd "name"': 'x', flag: null, price: 2.5 });
    const joined = await sql<
      Record<string, unknown>
    >`select a.id, b.id, a.name as "n" from items a join items b on b.id = a.id`.execute(db);
    expect(joined.rows).toEqual([{ id: 1, n: 'kettle' }]);
    const empty = await db.selectFrom('items').selectAll().where('id', '=', 99).execute();
    expect(empty).toEqual([]);
  });

  it('reuses a statement across parameters and stays right after the table changes under it', async () => {
    const byId = (id: number) => db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
    await db.insertInto('items').values({ id: 1, name: 'one' }).execute();
    await db.insertInto('items').values({ id: 2, name: 'two' }).execute();
    expect((await byId(1))?.name).toBe('one');
    expect((await byId(2))?.name).toBe('two');
    // A migration adds a column: `select *` now brings one more.
    await sql`alter table items add column color text`.execute(db);
    await db.updateTable('items').set({ color: 'red' }).where('id', '=', 2).execute();
    expect(await byId(2)).toEqual({ id: 2, name: 'two', 'odd "name"': null, flag: null, price: null, color: 'red' });
    // A rename keeps the column count: the cached statement must not keep the old name.
    await sql`alter table items rename column name to title`.execute(db);
    expect(await byId(1)).toMatchObject({ id: 1, title: 'one' });
    expect(await byId(1)).not.toHaveProperty('name');
  });

  it('reports changes and insert ids of writes, and streams select rows', async () => {
    const ins = await db.insertInto('items').values({ id: 7, name: 'seven' }).executeTakeFirst();
    expect(ins.insertId).toBe(7n);
    await db.insertInto('items').values({ id: 8, name: 'eight' }).execute();
    const upd = await db.updateTable('items').set({ price: 1 }).executeTakeFirst();
    expect(upd.numUpdatedRows).toBe(2n);
    const streamed: unknown[] = [];
    for await (const r of db.selectFrom('items').select(['id', 'name']).orderBy('id').stream()) streamed.push(r);
    expect(streamed).toEqual([
      { id: 7, name: 'seven' },
      { id: 8, name: 'eight' },
    ]);
  });
});
