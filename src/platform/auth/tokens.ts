import { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { deriveKey } from './keys.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_DAYS = 30;

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
  constructor(appSecret: string) {
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
  /** Returns the claims, or null for an expired, tampered or malformed token. */
  async verify(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, await this.#key, {
        issuer: 'orderloop',
        audience: 'orderloop-api',
        algorithms: ['HS256'],
      });
      const userId = Number(payload.sub);
      const tenantId = Number(payload.tid);
      if (!Number.isInteger(userId) || !Number.isInteger(tenantId) || typeof payload.role !== 'string') return null;
      return { userId, tenantId, role: payload.role };
    } catch (e) {
      if (e instanceof errors.JOSEError) return null;
      throw e;
    }
  }
}
