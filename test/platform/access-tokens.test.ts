import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { deriveKey } from '../../src/platform/auth/keys.js';
import { ACCESS_TOKEN_TTL_SECONDS, AccessTokens } from '../../src/platform/auth/tokens.js';

const SECRET = 'access-tokens-test-secret-access-tokens-test-secret';
const T = 1_800_000_000;

describe('AccessTokens', () => {
  it('remembers a verified token until the second its expiry, the same boundary as a fresh check', async () => {
    const tokens = new AccessTokens(SECRET);
    const token = await tokens.sign({ userId: 7, tenantId: 3, role: 'agent' }, T);
    const exp = T + ACCESS_TOKEN_TTL_SECONDS;
    expect(await tokens.verify(token, T + 1)).toEqual({ userId: 7, tenantId: 3, role: 'agent' });
    expect(tokens.remembered).toBe(1);
    expect(await tokens.verify(token, exp - 1)).toEqual({ userId: 7, tenantId: 3, role: 'agent' });
    expect(tokens.remembered).toBe(1);
    // A process that never saw the token draws the line at the same second.
    const fresh = new AccessTokens(SECRET, { remember: 0 });
    expect(await fresh.verify(token, exp - 1)).not.toBeNull();
    expect(await fresh.verify(token, exp)).toBeNull();
    expect(fresh.remembered).toBe(0);
    expect(await tokens.verify(token, exp)).toBeNull();
    expect(tokens.remembered).toBe(0);
    expect(await tokens.verify(token, exp + 60)).toBeNull();
  });

  it('never lets a remembered token vouch for a tampered or foreign one', async () => {
    const tokens = new AccessTokens(SECRET);
    const token = await tokens.sign({ userId: 7, tenantId: 3, role: 'agent' }, T);
    expect(await tokens.verify(token, T)).not.toBeNull();
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'owner' }),
    );
    expect(await tokens.verify(`${h}.${forged.toString('base64url')}.${s}`, T)).toBeNull();
    const flipped = s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1);
    expect(await tokens.verify(`${h}.${p}.${flipped}`, T)).toBeNull();
    const other = await new AccessTokens(`${SECRET}-other`).sign({ userId: 7, tenantId: 3, role: 'owner' }, T);
    expect(await tokens.verify(other, T)).toBeNull();
    expect(tokens.remembered).toBe(1);
    // Signed with the right key but without an expiry: refused, so nothing is remembered forever.
    const endless = await new SignJWT({ tid: 3, role: 'owner' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('7')
      .setIssuer('orderloop')
      .setAudience('orderloop-api')
      .setIssuedAt(T)
      .sign(new Uint8Array(deriveKey(SECRET, 'jwt-access-v1')));
    expect(await tokens.verify(endless, T)).toBeNull();
    expect(tokens.remembered).toBe(1);
  });

  it('remembers at most its bound, forgetting the oldest first; a forgotten token is checked again', async () => {
    const tokens = new AccessTokens(SECRET, { remember: 2 });
    const signed = await Promise.all(
      [1, 2, 3].map((userId) => tokens.sign({ userId, tenantId: 1, role: 'viewer' }, T)),
    );
    for (const t of signed) expect(await tokens.verify(t, T)).not.toBeNull();
    expect(tokens.remembered).toBe(2);
    // The first was forgotten: verified afresh (still valid), it pushes out the second.
    expect(await tokens.verify(signed[0], T + 5)).toEqual({ userId: 1, tenantId: 1, role: 'viewer' });
    expect(tokens.remembered).toBe(2);
    expect(await tokens.verify(signed[2], T + ACCESS_TOKEN_TTL_SECONDS)).toBeNull();
    expect(tokens.remembered).toBe(1);
  });
});
