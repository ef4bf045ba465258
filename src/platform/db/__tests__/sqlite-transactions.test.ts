import { mkdtempSync, rmSync } from 'node:fs';
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
