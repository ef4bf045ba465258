import { type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import type { Database } from './connect.js';
import { migrations } from './migrations/index.js';

/**
 * Kysely looks for its bookkeeping tables across every schema; on PostgreSQL name ours explicitly, so a
 * database with several Orderloop schemas (tests, staging) keeps them apart.
 */
async function migrator(database: Database): Promise<Migrator> {
  let migrationTableSchema: string | undefined;
  if (database.dialect === 'postgres') {
    const r = await sql<{ s: string }>`select current_schema() as s`.execute(database.db);
    migrationTableSchema = r.rows[0]?.s;
  }
  return new Migrator({
    db: database.db,
    migrationTableSchema,
    provider: {
      async getMigrations() {
        const out: Record<string, Migration> = {};
        for (const [name, m] of Object.entries(migrations)) {
          out[name] = { up: (db) => m.up(db, database.dialect) };
        }
        return out;
      },
    },
  });
}

/** Applies every pending migration; throws with the failing migration's name on error. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const res: MigrationResultSet = await (await migrator(database)).migrateToLatest();
  if (res.error) {
    const failed = res.results?.find((r) => r.status === 'Error');
    const err = res.error instanceof Error ? res.error : new Error(String(res.error));
    err.message = `migration ${failed?.migrationName ?? '?'} failed: ${err.message}`;
    throw err;
  }
  return (res.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations known to the code but not yet applied to the database. */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const list = await (await migrator(database)).getMigrations();
  return list.filter((m) => !m.executedAt).map((m) => m.name);
}
