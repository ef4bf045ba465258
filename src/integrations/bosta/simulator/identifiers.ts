/**
 * Invertible identifiers of generated deliveries and customers, so lookups by tracking number, `_id`, phone
 * or order reference need no per-delivery map (1M deliveries must fit in little memory).
 *  - tracking number: 8 digits, an affine permutation of the index modulo 90,000,000;
 *  - `_id`: 21 characters, 16 seeded random ones plus 5 encoding a scrambled index;
 *  - phone: `+201P` + 8 digits, an affine permutation of the customer number modulo 10^8;
 *  - order reference: `#` + (100001 + index).
 */
import { hash32, ID_ALPHABET, Rng } from './prng.js';

const TN_SPACE = 90_000_000;
const TN_BASE = 10_000_000;
const TN_MULT = 7_777_777; // coprime with 90,000,000 (= 2^7·3^2·5^7)
const PHONE_SPACE = 100_000_000;
const PHONE_MULT = 54_435_761; // odd and not a multiple of 5: coprime with 10^8
const ID_MASK = 0x3fffffff;
export const ORDER_NUMBER_BASE = 100_001;

function modInverse(a: number, m: number): number {
  let [oldR, r] = [BigInt(a), BigInt(m)];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  const bm = BigInt(m);
  return Number(((oldS % bm) + bm) % bm);
}

const TN_INV = modInverse(TN_MULT, TN_SPACE);
const PHONE_INV = modInverse(PHONE_MULT, PHONE_SPACE);

/** Inverse of an odd multiplier modulo 2^30 (Newton iteration). */
function oddInverse30(a: number): number {
  let x = a;
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(a, x)) & ID_MASK;
  return x & ID_MASK;
}

const ID_SCRAMBLE = (0x2545f491 & ID_MASK) | 1;
const ID_UNSCRAMBLE = oddInverse30(ID_SCRAMBLE);
const PHONE_PREFIXES = ['0', '1', '2', '5'] as const; // Vodafone, e&, Orange, WE
const PREFIX_WEIGHTS = [40, 20, 25, 15];

/** Multiplies two numbers below 2^27 modulo m without losing precision. */
function mulMod(a: number, b: number, m: number): number {
  return Number((BigInt(a) * BigInt(b)) % BigInt(m));
}

export class IdentityScheme {
  private readonly tnOffset: number;
  private readonly phoneOffset: number;
  private readonly idKey: number;
  private readonly seed: number;
  private readonly rng = new Rng();

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.tnOffset = hash32(seed, 0x7417) % TN_SPACE;
    this.phoneOffset = hash32(seed, 0x9407) % PHONE_SPACE;
    this.idKey = hash32(seed, 0x1d) & ID_MASK;
  }

  trackingNumber(index: number): string {
    return String(TN_BASE + ((index * TN_MULT + this.tnOffset) % TN_SPACE));
  }

  /** Index of a generated tracking number, or -1 (range checks are the caller's). */
  indexOfTrackingNumber(tn: string): number {
    if (!/^\d{8}$/.test(tn)) return -1;
    const x = (Number(tn) - TN_BASE - this.tnOffset + 2 * TN_SPACE) % TN_SPACE;
    return mulMod(x, TN_INV, TN_SPACE);
  }

  deliveryId(index: number): string {
    const head = this.rng.reseed(hash32(this.seed, 0x1d1d, index)).chars(16, ID_ALPHABET);
    let s = Math.imul((index ^ this.idKey) & ID_MASK, ID_SCRAMBLE) & ID_MASK;
    let tail = '';
    for (let k = 0; k < 5; k++) {
      tail += ID_ALPHABET[s & 63];
      s >>>= 6;
    }
    return head + tail;
  }

  /** Index encoded in a generated `_id`, or -1. The caller confirms with deliveryId(index) === id. */
  indexOfDeliveryId(id: string): number {
    if (id.length !== 21) return -1;
    let s = 0;
    for (let k = 4; k >= 0; k--) {
      const v = ID_ALPHABET.indexOf(id[16 + k]);
      if (v < 0) return -1;
      s = (s << 6) | v;
    }
    const index = ((Math.imul(s & ID_MASK, ID_UNSCRAMBLE) & ID_MASK) ^ this.idKey) & ID_MASK;
    return this.deliveryId(index) === id ? index : -1;
  }

  /** E.164 phone of customer `c`: `+201P########`. */
  customerPhone(c: number): string {
    const rest = (c * PHONE_MULT + this.phoneOffset) % PHONE_SPACE;
    return `+201${this.prefixOf(rest)}${String(rest).padStart(8, '0')}`;
  }

  /** Customer number behind the last 10 digits of a phone (`1P########`), or -1. */
  customerOfNational(national10: string): number {
    if (!/^1[0125]\d{8}$/.test(national10)) return -1;
    const rest = Number(national10.slice(2));
    if (this.prefixOf(rest) !== national10[1]) return -1;
    const x = (rest - this.phoneOffset + PHONE_SPACE) % PHONE_SPACE;
    return mulMod(x, PHONE_INV, PHONE_SPACE);
  }

  orderNumber(index: number): number {
    return ORDER_NUMBER_BASE + index;
  }

  /** Index behind a generated order reference `#NNNNNN`, or -1. */
  indexOfReference(reference: string): number {
    const m = /^#(\d{6,9})$/.exec(reference);
    return m ? Number(m[1]) - ORDER_NUMBER_BASE : -1;
  }

  private prefixOf(rest: number): string {
    const r = hash32(rest, this.seed, 0x5) % 100;
    let acc = 0;
    for (let k = 0; k < PREFIX_WEIGHTS.length; k++) {
      acc += PREFIX_WEIGHTS[k];
      if (r < acc) return PHONE_PREFIXES[k];
    }
    return PHONE_PREFIXES[0];
  }
}

/** Last 10 digits of any phone form (`+201…`, `201…`, `01…`, `00201…`, `1…`), or '' when too short. */
export function nationalKey(phone: string): string {
  const digits = String(phone).replace(/\D/g, '');
  return digits.length >= 10 ? digits.slice(-10) : '';
}
