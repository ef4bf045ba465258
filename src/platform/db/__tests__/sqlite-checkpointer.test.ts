import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../connect.js';

describe('SQLite checkpoints on a background thread', () => {
  let dir: string;
  let database: Database | null = null;
  afterEach(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies committed pages into the database file without any commit doing it, and closes cleanly', async () => {
    dir = mkdtempSync(join(tmpdir(), 'orderloop-ckpt-'));
    const file = join(dir, 'db.sqlite');
    database = connectDatabase(`sqlite:${file}`);
    await sql`create table blobs (id integer primary key, body text not null)`.execute(database.db);
    const before = statSync(file).size;
    // ~4 MB in 1,000 pages: far below the connection's own automatic checkpoint (~100 MB), so only the
    // background thread can move these pages into the main file.
    const body = 'x'.repeat(4000);
    for (let i = 0; i < 10; i++) {
      await database.db.transaction().execute(async (tx) => {
        for (let j = 0; j < 100; j++) await sql`insert into blobs (body) values (${body})`.execute(tx);
      });
    }
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(4_000_000);
    let size = statSync(file).size;
    for (let waited = 0; size < before + 4_000_000 && waited < 10_000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      size = statSync(file).size;
    }
    expect(size).toBeGreaterThan(before + 4_000_000);
    await database.close();
    database = null;
    // Everything committed is there when the file is opened again.
    const again = connectDatabase(`sqlite:${file}`);
    try {
      const n = await sql<{ n: number }>`select count(*) as n from blobs`.execute(again.db);
      expect(n.rows[0]!.n).toBe(1000);
    } finally {
      await again.close();
    }
  });
});
