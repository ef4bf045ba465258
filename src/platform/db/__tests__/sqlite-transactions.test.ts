import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../connect.js';
import { inTransaction } from '../tenant-ctx.js';

describe('SQLite transactions with another connection on the same file', () => {
  let dir: string;
  let a: Database;
  let b: Database;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orderloop-tx-'));
    const url = `sqlite:${join(dir, 'db.sqlite')}`;
    a = connectDatabase(url);
    b = connectDatabase(url);
    await sql`create table counters (name text primary key, n integer not null)`.execute(a.db);
    await sql`insert into counters values ('x', 0)`.execute(a.db);
    // The other connection must not wait here: the test asks whether the lock is held, not how long it takes.
    a.sqlite!.pragma('busy_timeout = 0');
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a transaction that reads first still writes: it holds the write lock from its start', async () => {
    let otherWriter: unknown = null;
    await inTransaction({ tenantId: 0, db: b.db, dialect: 'sqlite' }, async (tx) => {
      const before = await sql<{ n: number }>`select n from counters where name = 'x'`.execute(tx.db);
      // Another process writes between this transaction's read and its write.
      try {
        a.sqlite!.prepare(`update counters set n = n + 100 where name = 'x'`).run();
      } catch (e) {
        otherWriter = e;
      }
      await sql`update counters set n = ${before.rows[0]!.n + 1} where name = 'x'`.execute(tx.db);
    });
    // The other writer was told to wait (busy) instead of invalidating this transaction's snapshot…
    expect((otherWriter as { code?: string } | null)?.code).toBe('SQLITE_BUSY');
    // …and once this transaction committed, it gets its turn: both increments are there, none lost.
    a.sqlite!.prepare(`update counters set n = n + 100 where name = 'x'`).run();
    const after = await sql<{ n: number }>`select n from counters where name = 'x'`.execute(b.db);
    expect(after.rows[0]!.n).toBe(101);
  });

  it('a transaction that fails rolls back and releases the lock', async () => {
    await expect(
      inTransaction({ tenantId: 0, db: b.db, dialect: 'sqlite' }, async (tx) => {
        await sql`update counters set n = 7 where name = 'x'`.execute(tx.db);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    a.sqlite!.prepare(`update counters set n = n + 1 where name = 'x'`).run();
    const after = await sql<{ n: number }>`select n from counters where name = 'x'`.execute(b.db);
    expect(after.rows[0]!.n).toBe(1);
  });
});

/** SQLite temporary files this process holds open (Linux: /proc/self/fd). */
function openTempFiles(): string[] {
  return readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((target) => target.includes('etilqs_'));
}

describe('SQLite statement journals', () => {
  let dir: string;
  let d: Database;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orderloop-stmtj-'));
    d = connectDatabase(`sqlite:${join(dir, 'db.sqlite')}`);
    await sql`create table items (id integer primary key, code text not null unique, body text not null)`.execute(d.db);
    // Enough rows that a statement rewriting them spans many pages (what the journal has to hold).
    const body = 'x'.repeat(500);
    for (let i = 0; i < 2_000; i++)
      d.sqlite!.prepare('insert into items (code, body) values (?, ?)').run(`c${i}`, body);
  });
  afterEach(async () => {
    await d.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a statement that fails inside a transaction rolls back alone, and temp storage is back to default', async () => {
    let storeInside: unknown = null;
    let tempFilesInside: string[] | null = null;
    await inTransaction({ tenantId: 0, db: d.db, dialect: 'sqlite' }, async (tx) => {
      storeInside = d.sqlite!.pragma('temp_store', { simple: true });
      await sql`update items set body = 'kept' where id = 1`.execute(tx.db);
      // Changes ~2,000 rows, then hits the unique code on the last one: the statement's changes are undone
      // from its journal (kept in memory), the transaction's earlier change stays.
      await expect(
        sql`update items set body = 'lost', code = case when id = 2000 then 'c1' else code end`.execute(tx.db),
      ).rejects.toThrow(/UNIQUE/);
      // That journal never touched a file: SQLite's temporary files are unlinked at once and named etilqs_….
      tempFilesInside = openTempFiles();
    });
    expect(tempFilesInside).toEqual([]);
    // Sorts and temporary tables still spill to disk: the memory setting lasts only while a transaction begins.
    expect(storeInside).toBe(0);
    expect(d.sqlite!.pragma('temp_store', { simple: true })).toBe(0);
    const counts = d.sqlite!.prepare('select body, count(*) as n from items group by body order by body').all();
    expect(counts).toEqual([
      { body: 'kept', n: 1 },
      { body: 'x'.repeat(500), n: 1_999 },
    ]);
  });
});
