import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import type { OrderFilter } from './order-filters.js';
import type { KeysetSort } from './order-sort.js';
import { type Order, listOrders } from './orders.repo.js';

/** Rows fetched per query: memory stays flat however many orders the export holds. */
export const CSV_PAGE_SIZE = 1000;

/** The columns of the export, in order; headers are the API's field names. */
export const CSV_COLUMNS: ReadonlyArray<keyof Order> = [
  'id',
  'source',
  'externalId',
  'trackingNumber',
  'businessReference',
  'typeCode',
  'typeName',
  'stateCode',
  'stateName',
  'maskedState',
  'cod',
  'fees',
  'customerId',
  'phone',
  'receiverName',
  'receiverPhoneRaw',
  'secondPhone',
  'city',
  'zone',
  'district',
  'address',
  'packageDescription',
  'itemsCount',
  'courierNotes',
  'attempts',
  'calls',
  'paymentMethod',
  'exceptionReason',
  'exceptionCode',
  'category',
  'serviceType',
  'orderLevel',
  'hierarchyStatus',
  'parentOrderId',
  'deliveryHours',
  'createdAt',
  'updatedAt',
  'deliveredAt',
  'returnedAt',
  'stateChangedAt',
  'localNotes',
  'syncedAt',
];

/**
 * Spreadsheets run a cell that starts with = + - @ as a formula, and receiver names and notes come from
 * outside. Such text gets a leading apostrophe; signed numbers and E.164 phones stay as they are.
 */
export function neutraliseFormula(value: string): string {
  if (/^[=@\t\r]/.test(value)) return `'${value}`;
  if (/^[+-]/.test(value) && !/^[+-][\d.\s]*$/.test(value)) return `'${value}`;
  return value;
}

function toRecord(o: Order): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const c of CSV_COLUMNS) {
    const v = o[c];
    out[c] = typeof v === 'string' ? neutraliseFormula(v) : (v as number | null);
  }
  return out;
}

async function* orderRecords(ctx: TenantCtx, filter: OrderFilter, sort: KeysetSort) {
  let cursor: string | undefined;
  do {
    const page = await listOrders(ctx, filter, sort, { limit: CSV_PAGE_SIZE, cursor });
    for (const o of page.items) yield toRecord(o);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/**
 * The filtered orders as a CSV stream (header row, decimal money, ISO dates), pulled one keyset page at a
 * time as the client reads. A failure mid-way aborts the stream (and so the download) instead of truncating
 * it silently; `onError` gets the cause for the log.
 */
export function ordersCsvStream(
  ctx: TenantCtx,
  filter: OrderFilter,
  sort: KeysetSort,
  onError: (err: Error) => void,
): Readable {
  const csv = stringify({ header: true, columns: CSV_COLUMNS.map((c) => ({ key: c, header: c })) });
  return pipeline(Readable.from(orderRecords(ctx, filter, sort)), csv, (err) => {
    if (err) onError(err);
  });
}
