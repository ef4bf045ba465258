import { CompiledQuery, type Kysely } from 'kysely';
import type { DialectName } from './dialect.js';
import { keptQuery } from './sqlite-dialect.js';

/**
 * Set-based writes for hot paths (ingest). They build SQL text directly (no query-builder AST per row) and
 * run on whatever connection or transaction they are given. The only dialect differences are placeholders,
 * boolean binding and the casts PostgreSQL needs for untyped VALUES lists.
 */

const MAX_PARAMS: Record<DialectName, number> = { sqlite: 30_000, postgres: 60_000 };

export type PgType = 'bigint' | 'integer' | 'text' | 'double precision' | 'timestamptz' | 'jsonb' | 'boolean';

function bind(dialect: DialectName, v: unknown): unknown {
  if (v === undefined) return null;
  if (dialect === 'sqlite' && typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/** `(?,?),(?,?)…` lists by shape: ingest writes the same few shapes (a page's rows) over and over. */
const placeholderCache = new Map<string, string>();

function placeholders(dialect: DialectName, rows: number, cols: number, casts?: (PgType | null)[]): string {
  const key = `${dialect}|${rows}|${cols}|${casts?.join(',') ?? ''}`;
  const hit = placeholderCache.get(key);
  if (hit !== undefined) return hit;
  const out: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) {
      if (dialect === 'postgres') {
        n++;
        const cast = casts?.[c];
        cells.push(cast ? `$${n}::${cast}` : `$${n}`);
      } else cells.push('?');
    }
    out.push(`(${cells.join(',')})`);
  }
  const text = out.join(',');
  if (placeholderCache.size >= 256) placeholderCache.clear();
  placeholderCache.set(key, text);
  return text;
}

/** The rows' values in one flat array (then `extra`), bound for the dialect: one pass, one allocation. */
function flatParams(dialect: DialectName, rows: unknown[][], cols: number, extra: readonly unknown[]): unknown[] {
  const out = new Array<unknown>(rows.length * cols + extra.length);
  let k = 0;
  for (const row of rows) for (let c = 0; c < cols; c++) out[k++] = bind(dialect, row[c]);
  for (const v of extra) out[k++] = bind(dialect, v);
  return out;
}

/** Largest row count of one SQLite statement: the power of two its shapes stop at. */
const SQLITE_MAX_CHUNK_ROWS = 128;

/**
 * Rows cut into statements. PostgreSQL: as many rows as the parameter limit allows per statement. SQLite:
 * power-of-two chunks, largest first (200 rows → 128 + 64 + 8), so a table is only ever written with a handful
 * of statement shapes, which the driver keeps prepared (`keptQuery`) instead of parsing a new one per row count.
 */
function chunks<T>(dialect: DialectName, rows: T[], paramsPerRow: number, extraParams: number): T[][] {
  const fit = Math.max(1, Math.floor((MAX_PARAMS[dialect] - extraParams) / paramsPerRow));
  const out: T[][] = [];
  if (dialect === 'postgres') {
    for (let i = 0; i < rows.length; i += fit) out.push(rows.slice(i, i + fit));
    return out;
  }
  let size = 1;
  while (size * 2 <= Math.min(fit, SQLITE_MAX_CHUNK_ROWS)) size *= 2;
  for (let i = 0; i < rows.length; ) {
    while (size > rows.length - i) size /= 2;
    out.push(rows.slice(i, i + size));
    i += size;
  }
  return out;
}

function query(dialect: DialectName, text: string, params: unknown[]): CompiledQuery {
  return dialect === 'sqlite' ? keptQuery(text, params) : CompiledQuery.raw(text, params);
}

export interface UpsertOptions {
  /** Columns of the unique constraint; omit for a plain insert. */
  conflict?: string[];
  /** The predicate of a partial unique index the conflict target names (SQL, no parameters). */
  conflictWhere?: string;
  /**
   * On conflict: 'nothing', the columns to overwrite with the incoming values, or a map of column → SQL
   * expression (may use `excluded.<col>` and the table's current value by its bare name).
   */
  update?: 'nothing' | string[] | Record<string, string>;
  /** Only update when this SQL condition holds (PostgreSQL and SQLite both accept `where` on upserts). */
  updateWhere?: string;
  /** Values of `?` placeholders in `updateWhere`, bound after the rows' values. */
  updateWhereParams?: unknown[];
  returning?: string[];
  /** PostgreSQL casts per column (needed when a value's type cannot be inferred, e.g. jsonb from text). */
  casts?: (PgType | null)[];
}

/** Inserts (or upserts) many rows, a chunk per statement (see `chunks`). */
export async function bulkInsert<R = Record<string, unknown>>(
  db: Kysely<any>,
  dialect: DialectName,
  table: string,
  columns: string[],
  rows: unknown[][],
  opts: UpsertOptions = {},
): Promise<R[]> {
  if (rows.length === 0) return [];
  const out: R[] = [];
  const extra = opts.updateWhereParams ?? [];
  for (const part of chunks(dialect, rows, columns.length, extra.length)) {
    let n = part.length * columns.length;
    let text = `insert into ${table} (${columns.join(',')}) values ${placeholders(dialect, part.length, columns.length, opts.casts)}`;
    if (opts.conflict) {
      text += ` on conflict (${opts.conflict.join(',')})`;
      if (opts.conflictWhere) text += ` where ${opts.conflictWhere}`;
      text += ' do ';
      if (!opts.update || opts.update === 'nothing') text += 'nothing';
      else {
        const sets = Array.isArray(opts.update)
          ? opts.update.map((c) => `${c} = excluded.${c}`)
          : Object.entries(opts.update).map(([c, expr]) => `${c} = ${expr}`);
        text += `update set ${sets.join(', ')}`;
        if (opts.updateWhere) {
          text += ` where ${dialect === 'postgres' ? opts.updateWhere.replace(/\?/g, () => `$${++n}`) : opts.updateWhere}`;
        }
      }
    }
    if (opts.returning) text += ` returning ${opts.returning.join(',')}`;
    const params = flatParams(dialect, part, columns.length, extra);
    const res = await db.executeQuery<R>(query(dialect, text, params));
    out.push(...res.rows);
  }
  return out;
}

/**
 * Updates many rows by key in one statement per chunk: `update t set c = v.cN from (values …) v where …`.
 * `columns[0]` is the key column; the rest are assigned. `where` adds a condition on the table (tenant scope).
 */
export async function bulkUpdate(
  db: Kysely<any>,
  dialect: DialectName,
  table: string,
  columns: string[],
  types: PgType[],
  rows: unknown[][],
  where: { sql: string; params: unknown[] },
): Promise<void> {
  if (rows.length === 0) return;
  for (const part of chunks(dialect, rows, columns.length, where.params.length)) {
    const sets = columns
      .slice(1)
      .map((c, i) => `${c} = v.column${i + 2}`)
      .join(', ');
    let n = part.length * columns.length;
    const whereSql = dialect === 'postgres' ? where.sql.replace(/\?/g, () => `$${++n}`) : where.sql;
    const text = `update ${table} set ${sets} from (values ${placeholders(dialect, part.length, columns.length, dialect === 'postgres' ? types : undefined)}) as v where ${table}.${columns[0]} = v.column1 and ${whereSql}`;
    const params = flatParams(dialect, part, columns.length, where.params);
    await db.executeQuery(query(dialect, text, params));
  }
}

/** A `col in (…)` list with placeholders, for raw selects over many keys. */
export function inList(dialect: DialectName, count: number, offset = 0): string {
  if (dialect === 'postgres') return Array.from({ length: count }, (_, i) => `$${offset + i + 1}`).join(',');
  return Array.from({ length: count }, () => '?').join(',');
}
