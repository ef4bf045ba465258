import type SqliteDatabase from 'better-sqlite3';

/**
 * Runs a bulk load the way databases are loaded in bulk: the tables' secondary indexes are dropped and rebuilt
 * afterwards from their own `CREATE INDEX` text (one sorted build each instead of a million random inserts),
 * and the load itself runs with the journal in memory and without fsync. Afterwards the database is exactly
 * as the app left it: same indexes, WAL, the connection's synchronous level and cache size restored.
 * Only for databases nothing else writes to (a benchmark's fixture).
 */
export function bulkLoad<T>(
  sqlite: SqliteDatabase.Database,
  tables: readonly string[],
  load: () => T,
  log: (message: string) => void = () => undefined,
): T {
  const marks = tables.map(() => '?').join(', ');
  const indexes = sqlite
    .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${marks})`)
    .all(...tables) as Array<{ name: string; sql: string }>;
  const journal = String(sqlite.pragma('journal_mode', { simple: true }));
  const synchronous = Number(sqlite.pragma('synchronous', { simple: true }));
  const cacheSize = Number(sqlite.pragma('cache_size', { simple: true }));
  for (const ix of indexes) sqlite.exec(`drop index "${ix.name}"`);
  sqlite.pragma('journal_mode = MEMORY');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  // CREATE INDEX sorts with worker threads when allowed (SQLite's default is none).
  const threads = Number(sqlite.pragma('threads', { simple: true }));
  sqlite.pragma('threads = 4');
  try {
    return load();
  } finally {
    const started = performance.now();
    for (const ix of indexes) sqlite.exec(ix.sql);
    log(`rebuilt ${indexes.length} indexes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    sqlite.pragma(`threads = ${threads}`);
    sqlite.pragma(`journal_mode = ${journal}`);
    sqlite.pragma(`synchronous = ${synchronous}`);
    sqlite.pragma(`cache_size = ${cacheSize}`);
  }
}
