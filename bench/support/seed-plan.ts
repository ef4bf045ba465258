/**
 * The shape of a merchant's order book, drawn deterministically for benchmarks that need many orders fast:
 * customers with 1–5 orders (mostly one), a first sale then after-sales orders (maintenance, free parts,
 * refunds, return pickups, exchanges, failed sales) within months of it, over two years, in the simulator's
 * geography and catalogue. Only numbers live here (typed arrays, ~40 bytes per order at a million); the
 * writer (`seed-orders.ts`) turns them into rows.
 */
import { STATE_DELIVERED, STATE_RETURNED, classifyOrder } from '../../src/modules/orders/classify-order.js';
import { PRODUCT_WEIGHTS, REPAIR_FEES, SIM_PRODUCTS } from '../../src/integrations/bosta/simulator/catalogue.js';
import { DELIVERABLE_LOCATIONS, DELIVERABLE_WEIGHTS } from '../../src/integrations/bosta/simulator/geography.js';
import { Rng } from '../../src/integrations/bosta/simulator/prng.js';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** How far back the order book goes. */
export const HISTORY_DAYS = 730;

/** What an order is, before classification (which the real `classifyOrder` does). */
export const Kind = { Sale: 0, Maintenance: 1, FreePart: 2, Refund: 3, ReturnPickup: 4, Exchange: 5 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** Orders per customer: 1 (45 %), 2 (25 %), 3 (15 %), 4 (10 %), 5 (5 %): about 2.05 on average. */
const ORDERS_PER_CUSTOMER = [0, 45, 25, 15, 10, 5];
/** After-sales mix of a customer's later orders, by Kind. */
const FOLLOW_UP_KINDS = [30, 20, 14, 7, 15, 14];
const IN_PROGRESS_STATES = [10, 21, 24, 30, 41];
/** Final states of an order older than a few days and their shares. */
const FINAL_STATES: ReadonlyArray<readonly [number, number]> = [
  [STATE_DELIVERED, 80],
  [STATE_RETURNED, 9],
  [49, 4],
  [48, 3],
  [47, 2],
  [100, 1],
  [101, 1],
];

export interface SeedPlan {
  anchorMs: number;
  customers: number;
  orders: number;
  /** Per customer: index into DELIVERABLE_LOCATIONS, phone number (8 digits after the prefix), prefix index, name seed. */
  customerLocation: Uint16Array;
  customerPhone: Uint32Array;
  customerPrefix: Uint8Array;
  customerOrders: Uint8Array;
  /** Per order, sorted by creation time (so ids grow with created_at, as on a live system). */
  orderCustomer: Uint32Array;
  orderCreatedMs: Float64Array;
  orderKind: Uint8Array;
  orderType: Uint8Array;
  orderState: Uint8Array;
  orderCodMinor: Int32Array;
  orderProduct: Uint16Array;
  /** Hours from creation to the final state (delivery, return, cancellation), 0 when still in progress. */
  orderHours: Float32Array;
}

/** The mobile prefixes after +20: Vodafone, Etisalat, Orange, WE. */
export const PHONE_PREFIXES = ['10', '11', '12', '15'];

export function e164(prefixIndex: number, number: number): string {
  return `+20${PHONE_PREFIXES[prefixIndex]}${String(number).padStart(8, '0')}`;
}

/** The national form a merchant types: 01xxxxxxxxx. */
export function localPhone(prefixIndex: number, number: number): string {
  return `0${PHONE_PREFIXES[prefixIndex]}${String(number).padStart(8, '0')}`;
}

/** Cumulative weights for O(log n) weighted draws. */
function cumulative(weights: readonly number[]): Float64Array {
  const c = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => {
    s += w;
    c[i] = s;
  });
  return c;
}

function draw(rng: Rng, cum: Float64Array): number {
  const r = rng.next() * cum[cum.length - 1];
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const CUM_ORDERS = cumulative(ORDERS_PER_CUSTOMER);
const CUM_FOLLOW_UP = cumulative(FOLLOW_UP_KINDS);
const CUM_LOCATIONS = cumulative(DELIVERABLE_WEIGHTS);
const CUM_PRODUCTS = cumulative(PRODUCT_WEIGHTS);
const CUM_FINAL = cumulative(FINAL_STATES.map(([, w]) => w));

/** Orders younger than this are mostly still on their way. */
const RECENT_MS = 4 * DAY_MS;

function stateOf(rng: Rng, createdMs: number, anchorMs: number): number {
  if (anchorMs - createdMs < RECENT_MS && rng.chance(0.7)) return rng.pick(IN_PROGRESS_STATES);
  return FINAL_STATES[draw(rng, CUM_FINAL)][0];
}

/**
 * Draws `orders` orders (exactly) of about orders/2 customers ending at `anchorMs` (default: the start of
 * the current hour). Same seed, same book.
 */
export function planOrderBook(
  orders: number,
  seed = 7,
  anchorMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS,
): SeedPlan {
  const rng = new Rng(seed);
  const maxCustomers = orders;
  const customerLocation = new Uint16Array(maxCustomers);
  const customerPhone = new Uint32Array(maxCustomers);
  const customerPrefix = new Uint8Array(maxCustomers);
  const customerOrders = new Uint8Array(maxCustomers);
  const oCustomer = new Uint32Array(orders);
  const oCreated = new Float64Array(orders);
  const oKind = new Uint8Array(orders);
  const oType = new Uint8Array(orders);
  const oState = new Uint8Array(orders);
  const oCod = new Int32Array(orders);
  const oProduct = new Uint16Array(orders);
  const oHours = new Float32Array(orders);
  // Distinct phones: an odd multiplier is a bijection on 2^26 numbers (all < 10^8, i.e. 8 digits).
  const phoneBase = rng.int(1 << 26);
  let n = 0;
  let c = 0;
  const historyMs = HISTORY_DAYS * DAY_MS;
  while (n < orders) {
    const k = Math.min(draw(rng, CUM_ORDERS), orders - n);
    customerLocation[c] = draw(rng, CUM_LOCATIONS);
    customerPrefix[c] = rng.int(PHONE_PREFIXES.length);
    customerPhone[c] = ((phoneBase + c * 2_654_435_761) >>> 0) & ((1 << 26) - 1);
    customerOrders[c] = k;
    const gaps: number[] = [];
    let span = 0;
    for (let j = 1; j < k; j++) {
      const gap = (3 + rng.next() * 150) * DAY_MS;
      gaps.push(gap);
      span += gap;
    }
    let t = anchorMs - historyMs + rng.next() * Math.max(DAY_MS, historyMs - span);
    const product = draw(rng, CUM_PRODUCTS);
    for (let j = 0; j < k; j++, n++) {
      if (j > 0) t += gaps[j - 1];
      const kind: Kind = j === 0 ? Kind.Sale : (draw(rng, CUM_FOLLOW_UP) as Kind);
      const p = kind === Kind.Sale && j > 0 && rng.chance(0.5) ? draw(rng, CUM_PRODUCTS) : product;
      const price = SIM_PRODUCTS[p].price;
      let cod: number;
      let type = 10;
      if (kind === Kind.Sale) cod = price;
      else if (kind === Kind.Maintenance) cod = rng.pick(REPAIR_FEES);
      else if (kind === Kind.FreePart) cod = 0;
      else if (kind === Kind.Refund) cod = -Math.round(price * (0.2 + rng.next() * 0.8));
      else if (kind === Kind.ReturnPickup) {
        type = 25;
        cod = rng.chance(0.3) ? -price : 0;
      } else {
        type = 30;
        cod = rng.chance(0.2) ? rng.pick(REPAIR_FEES) : 0;
      }
      const state = stateOf(rng, t, anchorMs);
      oCustomer[n] = c;
      oCreated[n] = Math.min(t, anchorMs - 60_000);
      oKind[n] = kind;
      oType[n] = type;
      oState[n] = state;
      oCod[n] = cod * 100;
      oProduct[n] = p;
      oHours[n] = IN_PROGRESS_STATES.includes(state) ? 0 : 18 + rng.next() * 100;
    }
    c++;
  }
  // Creation order: ids then grow with created_at, as they do when orders arrive over time.
  const order = new Uint32Array(orders);
  for (let i = 0; i < orders; i++) order[i] = i;
  order.sort((a, b) => oCreated[a] - oCreated[b]);
  const pick = <A extends Float64Array | Uint32Array | Uint8Array | Int32Array | Uint16Array | Float32Array>(
    src: A,
    dst: A,
  ) => {
    for (let i = 0; i < orders; i++) dst[i] = src[order[i]];
    return dst;
  };
  return {
    anchorMs,
    customers: c,
    orders,
    customerLocation: customerLocation.slice(0, c),
    customerPhone: customerPhone.slice(0, c),
    customerPrefix: customerPrefix.slice(0, c),
    customerOrders: customerOrders.slice(0, c),
    orderCustomer: pick(oCustomer, new Uint32Array(orders)),
    orderCreatedMs: pick(oCreated, new Float64Array(orders)),
    orderKind: pick(oKind, new Uint8Array(orders)),
    orderType: pick(oType, new Uint8Array(orders)),
    orderState: pick(oState, new Uint8Array(orders)),
    orderCodMinor: pick(oCod, new Int32Array(orders)),
    orderProduct: pick(oProduct, new Uint16Array(orders)),
    orderHours: pick(oHours, new Float32Array(orders)),
  };
}

/** The real classification of a planned order (tenant threshold in major units). */
export function classifyPlanned(plan: SeedPlan, i: number, threshold: number) {
  return classifyOrder(
    { typeCode: plan.orderType[i], stateCode: plan.orderState[i], codMinor: plan.orderCodMinor[i] },
    threshold,
  );
}

export { DELIVERABLE_LOCATIONS, SIM_PRODUCTS };
