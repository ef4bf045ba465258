import { startOfLocalDay } from '../orders/order-filters.js';
import { localDay } from '../orders/order-rollups.js';

/** One calendar day of the merchant as a UTC range: `from` inclusive, `before` exclusive. */
export interface DayWindow {
  day: string;
  from: string;
  before: string;
}

/** A local calendar day (YYYY-MM-DD) in a time zone as a UTC range; DST days are 23 or 25 hours long. */
export function dayWindow(day: string, timeZone: string): DayWindow {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { day, from: startOfLocalDay(day, timeZone), before: startOfLocalDay(next, timeZone) };
}

/** "Today" for the desk: the merchant's calendar day that contains `now`, not the server's UTC day. */
export function todayWindow(now: string, timeZone: string): DayWindow {
  return dayWindow(localDay(now, timeZone), timeZone);
}
