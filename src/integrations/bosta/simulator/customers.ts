/**
 * Generated customers: names in Arabic or Latin script, an Egyptian mobile, a deliverable address. Rebuilt on
 * demand from (seed, customer number); nothing is kept in memory.
 */
import { DELIVERABLE_LOCATIONS, DELIVERABLE_WEIGHTS, type SimLocation } from './geography.js';
import type { IdentityScheme } from './identifiers.js';
import { FEMALE_FIRST_NAMES, LANDMARKS, LAST_NAMES, MALE_FIRST_NAMES, STREETS } from './names.js';
import { hash32, Rng } from './prng.js';

export interface CustomerProfile {
  number: number;
  firstName: string;
  lastName: string;
  fullName: string;
  /** E.164 `+201XXXXXXXXX` as Bosta stores it. */
  phone: string;
  /** Local `01XXXXXXXXX`, as merchants type it; absent for most customers. */
  secondPhone?: string;
  location: SimLocation;
  firstLine: string;
  secondLine?: string;
  buildingNumber: string;
  floor: string;
  apartment: string;
  isWorkAddress: boolean;
  /** [lng, lat]. */
  geoLocation: [number, number];
}

const LOCATION_CUMULATIVE: Float64Array = (() => {
  const out = new Float64Array(DELIVERABLE_WEIGHTS.length);
  let acc = 0;
  DELIVERABLE_WEIGHTS.forEach((w, k) => {
    acc += w;
    out[k] = acc;
  });
  return out;
})();

function pickLocation(rng: Rng): SimLocation {
  const r = rng.next() * LOCATION_CUMULATIVE[LOCATION_CUMULATIVE.length - 1];
  let k = 0;
  while (k < LOCATION_CUMULATIVE.length - 1 && LOCATION_CUMULATIVE[k] <= r) k++;
  return DELIVERABLE_LOCATIONS[k];
}

const rng = new Rng();

export function customerProfile(seed: number, ids: IdentityScheme, c: number): CustomerProfile {
  rng.reseed(hash32(seed, 0xc057, c));
  const female = rng.chance(0.45);
  const arabic = rng.chance(0.55);
  const script = arabic ? 1 : 0;
  const first = rng.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES)[script];
  const last = rng.pick(LAST_NAMES)[script];
  const location = pickLocation(rng);
  const street = rng.pick(STREETS)[script];
  const building = String(rng.range(1, 180));
  const landmark = rng.chance(0.4) ? rng.pick(LANDMARKS)[script] : undefined;
  const districtName = arabic ? location.district.nameAr : location.district.name;
  const [lng, lat] = location.city.center;
  const secondPhone = rng.chance(0.2) ? `01${rng.pick(['0', '1', '2', '5'])}${rng.digits(8)}` : undefined;
  return {
    number: c,
    firstName: first,
    lastName: last,
    fullName: `${first} ${last}`,
    phone: ids.customerPhone(c),
    secondPhone,
    location,
    firstLine: `${building} ${street}, ${districtName}`,
    secondLine: landmark,
    buildingNumber: building,
    floor: String(rng.range(0, 12)),
    apartment: String(rng.range(1, 40)),
    isWorkAddress: rng.chance(0.1),
    geoLocation: [round5(lng + (rng.next() - 0.5) * 0.12), round5(lat + (rng.next() - 0.5) * 0.12)],
  };
}

function round5(n: number): number {
  return Math.round(n * 1e5) / 1e5;
}
