import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { bool } from '../db/dialect.js';
import { isRole, type Role } from './permissions.js';
import { sha256, safeEqual } from './keys.js';
import type { AccessTokens } from './tokens.js';

/** Who is calling: a user with a JWT or a machine with an API key, always inside one tenant. */
export interface Principal {
  tenantId: number;
  role: Role;
  actorType: 'user' | 'api_key';
  userId: number | null;
  apiKeyId: number | null;
}

/** API keys look like `olk_<prefix>_<secret>`; the prefix finds the row, the hash proves the secret. */
export const API_KEY_PATTERN = /^olk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{32,})$/;

/**
 * Resolves a bearer credential to a principal. The user's current role and status are read from the
 * database on every request, so a deactivation or role change takes effect at once.
 */
export async function resolvePrincipal(
  db: Kysely<DB>,
  tokens: AccessTokens,
  bearer: string,
): Promise<Principal | null> {
  const key = API_KEY_PATTERN.exec(bearer);
  if (key) {
    const row = await db
      .selectFrom('api_keys')
      .select(['id', 'tenant_id', 'key_hash', 'role', 'revoked_at'])
      .where('prefix', '=', key[1])
      .executeTakeFirst();
    if (!row || row.revoked_at || !safeEqual(row.key_hash, sha256(bearer)) || !isRole(row.role)) return null;
    return { tenantId: row.tenant_id, role: row.role, actorType: 'api_key', userId: null, apiKeyId: row.id };
  }
  const claims = await tokens.verify(bearer);
  if (!claims) return null;
  const user = await db
    .selectFrom('users')
    .select(['id', 'tenant_id', 'role', 'active', 'deleted_at'])
    .where('id', '=', claims.userId)
    .where('tenant_id', '=', claims.tenantId)
    .executeTakeFirst();
  if (!user || !bool(user.active) || user.deleted_at || !isRole(user.role)) return null;
  return { tenantId: user.tenant_id, role: user.role, actorType: 'user', userId: user.id, apiKeyId: null };
}
