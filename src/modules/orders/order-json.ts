import { type RawBuilder, sql } from 'kysely';
import type { DialectName } from '../../platform/db/dialect.js';
import type { Order } from './orders.repo.js';

/** How a column becomes its API value: as stored, minor units → decimal, or a timestamp → ISO-8601 UTC. */
type FieldKind = 'value' | 'money' | 'timestamp';

/**
 * Every field of the API's `Order`, in the schema's order, with the `orders` column it reads. The same mapping
 * as `toOrder`, for the database to apply: a test holds the two equal on both dialects.
 */
const ORDER_JSON_FIELDS: ReadonlyArray<readonly [keyof Order, string, FieldKind]> = [
  ['id', 'id', 'value'],
  ['source', 'source', 'value'],
  ['externalId', 'external_id', 'value'],
  ['trackingNumber', 'tracking_number', 'value'],
  ['businessReference', 'business_reference', 'value'],
  ['typeCode', 'type_code', 'value'],
  ['typeName', 'type_name', 'value'],
  ['stateCode', 'state_code', 'value'],
  ['stateName', 'state_name', 'value'],
  ['maskedState', 'masked_state', 'value'],
  ['cod', 'cod_minor', 'money'],
  ['fees', 'fees_minor', 'money'],
  ['customerId', 'customer_id', 'value'],
  ['phone', 'phone', 'value'],
  ['receiverName', 'receiver_name', 'value'],
  ['receiverPhoneRaw', 'receiver_phone_raw', 'value'],
  ['secondPhone', 'second_phone', 'value'],
  ['city', 'city', 'value'],
  ['zone', 'zone', 'value'],
  ['district', 'district', 'value'],
  ['address', 'address', 'value'],
  ['packageDescription', 'package_description', 'value'],
  ['itemsCount', 'items_count', 'value'],
  ['courierNotes', 'courier_notes', 'value'],
  ['attempts', 'attempts', 'value'],
  ['calls', 'calls', 'value'],
  ['paymentMethod', 'payment_method', 'value'],
  ['exceptionReason', 'exception_reason', 'value'],
  ['exceptionCode', 'exception_code', 'value'],
  ['category', 'category', 'value'],
  ['serviceType', 'service_type', 'value'],
  ['orderLevel', 'order_level', 'value'],
  ['hierarchyStatus', 'hierarchy_status', 'value'],
  ['parentOrderId', 'parent_order_id', 'value'],
  ['deliveryHours', 'delivery_hours', 'value'],
  ['createdAt', 'created_at', 'timestamp'],
  ['updatedAt', 'updated_at', 'timestamp'],
  ['deliveredAt', 'delivered_at', 'timestamp'],
  ['returnedAt', 'returned_at', 'timestamp'],
  ['stateChangedAt', 'state_changed_at', 'timestamp'],
  ['localNotes', 'local_notes', 'value'],
  ['syncedAt', 'synced_at', 'timestamp'],
];

function fieldSql(dialect: DialectName, table: string, column: string, kind: FieldKind): string {
  const ref = `"${table}"."${column}"`;
  if (kind === 'money') return dialect === 'postgres' ? `(${ref} / 100.0)::float8` : `${ref} / 100.0`;
  // SQLite keeps timestamps as the ISO text the API shows; PostgreSQL's timestamptz is printed as the driver's
  // parser would (`toISOString`: milliseconds, `Z`).
  if (kind === 'timestamp' && dialect === 'postgres') {
    return `to_char(${ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  }
  return ref;
}

function buildOrderJson(dialect: DialectName, table: string): RawBuilder<string> {
  const pairs = ORDER_JSON_FIELDS.map(([key, column, kind]) => `'${key}', ${fieldSql(dialect, table, column, kind)}`);
  // Text on both: PostgreSQL's driver would otherwise parse a json value back into an object.
  return sql.raw<string>(
    dialect === 'postgres' ? `json_build_object(${pairs.join(', ')})::text` : `json_object(${pairs.join(', ')})`,
  );
}

const built = new Map<string, RawBuilder<string>>();

/**
 * An `orders` row as the API's `Order` JSON text, built by the database from the row of `table` (the table's
 * name or alias in the query). A page of these goes out without being read into objects and serialized again:
 * for 25 rows of 42 fields, that was most of a list request.
 */
export function orderJson(dialect: DialectName, table: 'orders' | 'o'): RawBuilder<string> {
  const key = `${dialect}:${table}`;
  let json = built.get(key);
  if (!json) {
    json = buildOrderJson(dialect, table);
    built.set(key, json);
  }
  return json;
}
