import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** Derives a purpose-specific 32-byte key from APP_SECRET so one secret never serves two uses. */
export function deriveKey(appSecret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, 'orderloop', purpose, 32));
}

/** SHA-256 hex of a high-entropy token (refresh tokens, API keys): fast to look up, useless if leaked. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function hmacSha256Hex(key: string | Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) return false;
  return timingSafeEqual(ab, bb);
}
