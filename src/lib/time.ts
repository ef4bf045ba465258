/** Current time as a UTC ISO-8601 string; the one clock call that rules must receive, not make. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Adds milliseconds to an ISO timestamp. */
export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** Normalises any date input that Date can parse to a UTC ISO string, or null. */
export function toIso(value: string | number | Date | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  const t = d.getTime();
  return Number.isFinite(t) ? d.toISOString() : null;
}
