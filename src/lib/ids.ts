import { randomBytes } from 'node:crypto';

/** A random URL-safe token of the given byte length. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A short human-readable reference such as "SA-7KQ3M9": unambiguous letters and digits. */
export function shortRef(prefix: string, length = 8): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return `${prefix}-${out}`;
}
