/** The slice of an order that daily rollups count. */
export interface RollupFacts {
  createdAt: string;
  city: string | null;
  stateCode: number;
  category: string;
  typeCode: number;
  codMinor: number;
  deliveryHours: number | null;
}

import { summaryMeasures } from './daily-summary.js';

/** A change to one day × city × category summary cell. */
export interface SummaryDelta {
  day: string;
  city: string;
  category: string;
  orders: number;
  delivered: number;
  returned: number;
  failed: number;
  revenueMinor: number;
  refundsMinor: number;
  hoursSum: number;
  hoursCount: number;
}

export interface RollupDelta {
  day: string;
  city: string;
  stateCode: number;
  category: string;
  typeCode: number;
  orders: number;
  codMinor: number;
  deliveryHoursSum: number;
  deliveryHoursCount: number;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function localDay(iso: string, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f.format(new Date(iso));
}

/**
 * Accumulates rollup changes: an order's old facts are subtracted and its new ones added, so the rollups
 * stay exact however often an order changes.
 */
export class RollupDeltas {
  readonly #deltas = new Map<string, RollupDelta>();
  readonly #summary = new Map<string, SummaryDelta>();
  constructor(private readonly timeZone: string) {}

  add(facts: RollupFacts, sign: 1 | -1): void {
    const day = localDay(facts.createdAt, this.timeZone);
    const city = facts.city ?? '';
    const key = `${day}\u0000${city}\u0000${facts.stateCode}\u0000${facts.category}\u0000${facts.typeCode}`;
    let d = this.#deltas.get(key);
    if (!d) {
      d = {
        day,
        city,
        stateCode: facts.stateCode,
        category: facts.category,
        typeCode: facts.typeCode,
        orders: 0,
        codMinor: 0,
        deliveryHoursSum: 0,
        deliveryHoursCount: 0,
      };
      this.#deltas.set(key, d);
    }
    d.orders += sign;
    d.codMinor += sign * facts.codMinor;
    if (facts.deliveryHours !== null) {
      d.deliveryHoursSum += sign * facts.deliveryHours;
      d.deliveryHoursCount += sign;
    }
    const skey = `${day}\u0000${city}\u0000${facts.category}`;
    let sd = this.#summary.get(skey);
    if (!sd) {
      sd = {
        day,
        city,
        category: facts.category,
        orders: 0,
        delivered: 0,
        returned: 0,
        failed: 0,
        revenueMinor: 0,
        refundsMinor: 0,
        hoursSum: 0,
        hoursCount: 0,
      };
      this.#summary.set(skey, sd);
    }
    const m = summaryMeasures(facts);
    sd.orders += sign * m.orders;
    sd.delivered += sign * m.delivered;
    sd.returned += sign * m.returned;
    sd.failed += sign * m.failed;
    sd.revenueMinor += sign * m.revenueMinor;
    sd.refundsMinor += sign * m.refundsMinor;
    sd.hoursSum += sign * m.hoursSum;
    sd.hoursCount += sign * m.hoursCount;
  }

  /** Non-zero summary changes only. */
  summaryList(): SummaryDelta[] {
    return [...this.#summary.values()].filter(
      (d) =>
        d.orders ||
        d.delivered ||
        d.returned ||
        d.failed ||
        d.revenueMinor ||
        d.refundsMinor ||
        d.hoursCount ||
        Math.abs(d.hoursSum) > 1e-9,
    );
  }

  /** Non-zero deltas only. */
  list(): RollupDelta[] {
    return [...this.#deltas.values()].filter(
      (d) => d.orders !== 0 || d.codMinor !== 0 || d.deliveryHoursCount !== 0 || Math.abs(d.deliveryHoursSum) > 1e-9,
    );
  }
}

/** Hours from creation to delivery, or null when not delivered. */
export function deliveryHours(createdAt: string, deliveredAt: string | null): number | null {
  if (!deliveredAt) return null;
  const h = (Date.parse(deliveredAt) - Date.parse(createdAt)) / 3_600_000;
  return Number.isFinite(h) && h >= 0 ? Math.round(h * 100) / 100 : null;
}
