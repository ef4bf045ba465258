import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { connectDatabase } from '../platform/db/connect.js';

/**
 * SQLite: an online backup (consistent while the server runs) to a file. PostgreSQL: prints the pg_dump
 * command, because pg_dump is the right tool there.
 */
export async function backup(config: Config, out: string | undefined): Promise<string> {
  if (config.databaseUrl.startsWith('postgres')) {
    const u = new URL(config.databaseUrl);
    const schema = u.searchParams.get('schema');
    u.searchParams.delete('schema');
    const file = out ?? `orderloop-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`;
    return `pg_dump --format=custom ${schema ? `--schema=${schema} ` : ''}--file=${file} "${u.toString()}"`;
  }
  const file = resolve(out ?? `${config.dataDir}/backup-${new Date().toISOString().replace(/[:.]/g, '-')}.db`);
  if (existsSync(file)) throw new Error(`${file} exists; choose another --out`);
  const database = connectDatabase(config.databaseUrl);
  try {
    await database.sqlite!.backup(file);
  } finally {
    await database.close();
  }
  return file;
}
