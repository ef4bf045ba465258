import type { Kysely } from 'kysely';
import { bool } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';

export interface User {
  id: number;
  email: string;
  name: string;
  role: string;
  active: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = ['id', 'email', 'name', 'role', 'active', 'last_login_at', 'created_at', 'updated_at'] as const;

function toUser(r: {
  id: number;
  email: string;
  name: string;
  role: string;
  active: boolean | number;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    active: bool(r.active),
    lastLoginAt: r.last_login_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listUsers(ctx: TenantCtx): Promise<User[]> {
  const rows = await ctx.db
    .selectFrom('users')
    .select(COLUMNS)
    .where('tenant_id', '=', ctx.tenantId)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map(toUser);
}

export async function findUser(ctx: TenantCtx, id: number): Promise<User | null> {
  const r = await ctx.db
    .selectFrom('users')
    .select(COLUMNS)
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return r ? toUser(r) : null;
}

export async function insertUser(
  ctx: TenantCtx,
  u: { email: string; name: string; role: string; passwordHash: string; now: string },
): Promise<User> {
  const r = await ctx.db
    .insertInto('users')
    .values({
      tenant_id: ctx.tenantId,
      email: u.email,
      name: u.name,
      role: u.role,
      password_hash: u.passwordHash,
      active: true,
      created_at: u.now,
      updated_at: u.now,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toUser(r);
}

export async function updateUser(
  ctx: TenantCtx,
  id: number,
  patch: { name?: string; role?: string; active?: boolean; passwordHash?: string; email?: string; now: string },
): Promise<void> {
  await ctx.db
    .updateTable('users')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.email !== undefined ? { email: patch.email } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
      updated_at: patch.now,
    })
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .execute();
}

/** Soft-deletes: the row stays for the audit trail, the email is freed for reuse. */
export async function markUserDeleted(ctx: TenantCtx, id: number, email: string, now: string): Promise<void> {
  await ctx.db
    .updateTable('users')
    .set({ deleted_at: now, active: false, updated_at: now, email: `${email}#deleted-${id}` })
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .execute();
}

export async function countActiveOwners(ctx: TenantCtx): Promise<number> {
  const r = await ctx.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', ctx.tenantId)
    .where('role', '=', 'owner')
    .where('active', '=', true)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Users with this email across tenants (login without a tenant slug). */
export async function findLoginCandidates(db: Kysely<DB>, email: string, tenantSlug?: string) {
  let q = db
    .selectFrom('users')
    .innerJoin('tenants', 'tenants.id', 'users.tenant_id')
    .select(['users.id', 'users.tenant_id', 'users.password_hash', 'users.role', 'users.active', 'tenants.slug'])
    .where('users.email', '=', email)
    .where('users.deleted_at', 'is', null);
  if (tenantSlug) q = q.where('tenants.slug', '=', tenantSlug);
  return q.execute();
}

export async function touchLogin(db: Kysely<DB>, userId: number, now: string): Promise<void> {
  await db.updateTable('users').set({ last_login_at: now }).where('id', '=', userId).execute();
}
