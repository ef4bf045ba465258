/** A few hundred varied orders for tenant A (and a few for B), with the expectations computed from the rows. */
import type { TestApp } from '../../../../test/support/app.js';
import {
  insertCustomer,
  insertOrders,
  type OrderRowOf,
  type OrderSeed,
} from '../../../../test/support/order-fixtures.js';
import { recomputeCustomerAggregates } from '../../customers/customer-aggregates.js';

export const MAIN_PHONE = '+201001234567';
export const MAIN_PHONE_FORMATS = [
  '01001234567',
  '+201001234567',
  '201001234567',
  '00201001234567',
  '+20 100 123 4567',
];
export const PHONES = [MAIN_PHONE, '+201112345678', '+201223456789', '+201098765432', '+201555555555'];
export const CITIES = ['Cairo', 'Giza', 'Alexandria', null];
export const ZONES = ['Nasr City', 'Dokki', null];
const STATES = [45, 45, 45, 46, 47, 48, 10, 24, 49, 100, 45, 101];
const TYPES = [10, 10, 10, 25, 30, 20];
const CODS = [150_000, 30_000, 0, -20_000, 75_050, 100_000, 45_025];
const HIERARCHY = ['unlinked', 'main', 'linked'];
export const BASE = Date.UTC(2026, 0, 1, 0, 0, 0);
const HOUR = 3_600_000;

export const SPECIAL_NAME = 'Smith, "Jr"\nsecond line';
export const FORMULA_NAME = '=SUM(A1:A9)';

export interface OrderBook {
  a: OrderRowOf[];
  b: OrderRowOf[];
  customerIds: number[];
}

function seedOf(i: number, customerIds: number[]): OrderSeed {
  // Every 10th order shares its creation instant with the one before: keyset paging must break ties by id.
  const slot = i % 10 === 9 ? i - 1 : i;
  const createdAt = new Date(BASE + slot * 5 * HOUR + (slot % 3) * 60_000).toISOString();
  const state = STATES[i % STATES.length];
  const deliveredAt = state === 45 ? new Date(Date.parse(createdAt) + (10 + (i % 50)) * HOUR).toISOString() : null;
  const phoneIx = i % PHONES.length;
  return {
    created_at: createdAt,
    updated_at: new Date(Date.parse(createdAt) + ((i * 37) % 200) * HOUR).toISOString(),
    state_code: state,
    type_code: TYPES[i % TYPES.length],
    cod_minor: CODS[i % CODS.length],
    delivered_at: deliveredAt,
    city: CITIES[i % CITIES.length],
    zone: ZONES[i % ZONES.length],
    district: i % 2 === 0 ? 'District A' : 'District B',
    address: `${i % 4} Nile Street`,
    phone: PHONES[phoneIx],
    customer_id: customerIds[phoneIx],
    receiver_name: i === 5 ? SPECIAL_NAME : i === 6 ? FORMULA_NAME : `Receiver ${String(i).padStart(3, '0')}`,
    hierarchy_status: HIERARCHY[i % HIERARCHY.length],
    courier_notes: i % 7 === 0 ? 'Call before delivery' : i % 13 === 0 ? '' : null,
    local_notes: i % 11 === 0 ? 'VIP handling' : null,
  };
}

/** Inserts `n` orders for tenant A spread over customers, and a handful for tenant B with the same phone. */
export async function seedOrderBook(t: TestApp, n = 300): Promise<OrderBook> {
  const customerIds: number[] = [];
  for (const [ix, phone] of PHONES.entries()) {
    customerIds.push((await insertCustomer(t.tenantA.ctx, { phone, name: `Customer ${ix}`, city: CITIES[ix % 4] })).id);
  }
  const a = await insertOrders(
    t.tenantA.ctx,
    Array.from({ length: n }, (_, i) => seedOf(i, customerIds)),
  );
  await recomputeCustomerAggregates(t.tenantA.ctx, customerIds);
  const bCustomer = await insertCustomer(t.tenantB.ctx, { phone: MAIN_PHONE, name: 'B customer' });
  const b = await insertOrders(
    t.tenantB.ctx,
    Array.from({ length: 12 }, (_, i) => ({
      ...seedOf(i, []),
      customer_id: bCustomer.id,
      phone: MAIN_PHONE,
      city: 'Cairo',
      receiver_name: 'B receiver',
    })),
  );
  return { a, b, customerIds };
}

type Dir = 1 | -1;

/** Orders sorted as the API sorts them: by the column (nulls last), then id, in one direction. */
export function sortedIds(rows: OrderRowOf[], sort: string): number[] {
  const desc = sort.startsWith('-');
  const key = desc ? sort.slice(1) : sort;
  const dir: Dir = desc ? -1 : 1;
  const sortValues = (r: OrderRowOf): Array<string | number | null> => {
    switch (key) {
      case 'createdAt':
        return [r.created_at];
      case 'deliveredAt':
        return [r.delivered_at];
      case 'updatedAt':
        return [r.updated_at];
      case 'cod':
        return [Number(r.cod_minor)];
      case 'stateCode':
        return [r.state_code, r.created_at];
      default:
        throw new Error(`unknown sort ${sort}`);
    }
  };
  const cmp = (a: string | number | null, b: string | number | null): number => {
    if (a === b) return 0;
    if (a === null) return 1; // nulls last whatever the direction
    if (b === null) return -1;
    return (a < b ? -1 : 1) * dir;
  };
  return [...rows]
    .sort((x, y) => {
      const vx = sortValues(x);
      const vy = sortValues(y);
      for (let i = 0; i < vx.length; i++) {
        const c = cmp(vx[i], vy[i]);
        if (c !== 0) return c;
      }
      return (x.id - y.id) * dir;
    })
    .map((r) => r.id);
}
