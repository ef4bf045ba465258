import { canGrant, isRole, type Role } from '../../platform/auth/permissions.js';
import { hashPassword, passwordProblem } from '../../platform/auth/passwords.js';
import { isUniqueViolation } from '../../platform/db/dialect.js';
import { inTransaction, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/http/errors.js';
import { nowIso } from '../../lib/time.js';
import { revokeAllUserTokens } from '../auth/refresh-tokens.repo.js';
import { countActiveOwners, findUser, insertUser, markUserDeleted, type User, updateUser } from './users.repo.js';

export interface NewUser {
  email: string;
  name: string;
  role: string;
  password: string;
}

function checkRole(actorRole: Role | null, role: string): Role {
  if (!isRole(role)) throw badRequest('invalid_role', `Unknown role "${role}"`);
  if (actorRole && !canGrant(actorRole, role)) {
    throw forbidden(`A ${actorRole} cannot grant the role "${role}"`, 'role_not_grantable');
  }
  return role;
}

/** Creates a user; `actorRole` null means the CLI (trusted operator). */
export async function createUser(ctx: TenantCtx, actorRole: Role | null, input: NewUser): Promise<User> {
  const role = checkRole(actorRole, input.role);
  const problem = passwordProblem(input.password);
  if (problem) throw badRequest('weak_password', `The password ${problem}`);
  try {
    return await insertUser(ctx, {
      email: input.email.trim().toLowerCase(),
      name: input.name.trim(),
      role,
      passwordHash: await hashPassword(input.password),
      now: nowIso(),
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('email_taken', `A user with email ${input.email} exists`);
    throw e;
  }
}

export interface UserPatch {
  email?: string;
  name?: string;
  role?: string;
  active?: boolean;
  password?: string;
}

/** Changes a user. Guards: no granting above your own role, and a tenant always keeps an active owner. */
export async function changeUser(
  ctx: TenantCtx,
  actorRole: Role | null,
  id: number,
  patch: UserPatch,
): Promise<{ before: User; after: User }> {
  const before = await findUser(ctx, id);
  if (!before) throw notFound('user');
  if (actorRole && isRole(before.role) && !canGrant(actorRole, before.role)) {
    throw forbidden(`A ${actorRole} cannot change a ${before.role}`, 'role_not_grantable');
  }
  if (patch.role !== undefined) checkRole(actorRole, patch.role);
  if (patch.password !== undefined) {
    const problem = passwordProblem(patch.password);
    if (problem) throw badRequest('weak_password', `The password ${problem}`);
  }
  const passwordHash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
  return inTransaction(ctx, async (tx) => {
    const losesOwner = before.role === 'owner' && ((patch.role && patch.role !== 'owner') || patch.active === false);
    if (losesOwner && (await countActiveOwners(tx)) <= 1) {
      throw unprocessable('last_owner', 'The tenant must keep at least one active owner');
    }
    try {
      await updateUser(tx, id, {
        email: patch.email?.trim().toLowerCase(),
        name: patch.name?.trim(),
        role: patch.role,
        active: patch.active,
        passwordHash,
        now: nowIso(),
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict('email_taken', `A user with email ${patch.email} exists`);
      throw e;
    }
    if (patch.active === false || passwordHash) await revokeAllUserTokens(tx, id, nowIso());
    return { before, after: (await findUser(tx, id))! };
  });
}

/** Removes a user's access for good; their history stays. */
export async function deleteUser(
  ctx: TenantCtx,
  actorRole: Role | null,
  actorUserId: number | null,
  id: number,
): Promise<User> {
  const user = await findUser(ctx, id);
  if (!user) throw notFound('user');
  if (actorUserId === id) throw unprocessable('cannot_delete_self', 'You cannot delete your own account');
  if (actorRole && isRole(user.role) && !canGrant(actorRole, user.role)) {
    throw forbidden(`A ${actorRole} cannot delete a ${user.role}`, 'role_not_grantable');
  }
  return inTransaction(ctx, async (tx) => {
    if (user.role === 'owner' && user.active && (await countActiveOwners(tx)) <= 1) {
      throw unprocessable('last_owner', 'The tenant must keep at least one active owner');
    }
    const now = nowIso();
    await markUserDeleted(tx, id, user.email, now);
    await revokeAllUserTokens(tx, id, now);
    return user;
  });
}
