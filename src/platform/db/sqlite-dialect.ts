import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, SqliteDriver } from 'kysely';

/** Prepared statements kept per connection: enough for every query shape the app repeats. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite dialect with two changes for a server with many writers and hot paths:
 *
 * - Transactions take the write lock when they begin (`BEGIN IMMEDIATE`) instead of at their first write. A
 *   deferred transaction that reads, then writes after another process committed, cannot be upgraded: SQLite
 *   answers SQLITE_BUSY at once, without waiting out `busy_timeout` ("database is locked"). Taking the lock up
 *   front makes concurrent writers from several processes queue on the busy timeout instead.
 * - Statements are prepared once per SQL text and reused (a bounded LRU): a query compiled to the same SQL —
 *   every page of a sync, every request of a list — skips SQLite's parser and planner. Only one statement runs
 *   at a time (Kysely holds the single connection for the length of a query or transaction), so reuse is safe.
 */
export class OrderloopSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase.Database;
  constructor(database: SqliteDatabase.Database) {
    super({ database });
    this.#database = database;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: withStatementCache(this.#database) });
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** The handle Kysely's connection uses: `prepare` answers from the cache, everything else is the database's. */
function withStatementCache(database: SqliteDatabase.Database): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = (source: string): SqliteDatabase.Statement => {
    let stmt = cache.get(source);
    if (stmt) {
      // Most recently used last: the first entry is the one to evict.
      cache.delete(source);
    } else {
      stmt = database.prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    }
    cache.set(source, stmt);
    return stmt;
  };
  return new Proxy(database, {
    get(target, key) {
      if (key === 'prepare') return prepare;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
