import type SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  SqliteDialect,
} from 'kysely';

/** Prepared statements kept per connection: more than the app's repeated query shapes. */
const STATEMENT_CACHE_SIZE = 256;
/**
 * Only statements with few parameters (and not much SQL) are kept by default: the request path's queries (a
 * principal lookup, a list page) bind a handful of values, while multi-row statements bind hundreds to
 * thousands, and a compiled statement grows with them. Kept for every row count a sync produced, they held
 * ~80 MB of its memory. Ingest's multi-row writes are kept all the same, on request (`keptQuery`), because
 * they come in a few fixed shapes only (power-of-two chunks, see `bulk.ts`).
 */
const STATEMENT_CACHE_MAX_PARAMS = 64;
const STATEMENT_CACHE_MAX_SQL = 8_192;

const KEEP = Symbol('orderloop.keepStatement');

/**
 * A compiled query whose statement the SQLite driver keeps whatever its size. For multi-row writes of a few
 * fixed shapes (`bulk.ts` cuts rows into power-of-two chunks): parsing and planning a statement of thousands
 * of parameters on every call took 5–10 % of a sync's time, while a handful of shapes per table, kept,
 * costs little memory. Other drivers run it as the plain query it is.
 */
export function keptQuery(sql: string, parameters: unknown[]): CompiledQuery {
  return Object.freeze({ ...CompiledQuery.raw(sql, parameters), [KEEP]: true });
}

function isKept(query: CompiledQuery): boolean {
  return (query as CompiledQuery & { [KEEP]?: true })[KEEP] === true;
}

/**
 * Kysely's SQLite dialect with our own driver, for a server with many writers and hot read paths:
 *
 * - Transactions take the write lock when they begin (`BEGIN IMMEDIATE`) instead of at their first write. A
 *   deferred transaction that reads, then writes after another process committed, cannot be upgraded: SQLite
 *   answers SQLITE_BUSY at once, without waiting out `busy_timeout` ("database is locked"). Taking the lock up
 *   front makes concurrent writers from several processes queue on the busy timeout instead.
 * - Statements with few parameters, and those marked by `keptQuery`, are prepared once per SQL text and
 *   reused (a bounded LRU): a request that compiles to the same SQL as the last one — the principal lookup of
 *   every request, a list page — skips SQLite's parser and planner. Only one statement runs at a time (the driver holds the single connection for the length of a
 *   query or transaction), so reuse is safe.
 * - Rows are read as arrays and turned into objects by a function made once per statement for its columns: an
 *   object literal of fixed shape, where better-sqlite3 builds each row key by key (half the read time of a
 *   wide row such as an order's 42 columns).
 * - Booleans are bound as 1/0 (better-sqlite3 cannot bind them), so repositories write one code path.
 */
export class OrderloopSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase.Database;
  constructor(database: SqliteDatabase.Database) {
    super({ database });
    this.#database = database;
  }
  override createDriver(): Driver {
    return new OrderloopSqliteDriver(this.#database);
  }
}

class OrderloopSqliteDriver implements Driver {
  readonly #mutex = new ConnectionMutex();
  readonly #connection: OrderloopSqliteConnection;
  readonly #database: SqliteDatabase.Database;
  constructor(database: SqliteDatabase.Database) {
    this.#database = database;
    this.#connection = new OrderloopSqliteConnection(database);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    // SQLite has one connection: wait until it is released.
    await this.#mutex.lock();
    return this.#connection;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // SQLite decides where a transaction's statement journals go when it begins: in memory while `temp_store`
    // is MEMORY. A multi-row write inside a transaction (every ingest page) journals each page it changes so
    // that it alone can roll back; in a temporary file that was ~14 kB of file writes per delivery, about 5 %
    // of a sync. Set back right after, so that sorts keep spilling to disk. (Changing `temp_store` drops
    // TEMP tables; Orderloop creates none.)
    this.#database.pragma('temp_store = MEMORY');
    try {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    } finally {
      this.#database.pragma('temp_store = DEFAULT');
    }
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }
  async destroy(): Promise<void> {
    this.#database.close();
  }
}

type RowOf = (values: unknown[]) => Record<string, unknown>;

const SCHEMA_CHANGE = /^\s*(create|alter|drop)\s/i;

interface Prepared {
  stmt: SqliteDatabase.Statement;
  /** For statements that return rows: builds one row object from the raw values. */
  rowOf: RowOf | null;
  /** How many columns `rowOf` expects. */
  columns: number;
}

/** One function per column list, shared by every statement with those columns. */
const rowBuilders = new Map<string, RowOf>();

function rowBuilder(columns: string[]): RowOf {
  const key = JSON.stringify(columns);
  let fn = rowBuilders.get(key);
  if (!fn) {
    // Column names go in as JSON string literals, so no name can break out of the object literal.
    const body = `return {${columns.map((c, i) => `${JSON.stringify(c)}: v[${i}]`).join(', ')}};`;
    fn = new Function('v', body) as RowOf;
    if (rowBuilders.size < 1_000) rowBuilders.set(key, fn);
  }
  return fn;
}

function bindable(parameters: readonly unknown[]): unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < parameters.length; i++) {
    const v = parameters[i];
    if (typeof v === 'boolean') {
      out ??= [...parameters];
      out[i] = v ? 1 : 0;
    }
  }
  return out ?? (parameters as unknown[]);
}

class OrderloopSqliteConnection implements DatabaseConnection {
  readonly #db: SqliteDatabase.Database;
  readonly #cache = new Map<string, Prepared>();
  constructor(db: SqliteDatabase.Database) {
    this.#db = db;
  }

  #prepare(sql: string, parameters: number, keep = false): Prepared {
    const cacheable = keep || (parameters <= STATEMENT_CACHE_MAX_PARAMS && sql.length <= STATEMENT_CACHE_MAX_SQL);
    if (cacheable) {
      const hit = this.#cache.get(sql);
      if (hit) {
        // Most recently used last: the first entry is the one to evict.
        this.#cache.delete(sql);
        this.#cache.set(sql, hit);
        return hit;
      }
    }
    const stmt = this.#db.prepare(sql);
    const prepared: Prepared = { stmt, rowOf: null, columns: 0 };
    if (stmt.reader) {
      stmt.raw(true);
      const names = stmt.columns().map((c) => c.name);
      prepared.rowOf = rowBuilder(names);
      prepared.columns = names.length;
    }
    if (cacheable) {
      if (this.#cache.size >= STATEMENT_CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(sql, prepared);
    }
    return prepared;
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const prepared = this.#prepare(compiledQuery.sql, compiledQuery.parameters.length, isKept(compiledQuery));
    const { stmt } = prepared;
    const parameters = bindable(compiledQuery.parameters);
    if (prepared.rowOf) {
      const raw = stmt.all(parameters) as unknown[][];
      // SQLite re-prepares a statement whose tables changed: `select *` may now bring other columns.
      if (raw.length > 0 && raw[0].length !== prepared.columns) {
        const names = stmt.columns().map((c) => c.name);
        prepared.rowOf = rowBuilder(names);
        prepared.columns = names.length;
      }
      const rowOf = prepared.rowOf;
      const rows = new Array<R>(raw.length);
      for (let i = 0; i < raw.length; i++) rows[i] = rowOf(raw[i]) as R;
      return Promise.resolve({ rows });
    }
    // A schema change (migrations) may rename columns: statements prepared before it start afresh.
    if (SCHEMA_CHANGE.test(compiledQuery.sql)) this.#cache.clear();
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return Promise.resolve({
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    });
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query)) throw new Error('SQLite streams only select queries');
    // Its own statement: an iterator abandoned half-way must not leave a cached statement busy.
    const stmt = this.#db.prepare(compiledQuery.sql);
    stmt.raw(true);
    const rowOf = rowBuilder(stmt.columns().map((c) => c.name));
    for (const values of stmt.iterate(bindable(compiledQuery.parameters))) {
      yield { rows: [rowOf(values as unknown[]) as R] };
    }
  }
}

/** Hands the single connection to one caller at a time (Kysely's SQLite driver does the same). */
class ConnectionMutex {
  #promise: Promise<void> | undefined;
  #resolve: (() => void) | undefined;
  async lock(): Promise<void> {
    while (this.#promise) await this.#promise;
    this.#promise = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }
  unlock(): void {
    const resolve = this.#resolve;
    this.#promise = undefined;
    this.#resolve = undefined;
    resolve?.();
  }
}
