/**
 * The customers of a seeded order book (see `seed-orders.ts`): names and addresses derived from the customer
 * index, and the stored aggregates and segment computed from the planned orders with the same rules as
 * `aggregateCustomerOrders` and `segmentOf`, so profiles and lists read what ingest would have written.
 */
import type SqliteDatabase from 'better-sqlite3';
import {
  FEMALE_FIRST_NAMES,
  LAST_NAMES,
  MALE_FIRST_NAMES,
  STREETS,
} from '../../src/integrations/bosta/simulator/names.js';
import { iso } from '../../src/integrations/bosta/simulator/sim-time.js';
import { segmentOf } from '../../src/modules/customers/segment.js';
import { ORDER_CATEGORIES, STATE_DELIVERED, STATE_RETURNED } from '../../src/modules/orders/classify-order.js';
import type { Tenant } from '../../src/modules/tenants/tenants.repo.js';
import { DELIVERABLE_LOCATIONS, e164, localPhone, type SeedPlan } from './seed-plan.js';

const TX_ROWS = 20_000;

export interface SeededCustomer {
  id: number;
  /** E.164 and the national form a merchant types (01…). */
  phone: string;
  localPhone: string;
  orders: number;
}

const FIRST_NAMES = [...MALE_FIRST_NAMES, ...FEMALE_FIRST_NAMES];

export function customerName(c: number): { first: string; last: string } {
  const script = c % 3 === 0 ? 1 : 0;
  return {
    first: FIRST_NAMES[(c * 7 + 3) % FIRST_NAMES.length][script],
    last: LAST_NAMES[(c * 13 + 5) % LAST_NAMES.length][script],
  };
}

export function customerAddress(c: number, district: string): string {
  const street = STREETS[(c * 11) % STREETS.length][0];
  return `${(c % 97) + 1} ${street}, ${district}, bldg ${(c % 40) + 1}, floor ${c % 12}, apt ${(c % 30) + 1}`;
}

interface Aggregate {
  orders: number;
  delivered: number;
  returned: number;
  ltv: number;
  refunds: number;
  first: number;
  last: number;
}

/** Per customer: what their orders add up to, with the same rules as `aggregateCustomerOrders`. */
export function aggregates(plan: SeedPlan, categories: Uint8Array): Aggregate[] {
  const agg: Aggregate[] = Array.from({ length: plan.customers }, () => ({
    orders: 0,
    delivered: 0,
    returned: 0,
    ltv: 0,
    refunds: 0,
    first: Number.POSITIVE_INFINITY,
    last: 0,
  }));
  for (let i = 0; i < plan.orders; i++) {
    const a = agg[plan.orderCustomer[i]];
    const state = plan.orderState[i];
    const cod = plan.orderCodMinor[i];
    const category = ORDER_CATEGORIES[categories[i]];
    const at = plan.orderCreatedMs[i];
    a.orders++;
    if (state === STATE_DELIVERED) a.delivered++;
    if (state === STATE_RETURNED) a.returned++;
    if (category === 'real_sale' || category === 'maintenance') a.ltv += cod;
    if (category === 'refund' && state === STATE_DELIVERED) a.refunds -= cod;
    if (at < a.first) a.first = at;
    if (at > a.last) a.last = at;
  }
  return agg;
}

export function writeCustomers(sqlite: SqliteDatabase.Database, tenant: Tenant, plan: SeedPlan, agg: Aggregate[]) {
  const insert = sqlite.prepare(
    `insert into customers (tenant_id, phone, second_phone, name, city, zone, district, address, tags, source,
      orders_count, delivered_count, returned_count, lifetime_value_minor, refunds_minor, first_order_at,
      last_order_at, segment, created_at, updated_at)
     values (?, ?, null, ?, ?, ?, ?, ?, '[]', 'bosta', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids = new Float64Array(plan.customers);
  const regulars: SeededCustomer[] = [];
  const now = iso(plan.anchorMs);
  const write = sqlite.transaction((from: number, to: number) => {
    for (let c = from; c < to; c++) {
      const loc = DELIVERABLE_LOCATIONS[plan.customerLocation[c]];
      const { first, last } = customerName(c);
      const a = agg[c];
      const totals = {
        ordersCount: a.orders,
        deliveredCount: a.delivered,
        returnedCount: a.returned,
        lifetimeValueMinor: a.ltv,
      };
      const phone = e164(plan.customerPrefix[c], plan.customerPhone[c]);
      const r = insert.run(
        tenant.id,
        phone,
        `${first} ${last}`,
        loc.city.name,
        loc.zone.name,
        loc.district.name,
        customerAddress(c, loc.district.name),
        a.orders,
        a.delivered,
        a.returned,
        a.ltv,
        a.refunds,
        iso(a.first),
        iso(a.last),
        segmentOf(totals, tenant.settings.segments),
        iso(a.first),
        now,
      );
      ids[c] = Number(r.lastInsertRowid);
      if (a.orders >= 3 && regulars.length < 20 && c % 7 === 0) {
        const local = localPhone(plan.customerPrefix[c], plan.customerPhone[c]);
        regulars.push({ id: ids[c], phone, localPhone: local, orders: a.orders });
      }
    }
  });
  for (let c = 0; c < plan.customers; c += TX_ROWS) write(c, Math.min(plan.customers, c + TX_ROWS));
  return { ids, regulars };
}
