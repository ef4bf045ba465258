/**
 * Reading Bosta's time values (§4.3): `createdAt`/`updatedAt` come as JS `Date.toString()` strings
 * ("Sun Jul 20 2025 09:45:51 GMT+0000 (Coordinated Universal Time)"), everything else as ISO UTC, and
 * `creationTimestamp`/`timeStamp` as epoch milliseconds (sometimes as strings).
 */

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

// "Sun Jul 20 2025 09:45:51 GMT+0200 (Eastern European Standard Time)"; the weekday and zone name are optional.
const TO_STRING_FORM =
  /^(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})\s+(\d{1,2}),?\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?\s*(?:(?:GMT|UTC)\s*([+-])(\d{2}):?(\d{2})|(GMT|UTC|Z))?/;

const ISO_FORM = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

function fromToStringForm(text: string): number | undefined {
  const m = TO_STRING_FORM.exec(text);
  if (!m) return undefined;
  const month = MONTHS[m[1].toLowerCase()];
  if (month === undefined) return undefined;
  const utc = Date.UTC(
    Number(m[3]),
    month,
    Number(m[2]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
    Number((m[7] ?? '0').padEnd(3, '0')),
  );
  if (m[8]) {
    const offsetMin = (Number(m[9]) * 60 + Number(m[10])) * (m[8] === '-' ? -1 : 1);
    return utc - offsetMin * 60_000;
  }
  // No zone at all: Bosta's servers run in UTC, so read it as UTC rather than in this machine's zone.
  return utc;
}

/** Epoch milliseconds of any Bosta time value, or undefined when it cannot be read. */
export function parseBostaTimeMs(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? normaliseEpoch(value) : undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d{9,14}$/.test(text)) return normaliseEpoch(Number(text));
  if (ISO_FORM.test(text)) {
    // An ISO value without a zone is UTC at Bosta.
    const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) && text.length > 10;
    const ms = Date.parse(hasZone || text.length === 10 ? text : `${text.replace(' ', 'T')}Z`);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const ms = fromToStringForm(text);
  if (ms !== undefined && !Number.isNaN(ms)) return ms;
  const fallback = Date.parse(text);
  return Number.isNaN(fallback) ? undefined : fallback;
}

/** ISO-8601 UTC string of any Bosta time value, or undefined. */
export function parseBostaTime(value: unknown): string | undefined {
  const ms = parseBostaTimeMs(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** Epoch seconds (10 digits) are read as seconds; everything else as milliseconds. */
function normaliseEpoch(n: number): number {
  return n < 100_000_000_000 ? n * 1000 : n;
}

/**
 * Formats an instant the way Bosta formats `createdAt`/`updatedAt` (JS `Date.toString()` of a UTC server),
 * independent of this machine's time zone. Used by the simulator.
 */
export function formatBostaDateString(ms: number): string {
  const d = new Date(ms);
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${weekday} ${month} ${p2(d.getUTCDate())} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(
    d.getUTCMinutes(),
  )}:${p2(d.getUTCSeconds())} GMT+0000 (Coordinated Universal Time)`;
}
