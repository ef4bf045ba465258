/** Fast UTC time formatting for rendering many documents (the simulator's hot path). */

const DAY_MS = 86_400_000;
const dayPrefixes = new Map<number, string>();

function dayPrefix(day: number): string {
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size > 10_000) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  return prefix;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `Date#toISOString()` without the Date: the hot path of building thousands of documents per second. */
export function iso(ms: number): string {
  const t = Math.round(ms);
  const day = Math.floor(t / DAY_MS);
  let rest = t - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  return `${dayPrefix(day)}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/** End of the Cairo day after `ms` (+`days`), as Bosta writes `scheduledAt` and SLA stamps. */
export function cairoEndOfDay(ms: number, days: number): string {
  return `${dayPrefix(Math.floor((ms + days * DAY_MS) / DAY_MS))}20:59:59.999Z`;
}
