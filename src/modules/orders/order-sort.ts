import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { badRequest } from '../../platform/http/errors.js';

/** A column a keyset sort orders by, and the JSON kind its cursor value must have. */
export interface KeysetColumn {
  column: string;
  kind: 'timestamp' | 'integer' | 'text';
}

/**
 * One whitelisted sort: its columns (then `id`), all in one direction so a row-value comparison is a plain
 * index range. Only the first column may be nullable; its nulls come after every valued row in both
 * directions, identically on both dialects (they disagree on where NULL sorts by default).
 */
export interface KeysetSort {
  name: string;
  columns: readonly KeysetColumn[];
  desc: boolean;
  nullable: boolean;
}

/** What a caller asks of a keyset list: how many rows, and the cursor of the previous page's end. */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** Where the previous page ended: the sort values of its last row and its id. */
export interface KeysetPosition {
  values: ReadonlyArray<string | number | null>;
  id: number;
}

/** One pass of a keyset scan: extra conditions and the ORDER BY, for the caller to apply to its query. */
export interface KeysetStep {
  where: RawBuilder<SqlBool>[];
  orderBy: Array<{ column: string; desc: boolean }>;
}

const MAX_CURSOR_TEXT = 200;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Whether a cursor value fits its column: a tampered value must be a 400, never a database cast error. */
function fitsColumn(kind: KeysetColumn['kind'], v: unknown): boolean {
  if (kind === 'integer') return typeof v === 'number' && Number.isSafeInteger(v);
  if (kind === 'timestamp') return typeof v === 'string' && ISO_INSTANT.test(v) && Number.isFinite(Date.parse(v));
  return typeof v === 'string' && v.length <= MAX_CURSOR_TEXT;
}

/** A cursor naming its sort, so it cannot be replayed against another one. */
export function encodeSortCursor(sort: KeysetSort, at: KeysetPosition): string {
  return encodeCursor([sort.name, ...at.values, at.id]);
}

/** Reads a cursor, refusing one made for another sort (400 `cursor_sort_mismatch`) or with values of the wrong kind. */
export function decodeSortCursor(cursor: string, sort: KeysetSort): KeysetPosition {
  const raw = decodeCursor(cursor, sort.columns.length + 2);
  if (typeof raw[0] !== 'string') throw invalidCursor();
  if (raw[0] !== sort.name) {
    throw badRequest('cursor_sort_mismatch', `This cursor was made for sort "${raw[0]}", not "${sort.name}"`);
  }
  const values = raw.slice(1, -1) as Array<string | number | null>;
  const id = raw[raw.length - 1];
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw invalidCursor();
  sort.columns.forEach((c, i) => {
    const v = values[i];
    if (v === null && i === 0 && sort.nullable) return;
    if (!fitsColumn(c.kind, v)) throw invalidCursor();
  });
  if (values[0] === null && values.some((v, i) => i > 0 && v !== null)) throw invalidCursor();
  return { values, id };
}

function invalidCursor() {
  return badRequest('invalid_cursor', 'The cursor is not one this endpoint produced');
}

/** Rows whose first sort column has a value, after `after` in sort order. */
function valuedStep(sort: KeysetSort, after: KeysetPosition | null): KeysetStep {
  const where: RawBuilder<SqlBool>[] = [];
  if (sort.nullable) where.push(sql<SqlBool>`${sql.ref(sort.columns[0].column)} is not null`);
  if (after) {
    const refs = [...sort.columns.map((c) => sql.ref(c.column)), sql.ref('id')];
    const vals = [...after.values.map((v) => sql`${v}`), sql`${after.id}`];
    const op = sql.raw(sort.desc ? '<' : '>');
    where.push(sql<SqlBool>`(${sql.join(refs)}) ${op} (${sql.join(vals)})`);
  }
  const orderBy = [
    ...sort.columns.map((c) => ({ column: c.column, desc: sort.desc })),
    { column: 'id', desc: sort.desc },
  ];
  return { where, orderBy };
}

/** Rows whose (nullable) first sort column is null: they follow the valued ones, in id order. */
function nullStep(sort: KeysetSort, after: KeysetPosition | null): KeysetStep {
  const where: RawBuilder<SqlBool>[] = [sql<SqlBool>`${sql.ref(sort.columns[0].column)} is null`];
  if (after) where.push(sql<SqlBool>`${sql.ref('id')} ${sql.raw(sort.desc ? '<' : '>')} ${after.id}`);
  return { where, orderBy: [{ column: 'id', desc: sort.desc }] };
}

/**
 * Fetches one keyset page: `fetch` runs the caller's filtered query with the step's conditions and order and
 * a row limit. A nullable sort may need a second pass over the null rows to fill the page. No OFFSET anywhere,
 * so page 10 000 costs what page 1 costs.
 */
export async function keysetPage<R>(
  sort: KeysetSort,
  cursor: string | undefined,
  limit: number,
  fetch: (step: KeysetStep, take: number) => Promise<R[]>,
  positionOf: (row: R) => KeysetPosition,
): Promise<{ rows: R[]; nextCursor: string | null }> {
  const after = cursor ? decodeSortCursor(cursor, sort) : null;
  const afterNull = after !== null && after.values[0] === null;
  const rows: R[] = afterNull ? [] : await fetch(valuedStep(sort, after), limit + 1);
  if (sort.nullable && rows.length <= limit) {
    rows.push(...(await fetch(nullStep(sort, afterNull ? after : null), limit + 1 - rows.length)));
  }
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > limit && last ? encodeSortCursor(sort, positionOf(last)) : null };
}

/** The sorts of the orders list, by public name. */
export const ORDER_SORT_NAMES = [
  '-createdAt',
  'createdAt',
  '-deliveredAt',
  'deliveredAt',
  '-updatedAt',
  'updatedAt',
  '-cod',
  'cod',
  '-stateCode',
  'stateCode',
] as const;
export type OrderSortName = (typeof ORDER_SORT_NAMES)[number];

// Each maps onto an index: orders_created, orders_delivered, orders_updated, orders_cod, orders_state.
const ORDER_SORT_COLUMNS: Record<string, { columns: KeysetColumn[]; nullable: boolean }> = {
  createdAt: { columns: [{ column: 'created_at', kind: 'timestamp' }], nullable: false },
  deliveredAt: { columns: [{ column: 'delivered_at', kind: 'timestamp' }], nullable: true },
  updatedAt: { columns: [{ column: 'updated_at', kind: 'timestamp' }], nullable: false },
  cod: { columns: [{ column: 'cod_minor', kind: 'integer' }], nullable: false },
  stateCode: {
    columns: [
      { column: 'state_code', kind: 'integer' },
      { column: 'created_at', kind: 'timestamp' },
    ],
    nullable: false,
  },
};

/** The keyset definition of a whitelisted orders sort (`-createdAt` when none is given). */
export function orderSort(name: OrderSortName = '-createdAt'): KeysetSort {
  const desc = name.startsWith('-');
  const def = ORDER_SORT_COLUMNS[desc ? name.slice(1) : name];
  return { name, desc, ...def };
}

/** The keyset position of an orders row under a sort. */
export function orderPosition(sort: KeysetSort, row: Record<string, unknown> & { id: number }): KeysetPosition {
  return { values: sort.columns.map((c) => row[c.column] as string | number | null), id: row.id };
}
