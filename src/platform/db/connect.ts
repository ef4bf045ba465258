import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely } from 'kysely';
import pg from 'pg';
import type { DialectName } from './dialect.js';
import { SchemaScopedPostgresDialect } from './pg-introspector.js';
import type { DB } from './schema.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import { OrderloopSqliteDialect } from './sqlite-dialect.js';

/** An open database: the Kysely handle plus what the dialect-specific fast paths need. */
export interface Database {
  db: Kysely<DB>;
  dialect: DialectName;
  /** The raw better-sqlite3 handle (SQLite only), for prepared-statement hot paths and backups. */
  sqlite: SqliteDatabase.Database | null;
  /** The pg pool (PostgreSQL only). */
  pool: pg.Pool | null;
  /**
   * Stops SQLite's background checkpoints (their thread holds a connection) until the returned function is
   * called: for work that needs the file to itself, such as a bulk load switching the journal mode.
   */
  suspendCheckpoints(): Promise<() => void>;
  close(): Promise<void>;
}

const INT8 = 20;
const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;
const NUMERIC = 1700;

function pgTypes() {
  const parsers: Record<number, (v: string) => unknown> = {
    [INT8]: (v) => Number(v),
    [NUMERIC]: (v) => Number(v),
    [TIMESTAMPTZ]: (v) => new Date(v).toISOString(),
    [TIMESTAMP]: (v) => new Date(`${v}Z`).toISOString(),
  };
  return {
    getTypeParser: (oid: number, format?: any) => parsers[oid] ?? (pg.types.getTypeParser as any)(oid, format),
  };
}

/**
 * Refreshes the query planner's statistics where the engine needs telling (SQLite never gathers them by
 * itself; PostgreSQL's autovacuum does). Cheap when nothing changed much; run at start and after large syncs.
 */
export async function optimizeDatabase(database: Database): Promise<void> {
  if (database.sqlite) database.sqlite.pragma('optimize=0x10002');
}

/** Opens `sqlite:/path/file.db`, `sqlite::memory:` or `postgres://…` (with an optional `?schema=name`). */
export function connectDatabase(url: string, opts: { poolSize?: number } = {}): Database {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length) || ':memory:';
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 10000');
    sqlite.pragma('synchronous = NORMAL');
    // Checkpoints run on a background thread (below); the connection's own automatic checkpoint, inside a
    // commit, is only the safety net should that thread fall behind: at ~100 MB of WAL instead of 4 MB.
    sqlite.pragma('wal_autocheckpoint = 25000');
    let checkpointer = file === ':memory:' ? null : new SqliteCheckpointer(file);
    const db = new Kysely<DB>({ dialect: new OrderloopSqliteDialect(sqlite) });
    return {
      db,
      dialect: 'sqlite',
      sqlite,
      pool: null,
      suspendCheckpoints: async () => {
        const was = checkpointer;
        await was?.close();
        checkpointer = null;
        return () => {
          if (was && sqlite.open) checkpointer = new SqliteCheckpointer(file);
        };
      },
      close: async () => {
        await checkpointer?.close();
        await db.destroy();
      },
    };
  }
  const u = new URL(url);
  const schema = u.searchParams.get('schema');
  u.searchParams.delete('schema');
  const pool = new pg.Pool({
    connectionString: u.toString(),
    max: opts.poolSize ?? 10,
    types: pgTypes() as any,
    options: schema ? `-c search_path=${schema}` : undefined,
  });
  const db = new Kysely<DB>({ dialect: new SchemaScopedPostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    sqlite: null,
    pool,
    suspendCheckpoints: async () => () => undefined,
    close: async () => {
      await db.destroy();
    },
  };
}
