import { type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { badRequest } from '../../platform/http/errors.js';
import { toMinor } from '../../lib/money.js';
import { toE164 } from '../../lib/phone.js';
import type { OrderCategory } from './classify-order.js';

/** The orders filters as they arrive in a query string (already validated by the schema). */
export interface OrderFilterQuery {
  phone?: string;
  state?: string;
  type?: number;
  category?: OrderCategory;
  city?: string;
  zone?: string;
  tracking?: string;
  createdFrom?: string;
  createdTo?: string;
  deliveredFrom?: string;
  deliveredTo?: string;
  codMin?: number;
  codMax?: number;
  hierarchy?: 'unlinked' | 'main' | 'linked';
  hasNotes?: boolean;
  customerId?: number;
}

/** An instant range: `from` inclusive, `before` exclusive (a whole day), `until` inclusive (an exact instant). */
export interface InstantRange {
  from?: string;
  before?: string;
  until?: string;
}

/** The filters normalised to what the columns hold: E.164 phone, minor units, UTC instants. */
export interface OrderFilter {
  phone?: string;
  stateCodes?: number[];
  typeCode?: number;
  category?: string;
  city?: string;
  zone?: string;
  tracking?: string;
  created?: InstantRange;
  delivered?: InstantRange;
  codMinMinor?: number;
  codMaxMinor?: number;
  hierarchy?: string;
  hasNotes?: boolean;
  customerId?: number;
}

/** What parsing needs to know of the tenant: national phone forms and the day boundaries of date-only input. */
export interface TenantPlace {
  country: string;
  timeZone: string;
}

/** A date (`2026-03-01`) or an instant with its offset (`2026-03-01T10:00:00Z`); the schemas use it too. */
export const DATE_OR_INSTANT_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$';
/** A state code or a comma list of them. */
export const STATE_LIST_PATTERN = '^\\d{1,4}(,\\d{1,4}){0,29}$';

/** Parses a phone in any format with the tenant's country; 400 `invalid_phone` when it is not a number. */
export function phoneFilter(input: string, country: string): string {
  const e164 = toE164(input, country);
  if (!e164) throw badRequest('invalid_phone', `"${input}" is not a phone number`);
  return e164;
}

/** Turns validated query parameters into column-level filters; 400 on an unparseable phone or date. */
export function parseOrderFilter(q: OrderFilterQuery, place: TenantPlace): OrderFilter {
  const f: OrderFilter = {};
  if (q.phone !== undefined) f.phone = phoneFilter(q.phone, place.country);
  if (q.state !== undefined) f.stateCodes = [...new Set(q.state.split(',').map(Number))];
  if (q.type !== undefined) f.typeCode = q.type;
  if (q.category !== undefined) f.category = q.category;
  if (q.city !== undefined) f.city = q.city;
  if (q.zone !== undefined) f.zone = q.zone;
  if (q.tracking !== undefined) f.tracking = q.tracking;
  f.created = instantRange(q.createdFrom, q.createdTo, place.timeZone, 'created');
  f.delivered = instantRange(q.deliveredFrom, q.deliveredTo, place.timeZone, 'delivered');
  if (q.codMin !== undefined) f.codMinMinor = toMinor(q.codMin);
  if (q.codMax !== undefined) f.codMaxMinor = toMinor(q.codMax);
  if (q.hierarchy !== undefined) f.hierarchy = q.hierarchy;
  if (q.hasNotes !== undefined) f.hasNotes = q.hasNotes;
  if (q.customerId !== undefined) f.customerId = q.customerId;
  return f;
}

/** A from/to pair of dates or instants as a UTC range; a date `to` includes that whole local day. */
export function instantRange(
  from: string | undefined,
  to: string | undefined,
  timeZone: string,
  label: string,
): InstantRange | undefined {
  if (from === undefined && to === undefined) return undefined;
  const r: InstantRange = {};
  if (from !== undefined)
    r.from = isDateOnly(from) ? startOfLocalDay(checkDay(from, label), timeZone) : instant(from, label);
  if (to !== undefined) {
    if (isDateOnly(to)) r.before = startOfLocalDay(nextDay(checkDay(to, label)), timeZone);
    else r.until = instant(to, label);
  }
  return r;
}

function isDateOnly(v: string): boolean {
  return v.length === 10;
}

function checkDay(day: string, label: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== day) {
    throw badRequest('invalid_date', `${label}: "${day}" is not a calendar date`);
  }
  return day;
}

function instant(v: string, label: string): string {
  const t = Date.parse(v);
  if (!Number.isFinite(t)) throw badRequest('invalid_date', `${label}: "${v}" is not a date-time`);
  return new Date(t).toISOString();
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Offset of a time zone from UTC at an instant, in ms (Intl is the only tz database Node ships). */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return local - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The UTC instant a local calendar day starts in a time zone. Dates in filters mean the merchant's days, the
 * same days the rollups are keyed by. Re-checking the offset at the result handles a DST change that day.
 */
export function startOfLocalDay(day: string, timeZone: string): string {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  const first = midnightUtc - zoneOffsetMs(midnightUtc, timeZone);
  return new Date(midnightUtc - zoneOffsetMs(first, timeZone)).toISOString();
}

type OrdersQuery<O> = SelectQueryBuilder<DB, 'orders', O>;

function applyRange<O>(q: OrdersQuery<O>, column: 'created_at' | 'delivered_at', r?: InstantRange): OrdersQuery<O> {
  if (!r) return q;
  if (r.from !== undefined) q = q.where(column, '>=', r.from);
  if (r.before !== undefined) q = q.where(column, '<', r.before);
  if (r.until !== undefined) q = q.where(column, '<=', r.until);
  return q;
}

/** Adds the tenant scope and every filter to an orders query; each filter has an index led by tenant_id. */
export function applyOrderFilter<O>(q: OrdersQuery<O>, tenantId: number, f: OrderFilter): OrdersQuery<O> {
  q = q.where('orders.tenant_id', '=', tenantId);
  if (f.phone !== undefined) q = q.where('phone', '=', f.phone);
  if (f.stateCodes !== undefined) {
    q =
      f.stateCodes.length === 1
        ? q.where('state_code', '=', f.stateCodes[0])
        : q.where('state_code', 'in', f.stateCodes);
  }
  if (f.typeCode !== undefined) q = q.where('type_code', '=', f.typeCode);
  if (f.category !== undefined) q = q.where('category', '=', f.category);
  if (f.city !== undefined) q = q.where('city', '=', f.city);
  if (f.zone !== undefined) q = q.where('zone', '=', f.zone);
  if (f.tracking !== undefined) q = q.where('tracking_number', '=', f.tracking);
  q = applyRange(q, 'created_at', f.created);
  q = applyRange(q, 'delivered_at', f.delivered);
  if (f.codMinMinor !== undefined) q = q.where('cod_minor', '>=', f.codMinMinor);
  if (f.codMaxMinor !== undefined) q = q.where('cod_minor', '<=', f.codMaxMinor);
  if (f.hierarchy !== undefined) q = q.where('hierarchy_status', '=', f.hierarchy);
  if (f.customerId !== undefined) q = q.where('customer_id', '=', f.customerId);
  if (f.hasNotes !== undefined) {
    const has = sql<SqlBool>`(coalesce(${sql.ref('courier_notes')}, '') <> '' or coalesce(${sql.ref('local_notes')}, '') <> '')`;
    q = q.where(f.hasNotes ? has : sql<SqlBool>`not ${has}`);
  }
  return q;
}
