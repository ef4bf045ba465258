import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';

export interface RefreshTokenRow {
  id: number;
  tenant_id: number;
  user_id: number;
  family_id: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

export async function insertRefreshToken(
  db: Kysely<DB>,
  t: { tenantId: number; userId: number; familyId: string; tokenHash: string; expiresAt: string; now: string },
): Promise<void> {
  await db
    .insertInto('refresh_tokens')
    .values({
      tenant_id: t.tenantId,
      user_id: t.userId,
      family_id: t.familyId,
      token_hash: t.tokenHash,
      expires_at: t.expiresAt,
      created_at: t.now,
    })
    .execute();
}

/** Looked up by hash before any tenant is known: the token itself is the credential. */
export async function findRefreshToken(db: Kysely<DB>, tokenHash: string): Promise<RefreshTokenRow | null> {
  const r = await db
    .selectFrom('refresh_tokens')
    .select(['id', 'tenant_id', 'user_id', 'family_id', 'expires_at', 'used_at', 'revoked_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return r ?? null;
}

/** Marks a token used, only if nobody used it first: returns false when it lost the race (reuse). */
export async function claimRefreshToken(db: Kysely<DB>, id: number, now: string): Promise<boolean> {
  const r = await db
    .updateTable('refresh_tokens')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function revokeFamily(db: Kysely<DB>, familyId: string, now: string): Promise<void> {
  await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: now })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeAllUserTokens(ctx: TenantCtx, userId: number, now: string): Promise<void> {
  await ctx.db
    .updateTable('refresh_tokens')
    .set({ revoked_at: now })
    .where('tenant_id', '=', ctx.tenantId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}
