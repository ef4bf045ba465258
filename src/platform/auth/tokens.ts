import { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { deriveKey } from './keys.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_DAYS = 30;
/** How many verified access tokens a process remembers by default (~300 bytes each); the oldest goes first. */
const REMEMBERED_TOKENS = 10_000;

/** What an access token says about its bearer. */
export interface AccessClaims {
  userId: number;
  tenantId: number;
  role: string;
}

/** Signs and verifies 15-minute HS256 access tokens with a key derived from APP_SECRET. */
export class AccessTokens {
  // Imported once: given raw bytes, jose would import a CryptoKey on every call (~40 µs a request).
  readonly #key: Promise<webcrypto.CryptoKey>;
  /** Tokens that passed verification, oldest first, with their expiry (seconds). */
  readonly #verified = new Map<string, { claims: AccessClaims; exp: number }>();
  readonly #remember: number;
  constructor(appSecret: string, opts: { remember?: number } = {}) {
    this.#remember = opts.remember ?? REMEMBERED_TOKENS;
    this.#key = webcrypto.subtle.importKey(
      'raw',
      new Uint8Array(deriveKey(appSecret, 'jwt-access-v1')),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
  }
  async sign(claims: AccessClaims, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
    return new SignJWT({ tid: claims.tenantId, role: claims.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(claims.userId))
      .setIssuer('orderloop')
      .setAudience('orderloop-api')
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + ACCESS_TOKEN_TTL_SECONDS)
      .sign(await this.#key);
  }
  /** How many verified tokens are remembered now. */
  get remembered(): number {
    return this.#verified.size;
  }

  /**
   * Returns the claims, or null for an expired, tampered or malformed token. A token checked once is
   * remembered until it expires (the signature of a given string cannot become valid or invalid later), so a
   * session's requests after its first skip the HMAC and its trip through the thread pool.
   */
  async verify(token: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<AccessClaims | null> {
    const known = this.#verified.get(token);
    if (known) {
      if (nowSeconds < known.exp) return known.claims;
      this.#verified.delete(token);
      return null;
    }
    try {
      const { payload } = await jwtVerify(token, await this.#key, {
        issuer: 'orderloop',
        audience: 'orderloop-api',
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
        currentDate: new Date(nowSeconds * 1000),
      });
      const userId = Number(payload.sub);
      const tenantId = Number(payload.tid);
      if (!Number.isInteger(userId) || !Number.isInteger(tenantId) || typeof payload.role !== 'string') return null;
      const claims: AccessClaims = Object.freeze({ userId, tenantId, role: payload.role });
      if (this.#remember > 0) {
        if (this.#verified.size >= this.#remember) this.#verified.delete(this.#verified.keys().next().value as string);
        this.#verified.set(token, { claims, exp: payload.exp as number });
      }
      return claims;
    } catch (e) {
      if (e instanceof errors.JOSEError) return null;
      throw e;
    }
  }
}
