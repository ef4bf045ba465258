import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { randomToken } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';
import { dummyHash, verifyPassword } from '../../platform/auth/passwords.js';
import { sha256 } from '../../platform/auth/keys.js';
import { ACCESS_TOKEN_TTL_SECONDS, type AccessTokens, REFRESH_TOKEN_TTL_DAYS } from '../../platform/auth/tokens.js';
import { bool } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { badRequest, tooManyRequests, unauthorized } from '../../platform/http/errors.js';
import { findLoginCandidates, touchLogin } from '../users/users.repo.js';
import { clearFailures, type LockoutPolicy, lockedFor, recordFailure } from './login-lockout.js';
import { claimRefreshToken, findRefreshToken, insertRefreshToken, revokeFamily } from './refresh-tokens.repo.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export type LoginOutcome =
  | { ok: true; tokens: TokenPair; userId: number; tenantId: number }
  | { ok: false; reason: 'bad_credentials' | 'inactive'; userId: number | null; tenantId: number | null };

async function issue(
  db: Kysely<DB>,
  tokens: AccessTokens,
  u: { userId: number; tenantId: number; role: string },
  familyId: string,
): Promise<TokenPair> {
  const refreshToken = `olr_${randomToken(32)}`;
  const now = nowIso();
  await insertRefreshToken(db, {
    tenantId: u.tenantId,
    userId: u.userId,
    familyId,
    tokenHash: sha256(refreshToken),
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_DAYS * 86_400_000).toISOString(),
    now,
  });
  return { accessToken: await tokens.sign(u), refreshToken, tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/**
 * Checks a password login. Locked keys get 429 with the seconds to wait; an unknown email costs the same
 * argon2 work as a known one, so response time does not reveal which emails exist.
 */
export async function login(
  db: Kysely<DB>,
  tokens: AccessTokens,
  policy: LockoutPolicy,
  input: { email: string; password: string; tenant?: string },
): Promise<LoginOutcome> {
  const email = input.email.trim().toLowerCase();
  const lockKey = `login:${input.tenant ?? '*'}:${email}`;
  const wait = await lockedFor(db, lockKey, new Date());
  if (wait > 0) throw tooManyRequests(`Too many failed logins; try again in ${wait} s`, wait);
  const candidates = await findLoginCandidates(db, email, input.tenant);
  if (candidates.length > 1) {
    throw badRequest('tenant_required', 'This email belongs to several tenants; send "tenant" (its slug) too');
  }
  const user = candidates[0];
  // An unknown email costs one argon2 verification too, so timing does not reveal which emails exist.
  const valid = (await verifyPassword(user ? user.password_hash : await dummyHash(), input.password)) && Boolean(user);
  if (!user || !valid || !bool(user.active)) {
    await recordFailure(db, lockKey, new Date(), policy);
    return {
      ok: false,
      reason: user && valid ? 'inactive' : 'bad_credentials',
      userId: user?.id ?? null,
      tenantId: user?.tenant_id ?? null,
    };
  }
  await clearFailures(db, lockKey);
  await touchLogin(db, user.id, nowIso());
  const pair = await issue(db, tokens, { userId: user.id, tenantId: user.tenant_id, role: user.role }, randomUUID());
  return { ok: true, tokens: pair, userId: user.id, tenantId: user.tenant_id };
}

/**
 * Rotates a refresh token: the old one is spent and a new one of the same family is issued. Presenting a
 * spent token means it was stolen or replayed, so the whole family is revoked.
 */
export async function refresh(
  db: Kysely<DB>,
  tokens: AccessTokens,
  refreshToken: string,
): Promise<TokenPair & { userId: number; tenantId: number }> {
  const row = await findRefreshToken(db, sha256(refreshToken));
  const now = nowIso();
  if (!row) throw unauthorized('Unknown refresh token', 'invalid_refresh_token');
  if (row.revoked_at) throw unauthorized('This refresh token was revoked', 'invalid_refresh_token');
  if (row.used_at || !(await claimRefreshToken(db, row.id, now))) {
    await revokeFamily(db, row.family_id, now);
    throw unauthorized(
      'This refresh token was already used; every session of its family is revoked',
      'refresh_token_reused',
    );
  }
  if (row.expires_at <= now) throw unauthorized('The refresh token expired; log in again', 'invalid_refresh_token');
  const user = await db
    .selectFrom('users')
    .select(['id', 'tenant_id', 'role', 'active', 'deleted_at'])
    .where('id', '=', row.user_id)
    .executeTakeFirst();
  if (!user || !bool(user.active) || user.deleted_at) {
    await revokeFamily(db, row.family_id, now);
    throw unauthorized('The account is no longer active', 'invalid_refresh_token');
  }
  const pair = await issue(db, tokens, { userId: user.id, tenantId: user.tenant_id, role: user.role }, row.family_id);
  return { ...pair, userId: user.id, tenantId: user.tenant_id };
}

/** Ends a session: revokes the family of the given refresh token. Unknown tokens are ignored. */
export async function logout(
  db: Kysely<DB>,
  refreshToken: string,
): Promise<{ userId: number; tenantId: number } | null> {
  const row = await findRefreshToken(db, sha256(refreshToken));
  if (!row) return null;
  await revokeFamily(db, row.family_id, nowIso());
  return { userId: row.user_id, tenantId: row.tenant_id };
}
