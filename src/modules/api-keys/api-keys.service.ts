import { randomBytes } from 'node:crypto';
import { canGrant, isRole, type Role } from '../../platform/auth/permissions.js';
import { sha256 } from '../../platform/auth/keys.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { badRequest, forbidden, notFound } from '../../platform/http/errors.js';
import { randomToken } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';

export interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  role: string;
  createdBy: number | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function newPrefix(): string {
  const b = randomBytes(12);
  let s = '';
  for (const x of b) s += ALNUM[x % ALNUM.length];
  return s;
}

function toKey(r: {
  id: number;
  name: string;
  prefix: string;
  role: string;
  created_by: number | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}): ApiKey {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    role: r.role,
    createdBy: r.created_by,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

/** Creates an API key; the secret is returned once and only its SHA-256 is stored. */
export async function createApiKey(
  ctx: TenantCtx,
  actor: { role: Role | null; userId: number | null },
  input: { name: string; role: string },
): Promise<{ key: ApiKey; secret: string }> {
  if (!isRole(input.role)) throw badRequest('invalid_role', `Unknown role "${input.role}"`);
  if (actor.role && !canGrant(actor.role, input.role)) {
    throw forbidden(`A ${actor.role} cannot create a key with the role "${input.role}"`, 'role_not_grantable');
  }
  const prefix = newPrefix();
  const secret = `olk_${prefix}_${randomToken(32)}`;
  const r = await ctx.db
    .insertInto('api_keys')
    .values({
      tenant_id: ctx.tenantId,
      name: input.name,
      prefix,
      key_hash: sha256(secret),
      role: input.role,
      created_by: actor.userId,
      created_at: nowIso(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { key: toKey(r), secret };
}

export async function listApiKeys(ctx: TenantCtx): Promise<ApiKey[]> {
  const rows = await ctx.db
    .selectFrom('api_keys')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .orderBy('id')
    .execute();
  return rows.map(toKey);
}

export async function revokeApiKey(ctx: TenantCtx, id: number): Promise<ApiKey> {
  const row = await ctx.db
    .selectFrom('api_keys')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('api_key');
  if (!row.revoked_at) {
    await ctx.db
      .updateTable('api_keys')
      .set({ revoked_at: nowIso() })
      .where('tenant_id', '=', ctx.tenantId)
      .where('id', '=', id)
      .execute();
  }
  return toKey({ ...row, revoked_at: row.revoked_at ?? nowIso() });
}
