/** Converts a decimal amount in major units (e.g. 1450.5 EGP) to integer minor units (145050). */
export function toMinor(amount: number | string | null | undefined): number {
  if (amount === null || amount === undefined || amount === '') return 0;
  const n = typeof amount === 'number' ? amount : Number(amount);
  if (!Number.isFinite(n)) return 0;
  return Math.round(n * 100);
}

/** Converts integer minor units to the decimal amount the API speaks. */
export function fromMinor(minor: number | null | undefined): number {
  if (minor === null || minor === undefined) return 0;
  return Math.round(Number(minor)) / 100;
}
