import type { Principal } from '../../platform/auth/principal.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { badRequest, unprocessable } from '../../platform/http/errors.js';
import { findUser } from '../users/users.repo.js';

/** Whether a user id names an active (not deleted) user of the tenant. */
export async function isActiveUser(ctx: TenantCtx, id: number): Promise<boolean> {
  const user = await findUser(ctx, id);
  return Boolean(user?.active);
}

/** Work goes to active people of the same tenant only: 422 `invalid_assignee` for anyone else. */
export async function checkAssignee(ctx: TenantCtx, id: number | null | undefined): Promise<void> {
  if (id === null || id === undefined) return;
  if (!(await isActiveUser(ctx, id))) {
    throw unprocessable('invalid_assignee', `User ${id} is not an active user of this tenant`, { assigneeId: id });
  }
}

/**
 * The `assignee` query filter in column terms: `me` is the calling user, `none` unassigned (null), else an id.
 * An API key is nobody, so `me` with one is a 400 rather than a silently empty list.
 */
export function assigneeFilter(value: string | undefined, principal: Principal): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  if (value !== 'me') return Number(value);
  if (principal.userId === null) {
    throw badRequest('assignee_me_needs_user', '"assignee=me" needs a user token; an API key has no queue of its own');
  }
  return principal.userId;
}
