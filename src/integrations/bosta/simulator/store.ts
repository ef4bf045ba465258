/**
 * Compact mutable state of every simulated delivery: typed arrays per slot (state, type, attempts, times, COD,
 * customer) plus an overlay map for deliveries created or changed through the API or the control routes.
 * Generated deliveries are never materialised here; delivery-view.ts rebuilds them from (seed, slot).
 */
import type { BostaAddress, BostaCreateDeliveryInput } from '../types.js';
import { IdentityScheme } from './identifiers.js';
import { hash32, Rng } from './prng.js';
import { currentType, generatedPath, RTO, SEND, type Step, type Transition, timeSteps } from './state-machine.js';
import { UpdatedIndex } from './updated-index.js';

/** What a generated delivery is in the customer's story (sale → after-sales). */
export const ROLE = { SALE: 0, RETURN_PICKUP: 1, MAINTENANCE: 2, SERVICE: 3, REFUND: 4, EXCHANGE: 5 } as const;
export const ROLE_TYPE: readonly number[] = [10, 25, 10, 10, 25, 30];
export const NO_CUSTOMER = -1;

const FLAG_HIDDEN = 1;
const FLAG_CREATED = 2;

/** A delivery created through `POST /deliveries`: its input is the source of truth for the view. */
export interface CreatedDelivery {
  id: string;
  trackingNumber: string;
  input: BostaCreateDeliveryInput;
  apiVersion1: boolean;
  /** Addresses resolved against the geography at creation. */
  dropOffAddress?: BostaAddress;
  pickupAddress?: BostaAddress;
  returnAddress?: BostaAddress;
}

export interface LiveRecord {
  /** Complete history once the delivery changed (generated steps are materialised first). */
  steps: Step[];
  created?: CreatedDelivery;
  /** Fields changed through `PUT /deliveries/{id}`. */
  patch?: Record<string, unknown>;
  /** Extra calls/SMS a touch added. */
  touches: number;
}

export type StepListener = (slot: number, step: Step) => void;

export class DeliveryStore {
  readonly ids: IdentityScheme;
  readonly index: UpdatedIndex;
  size = 0;
  state = new Uint8Array(0);
  type = new Uint8Array(0);
  attempts = new Uint8Array(0);
  role = new Uint8Array(0);
  product = new Uint8Array(0);
  flags = new Uint8Array(0);
  createdAt = new Float64Array(0);
  updatedAt = new Float64Array(0);
  codMinor = new Int32Array(0);
  customer = new Int32Array(0);
  customerFirst = new Uint32Array(0);
  customerCount = new Uint8Array(0);
  customerTotal = 0;
  /** Deliveries added later for an existing customer (not adjacent to the first ones). */
  readonly extraByCustomer = new Map<number, number[]>();
  readonly live = new Map<number, LiveRecord>();
  readonly createdByTrackingNumber = new Map<string, number>();
  readonly createdById = new Map<string, number>();
  /** uniqueBusinessReference → slot, for created deliveries only (generated ones are invertible). */
  readonly uniqueReferences = new Map<string, number>();
  onStep?: StepListener;
  /** Bumped on every change, so cached search results know when they are stale. */
  version = 0;
  hiddenCount = 0;
  private lastClock = 0;
  private createdCounter = 0;
  private readonly rng = new Rng();

  constructor(
    readonly seed: number,
    readonly anchorMs: number,
  ) {
    this.ids = new IdentityScheme(seed);
    this.index = new UpdatedIndex(() => this.updatedAt);
  }

  /** Grows every per-slot array to hold at least `n` slots. */
  ensureCapacity(n: number): void {
    if (n <= this.state.length) return;
    const cap = Math.max(n, Math.ceil(this.state.length * 1.5), 1024);
    const grow = <T extends Uint8Array | Int32Array | Float64Array | Uint32Array>(a: T, make: (len: number) => T) => {
      const b = make(cap);
      b.set(a as never);
      return b;
    };
    this.state = grow(this.state, (l) => new Uint8Array(l));
    this.type = grow(this.type, (l) => new Uint8Array(l));
    this.attempts = grow(this.attempts, (l) => new Uint8Array(l));
    this.role = grow(this.role, (l) => new Uint8Array(l));
    this.product = grow(this.product, (l) => new Uint8Array(l));
    this.flags = grow(this.flags, (l) => new Uint8Array(l));
    this.createdAt = grow(this.createdAt, (l) => new Float64Array(l));
    this.updatedAt = grow(this.updatedAt, (l) => new Float64Array(l));
    this.codMinor = grow(this.codMinor, (l) => new Int32Array(l));
    this.customer = grow(this.customer, (l) => new Int32Array(l));
  }

  ensureCustomerCapacity(n: number): void {
    if (n <= this.customerFirst.length) return;
    const cap = Math.max(n, Math.ceil(this.customerFirst.length * 1.5), 1024);
    const first = new Uint32Array(cap);
    first.set(this.customerFirst);
    const count = new Uint8Array(cap);
    count.set(this.customerCount);
    this.customerFirst = first;
    this.customerCount = count;
  }

  /** Monotonic clock: never behind real time nor behind any stored `updatedAt`. */
  now(): number {
    const t = Math.max(Date.now(), this.lastClock + 1, this.anchorMs + 1);
    this.lastClock = t;
    return t;
  }

  isVisible(slot: number): boolean {
    return slot >= 0 && slot < this.size && (this.flags[slot] & FLAG_HIDDEN) === 0;
  }

  isCreated(slot: number): boolean {
    return (this.flags[slot] & FLAG_CREATED) !== 0;
  }

  trackingNumberOf(slot: number): string {
    return this.live.get(slot)?.created?.trackingNumber ?? this.ids.trackingNumber(slot);
  }

  idOf(slot: number): string {
    return this.live.get(slot)?.created?.id ?? this.ids.deliveryId(slot);
  }

  /** Slot of a tracking number (visible or not), or -1. */
  slotOfTrackingNumber(tn: string): number {
    const created = this.createdByTrackingNumber.get(tn);
    if (created !== undefined) return created;
    const slot = this.ids.indexOfTrackingNumber(tn);
    return slot >= 0 && slot < this.size && !this.isCreated(slot) ? slot : -1;
  }

  slotOfId(id: string): number {
    const created = this.createdById.get(id);
    if (created !== undefined) return created;
    const slot = this.ids.indexOfDeliveryId(id);
    return slot >= 0 && slot < this.size && !this.isCreated(slot) ? slot : -1;
  }

  /** First delivery of the slot's customer (the original sale), or the slot itself. */
  parentOf(slot: number): number {
    const c = this.customer[slot];
    return c === NO_CUSTOMER ? slot : this.customerFirst[c];
  }

  /** Every slot of a customer, oldest first. */
  slotsOfCustomer(c: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.customerCount[c]; k++) out.push(this.customerFirst[c] + k);
    return out.concat(this.extraByCustomer.get(c) ?? []);
  }

  /** Generated deliveries carry order references, except a few created from the dashboard without one. */
  hasGeneratedReference(slot: number): boolean {
    return hash32(this.seed, slot, 0x4ef) % 100 < 92;
  }

  /** Whether a uniqueBusinessReference is held by a delivery that is not terminated. */
  isReferenceTaken(reference: string): boolean {
    const created = this.uniqueReferences.get(reference);
    if (created !== undefined) return this.state[created] !== 48 && this.isVisible(created);
    const slot = this.ids.indexOfReference(reference);
    return (
      slot >= 0 &&
      slot < this.size &&
      !this.isCreated(slot) &&
      this.hasGeneratedReference(slot) &&
      this.state[slot] !== 48 &&
      this.isVisible(slot)
    );
  }

  /** Type the delivery was created with (an RTO was a SEND). */
  initialTypeOf(slot: number): number {
    const created = this.live.get(slot)?.created;
    if (created) return created.input.type;
    return this.type[slot] === RTO ? SEND : ROLE_TYPE[this.role[slot]];
  }

  /** Full history: the overlay's when changed, otherwise regenerated from the seed. */
  stepsOf(slot: number): Step[] {
    const live = this.live.get(slot);
    if (live) return live.steps;
    return this.generatedSteps(slot);
  }

  private generatedSteps(slot: number): Step[] {
    const type = this.type[slot];
    const state = this.state[slot];
    const success = (type === SEND && state === 45) || ((type === 25 || type === 30) && state === 46) ? 1 : 0;
    const failed = Math.max(0, this.attempts[slot] - success);
    const codes = generatedPath(type, state, type === RTO ? Math.max(1, failed) : failed);
    const created = this.createdAt[slot];
    const updated = this.updatedAt[slot];
    // Delivered/returned deliveries are updated again when their cash cycle runs.
    const lastAt = state === 45 || state === 46 ? Math.round(created + (updated - created) * 0.8) : updated;
    this.rng.reseed(hash32(this.seed, 0x5e7, slot));
    return timeSteps(type, codes, created, lastAt, this.rng);
  }

  private ensureLive(slot: number): LiveRecord {
    let live = this.live.get(slot);
    if (!live) {
      live = { steps: this.generatedSteps(slot), touches: 0 };
      this.live.set(slot, live);
    }
    return live;
  }

  /** Applies transitions in order (each one a state change with its own instant) and reports each step. */
  applyTransitions(slot: number, transitions: readonly Transition[]): Step[] {
    const live = this.ensureLive(slot);
    const applied: Step[] = [];
    for (const t of transitions) {
      const step: Step = { code: t.code, at: this.now() };
      if (t.typeCode !== undefined) step.typeCode = t.typeCode;
      if (t.exceptionCode !== undefined) step.exceptionCode = t.exceptionCode;
      if (t.exceptionReason !== undefined) step.exceptionReason = t.exceptionReason;
      live.steps.push(step);
      applied.push(step);
      this.version++;
      this.state[slot] = step.code;
      this.type[slot] = currentType(this.initialTypeOf(slot), live.steps);
      this.attempts[slot] = Math.min(255, countAttempts(this.type[slot], live.steps));
      this.updatedAt[slot] = step.at;
      this.index.touch(slot);
      this.onStep?.(slot, step);
    }
    return applied;
  }

  /** Something changed without a state change (a call, an SMS, a cash-cycle update). */
  touch(slot: number): void {
    const live = this.ensureLive(slot);
    live.touches++;
    this.version++;
    this.updatedAt[slot] = this.now();
    this.index.touch(slot);
  }

  /** Records a PUT patch and moves the delivery to the top of `-updatedAt`. */
  patch(slot: number, fields: Record<string, unknown>): void {
    const live = this.ensureLive(slot);
    live.patch = { ...live.patch, ...fields };
    this.version++;
    if (typeof fields.cod === 'number') this.codMinor[slot] = Math.round(fields.cod * 100);
    this.updatedAt[slot] = this.now();
    this.index.touch(slot);
  }

  hide(slot: number): void {
    if (!this.isVisible(slot)) return;
    this.flags[slot] |= FLAG_HIDDEN;
    this.hiddenCount++;
    this.version++;
    this.index.remove(slot);
  }

  /** Appends a delivery created through the API (state 10, `updatedAt` = now). */
  addCreated(
    input: BostaCreateDeliveryInput,
    apiVersion1: boolean,
    addresses: Pick<CreatedDelivery, 'dropOffAddress' | 'pickupAddress' | 'returnAddress'>,
  ): number {
    const slot = this.size;
    this.ensureCapacity(slot + 1);
    this.size++;
    this.version++;
    const at = this.now();
    this.rng.reseed(hash32(this.seed, 0xc4ea7e, ++this.createdCounter));
    const trackingNumber = String(1_000_000 + ((hash32(this.seed, 0x7) % 4_000_000) + this.createdCounter));
    const id = this.rng.chars(21, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-');
    this.flags[slot] = FLAG_CREATED;
    this.state[slot] = 10;
    this.type[slot] = input.type;
    this.attempts[slot] = 0;
    this.customer[slot] = NO_CUSTOMER;
    this.createdAt[slot] = at;
    this.updatedAt[slot] = at;
    this.codMinor[slot] = Math.round((input.cod ?? 0) * 100);
    this.live.set(slot, {
      steps: [{ code: 10, at }],
      created: { id, trackingNumber, input, apiVersion1, ...addresses },
      touches: 0,
    });
    this.createdByTrackingNumber.set(trackingNumber, slot);
    this.createdById.set(id, slot);
    if (input.uniqueBusinessReference) this.uniqueReferences.set(input.uniqueBusinessReference, slot);
    this.index.touch(slot);
    return slot;
  }

  /** Frees a terminated delivery's uniqueBusinessReference (§5.1). */
  releaseReference(slot: number): void {
    const ref = this.live.get(slot)?.created?.input.uniqueBusinessReference;
    if (ref && this.uniqueReferences.get(ref) === slot) this.uniqueReferences.delete(ref);
  }
}

/** Attempts made so far: every exception plus the final successful hand-over or pickup. */
export function countAttempts(type: number, steps: readonly Step[]): number {
  let n = 0;
  for (let k = 0; k < steps.length; k++) {
    const code = steps[k].code;
    if (code === 47 || code === 45 || (code === 23 && type === 25)) n++;
    // An exchange succeeds when the courier comes back from the customer (41 → 46) with the old unit.
    else if (code === 46 && type === 30 && steps[k - 1]?.code === 41) n++;
  }
  return n;
}
