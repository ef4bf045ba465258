/**
 * The rows of the ingest benchmark's raw-insert baseline: the `orders` row built by the same `orderRowOf` the
 * ingest flow uses (E.164 phone, classification, delivery hours) and the courier document beside it in
 * `order_documents`. Customer ids are left null: the baseline has no customers table work.
 */
import { toE164 } from '../../src/lib/phone.js';
import type { OrderInput } from '../../src/modules/orders/order-input.js';
import { ORDER_COLUMNS, type OrderRow, orderRowOf } from '../../src/modules/orders/orders.write.js';
import type { Tenant } from '../../src/modules/tenants/tenants.repo.js';

export function baselineRowOf(o: OrderInput, tenant: Tenant, source: string, now: string): OrderRow {
  return orderRowOf(o, {
    tenantId: tenant.id,
    source,
    phone: toE164(o.receiverPhoneRaw, tenant.country),
    customerId: null,
    threshold: tenant.settings.classification.mainOrderCodThreshold,
    now,
  });
}

/** `INSERT INTO orders (<the ingest columns>) VALUES (?, …)`: the one statement of the baseline. */
export const INSERT_ORDER_SQL = `insert into orders (${ORDER_COLUMNS.join(', ')}) values (${ORDER_COLUMNS.map(() => '?').join(', ')})`;

/** `INSERT INTO order_documents (order_id, tenant_id, raw) VALUES (?, ?, ?)`: the document of the order. */
export const INSERT_DOCUMENT_SQL = 'insert into order_documents (order_id, tenant_id, raw) values (?, ?, ?)';

/** The row's values in ORDER_COLUMNS order, ready to bind. */
export function orderValues(row: OrderRow): unknown[] {
  return ORDER_COLUMNS.map((c) => row[c]);
}
