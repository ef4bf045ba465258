import { type CreateTableBuilder, type Kysely, type RawBuilder, sql } from 'kysely';

/** Which SQL engine a connection speaks. Every difference between the two lives in this file. */
export type DialectName = 'sqlite' | 'postgres';

/** Column types for migrations, per dialect. */
export function columnTypes(dialect: DialectName) {
  const pg = dialect === 'postgres';
  return {
    /** Adds the auto-increment `id` primary key: `createTable(…).$call(t.addId)`. */
    addId: <T extends string>(b: CreateTableBuilder<T, any>) =>
      pg
        ? b.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        : b.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
    /** Foreign key / plain big integer. */
    bigint: pg ? ('bigint' as const) : ('integer' as const),
    timestamp: pg ? ('timestamptz' as const) : ('text' as const),
    json: pg ? ('jsonb' as const) : ('text' as const),
    bool: pg ? ('boolean' as const) : ('integer' as const),
    text: 'text' as const,
    real: pg ? ('double precision' as const) : ('real' as const),
  };
}

/** A boolean literal usable in defaults and raw SQL. */
export function boolLiteral(dialect: DialectName, value: boolean): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql.raw(value ? 'true' : 'false') : sql.raw(value ? '1' : '0');
}

/** Reads a boolean column, whichever dialect stored it. */
export function bool(value: boolean | number | null | undefined): boolean {
  return value === true || value === 1;
}

/** Reads a JSON column: PostgreSQL returns parsed values, SQLite returns text. */
export function parseJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as T;
    } catch {
      return fallback;
    }
  }
  return value as T;
}

/** The UTC calendar day (YYYY-MM-DD) of a timestamp column, as SQL. */
export function dayOf(dialect: DialectName, column: string): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD')`
    : sql<string>`substr(${sql.ref(column)}, 1, 10)`;
}

/**
 * A JSON object built from a key and a value column over the rows of a group (keys in key order), as SQL.
 * Text on SQLite, parsed by the driver on PostgreSQL: read it with `parseJson`.
 */
export function jsonObjectAgg(dialect: DialectName, key: string, value: string): RawBuilder<unknown> {
  return dialect === 'postgres'
    ? sql`json_object_agg(${sql.ref(key)}, ${sql.ref(value)} order by ${sql.ref(key)})`
    : sql`json_group_object(${sql.ref(key)}, ${sql.ref(value)})`;
}

/** Case-insensitive LIKE. */
export function ilike(dialect: DialectName): 'ilike' | 'like' {
  return dialect === 'postgres' ? 'ilike' : 'like';
}

/** Whether an error is a unique-constraint violation in either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Lists the tables of the connected database (used by readiness and tests). */
export async function listTables(db: Kysely<any>, dialect: DialectName): Promise<string[]> {
  if (dialect === 'postgres') {
    const r = await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = current_schema()`.execute(db);
    return r.rows.map((x) => x.name);
  }
  const r = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db);
  return r.rows.map((x) => x.name);
}
