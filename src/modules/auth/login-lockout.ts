import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';

export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
}

/** Seconds until the key may try again, or 0 when it is not locked. */
export async function lockedFor(db: Kysely<DB>, key: string, now: Date): Promise<number> {
  const r = await db.selectFrom('login_attempts').select('locked_until').where('key', '=', key).executeTakeFirst();
  if (!r?.locked_until) return 0;
  const ms = Date.parse(r.locked_until) - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/**
 * Counts a failed login for a key (an email); the failure window is the lock period. At the limit the key
 * is locked. Kept in the database so every process sees the same count.
 */
export async function recordFailure(db: Kysely<DB>, key: string, now: Date, policy: LockoutPolicy): Promise<number> {
  const nowIso = now.toISOString();
  const windowStart = new Date(now.getTime() - policy.lockMinutes * 60_000).toISOString();
  return db.transaction().execute(async (tx) => {
    const cur = await tx.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst();
    const fresh =
      !cur || cur.first_failure_at < windowStart || (cur.locked_until !== null && cur.locked_until <= nowIso);
    const failures = fresh ? 1 : cur.failures + 1;
    const lockedUntil =
      failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMinutes * 60_000).toISOString() : null;
    if (cur) {
      await tx
        .updateTable('login_attempts')
        .set({ failures, first_failure_at: fresh ? nowIso : cur.first_failure_at, locked_until: lockedUntil })
        .where('key', '=', key)
        .execute();
    } else {
      await tx
        .insertInto('login_attempts')
        .values({ key, failures, first_failure_at: nowIso, locked_until: lockedUntil })
        .execute();
    }
    return lockedUntil ? policy.lockMinutes * 60 : 0;
  });
}

export async function clearFailures(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('key', '=', key).execute();
}
