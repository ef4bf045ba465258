/**
 * Deterministic population of the simulator for a seed: customers with one order, or (about a third of them)
 * a history of 2–5 orders that follows a sale with maintenance, service, return pickup, refund or exchange
 * orders months apart. Only a few numbers per delivery are drawn here; details are rebuilt on demand.
 */
import { PRODUCT_WEIGHTS, REPAIR_FEES, SIM_PRODUCTS } from './catalogue.js';
import { hash32, Rng } from './prng.js';
import { CRP, EXCHANGE, RTO, SEND, SUCCESS_PATHS } from './state-machine.js';
import { type DeliveryStore, ROLE, ROLE_TYPE } from './store.js';

const DAY = 86_400_000;
const HISTORY_SPAN = 365 * DAY;
const MULTI_ORDER_SHARE = 0.36;

/** Roles after the first sale: return pickup, maintenance, service, refund, exchange, repeat sale. */
const FOLLOW_UP_ROLES = [ROLE.RETURN_PICKUP, ROLE.MAINTENANCE, ROLE.SERVICE, ROLE.REFUND, ROLE.EXCHANGE, ROLE.SALE];
const FOLLOW_UP_WEIGHTS = [25, 18, 15, 10, 15, 17];

const PRODUCT_CUMULATIVE: number[] = PRODUCT_WEIGHTS.reduce<number[]>((acc, w) => {
  acc.push((acc[acc.length - 1] ?? 0) + w);
  return acc;
}, []);

function pickProduct(rng: Rng): number {
  const r = rng.next() * PRODUCT_CUMULATIVE[PRODUCT_CUMULATIVE.length - 1];
  let k = 0;
  while (k < PRODUCT_CUMULATIVE.length - 1 && PRODUCT_CUMULATIVE[k] <= r) k++;
  return k;
}

export interface SaleDetails {
  quantity: number;
  /** Paid online: the courier collects nothing. */
  prepaid: boolean;
  /** Shipping added on top of the price. */
  shippingEgp: number;
}

const detailRng = new Rng();

/** Quantity and payment details of a sale, rebuilt from (seed, slot) by the population and by the view. */
export function saleDetails(seed: number, slot: number): SaleDetails {
  detailRng.reseed(hash32(seed, 0x5a1e, slot));
  return {
    quantity: detailRng.chance(0.08) ? 2 : 1,
    prepaid: detailRng.chance(0.03),
    shippingEgp: detailRng.chance(0.3) ? detailRng.pick([45, 50, 60, 65]) : 0,
  };
}

function codFor(seed: number, slot: number, role: number, product: number, rng: Rng): number {
  const price = SIM_PRODUCTS[product].price;
  switch (role) {
    case ROLE.SALE: {
      const d = saleDetails(seed, slot);
      return d.prepaid ? 0 : price * d.quantity + d.shippingEgp;
    }
    case ROLE.MAINTENANCE:
      return rng.pick(REPAIR_FEES);
    case ROLE.REFUND:
      return -Math.min(2000, Math.round((price * (0.5 + rng.next() * 0.5)) / 50) * 50);
    case ROLE.EXCHANGE:
      return rng.chance(0.7) ? 0 : rng.pick([100, 150, 200, 250, 300]);
    default:
      return 0;
  }
}

interface PlannedState {
  state: number;
  type: number;
  failed: number;
  updatedAt: number;
}

/** Final or in-flight state of a delivery created at `createdAt`, given the simulator's "now" (`anchor`). */
function planState(type: number, createdAt: number, anchor: number, rng: Rng): PlannedState {
  const age = anchor - createdAt;
  const days = type === SEND ? 1.5 + rng.next() * 3.5 : type === CRP ? 2 + rng.next() * 5 : 2 + rng.next() * 4;
  const duration = days * DAY;
  if (age < duration) {
    const path = SUCCESS_PATHS[type].slice(0, -1);
    let state = path[Math.min(path.length - 1, Math.floor((age / duration) * path.length))];
    let failed = 0;
    const r = rng.next();
    if ((state === 41 && type !== CRP) || (state === 22 && type === CRP)) {
      if (r < 0.22) state = 47;
      if (r < 0.32) failed = 1;
    }
    return { state, type, failed, updatedAt: createdAt + age * (0.35 + 0.6 * rng.next()) };
  }
  const r = rng.next();
  let state: number;
  let finalType = type;
  let failed = 0;
  if (type === SEND) {
    if (r < 0.8) [state, failed] = [45, rng.weighted([82, 13, 5])];
    else if (r < 0.91) [state, finalType, failed] = [46, RTO, 1 + rng.int(3)];
    else if (r < 0.96) state = 48;
    else if (r < 0.975) state = 49;
    else if (r < 0.985) state = 100;
    else if (r < 0.995) state = 101;
    else [state, failed] = [47, 1 + rng.int(2)];
  } else {
    if (r < 0.85) [state, failed] = [46, rng.weighted([85, 15])];
    else if (r < 0.93) state = 48;
    else if (r < 0.98) [state, failed] = [49, 1 + rng.int(3)];
    else [state, failed] = [47, 1];
  }
  let updatedAt: number;
  if (state === 48) updatedAt = createdAt + DAY * (0.02 + rng.next());
  else if (state === 45 || state === 46) updatedAt = createdAt + duration + DAY * (0.5 + rng.next() * 4.5);
  else updatedAt = createdAt + duration * (0.6 + 0.4 * rng.next());
  return { state, type: finalType, failed, updatedAt: Math.min(updatedAt, anchor - rng.int(60_000)) };
}

function isSuccess(type: number, state: number): boolean {
  return (type === SEND && state === 45) || ((type === CRP || type === EXCHANGE) && state === 46);
}

function initSlot(
  store: DeliveryStore,
  slot: number,
  c: number,
  role: number,
  parent: number,
  createdAt: number,
  rng: Rng,
) {
  const type = ROLE_TYPE[role];
  const product = role === ROLE.SALE || parent === slot ? pickProduct(rng) : store.product[parent];
  const plan = planState(type, createdAt, store.anchorMs, rng);
  store.customer[slot] = c;
  store.role[slot] = role;
  store.product[slot] = product;
  store.type[slot] = plan.type;
  store.state[slot] = plan.state;
  store.attempts[slot] = plan.failed + (isSuccess(plan.type, plan.state) ? 1 : 0);
  store.createdAt[slot] = Math.round(createdAt);
  store.updatedAt[slot] = Math.max(Math.round(plan.updatedAt), Math.round(createdAt) + 1000);
  store.codMinor[slot] = Math.round(codFor(store.seed, slot, role, product, rng) * 100);
}

/** Fills an empty store with `count` generated deliveries. */
export function populate(store: DeliveryStore, count: number): void {
  store.ensureCapacity(count);
  store.ensureCustomerCapacity(count);
  const rng = new Rng(hash32(store.seed, 0xc0ffee));
  const anchor = store.anchorMs;
  let slot = 0;
  let c = 0;
  while (slot < count) {
    const k = Math.min(rng.chance(MULTI_ORDER_SHARE) ? rng.range(2, 5) : 1, count - slot);
    store.customerFirst[c] = slot;
    store.customerCount[c] = k;
    const room = (k - 1) * 12 * DAY;
    const firstAge = k === 1 ? HISTORY_SPAN * rng.next() ** 2 : room + (HISTORY_SPAN - room) * rng.next() ** 1.2;
    let t = anchor - firstAge;
    let previousRole: number = ROLE.SALE;
    for (let p = 0; p < k; p++) {
      let role: number = ROLE.SALE;
      if (p > 0) {
        const remaining = anchor - t;
        t += Math.max(Math.min(DAY, remaining / 2), (remaining * (0.15 + 0.55 * rng.next())) / (k - p));
        // A unit picked up for repair usually comes back as a paid maintenance delivery.
        role =
          previousRole === ROLE.RETURN_PICKUP && rng.chance(0.6)
            ? ROLE.MAINTENANCE
            : FOLLOW_UP_ROLES[rng.weighted(FOLLOW_UP_WEIGHTS)];
      }
      initSlot(store, slot + p, c, role, slot, t, rng);
      previousRole = role;
    }
    slot += k;
    c++;
  }
  store.size = count;
  store.customerTotal = c;
}

/**
 * Appends `n` new deliveries created "now" (state 10): most for new customers, some as follow-ups of existing
 * customers' sales. Returns their slots.
 */
export function addGeneratedDeliveries(store: DeliveryStore, n: number, rng: Rng): number[] {
  const slots: number[] = [];
  store.ensureCapacity(store.size + n);
  for (let k = 0; k < n; k++) {
    const slot = store.size;
    const at = store.now();
    let c: number;
    let role: number = ROLE.SALE;
    if (store.customerTotal > 0 && rng.chance(0.3)) {
      c = rng.int(store.customerTotal);
      role = FOLLOW_UP_ROLES[rng.weighted(FOLLOW_UP_WEIGHTS)];
      const extra = store.extraByCustomer.get(c) ?? [];
      extra.push(slot);
      store.extraByCustomer.set(c, extra);
    } else {
      c = store.customerTotal++;
      store.ensureCustomerCapacity(c + 1);
      store.customerFirst[c] = slot;
      store.customerCount[c] = 1;
    }
    const parent = store.customerFirst[c];
    store.customer[slot] = c;
    store.role[slot] = role;
    store.product[slot] = role === ROLE.SALE ? pickProduct(rng) : store.product[parent];
    store.type[slot] = ROLE_TYPE[role];
    store.state[slot] = 10;
    store.attempts[slot] = 0;
    store.createdAt[slot] = at;
    store.updatedAt[slot] = at;
    store.codMinor[slot] = Math.round(codFor(store.seed, slot, role, store.product[slot], rng) * 100);
    store.size++;
    store.version++;
    store.live.set(slot, { steps: [{ code: 10, at }], touches: 0 });
    store.index.touch(slot);
    slots.push(slot);
  }
  return slots;
}
