/**
 * TEST support for the desk's integration tests: who a token belongs to, what the outbox holds, and the
 * merchant's calendar day of an instant computed straight from Intl (independently of the code under test).
 */
import type { TenantCtx } from '../../../platform/db/tenant-ctx.js';
import type { TestApp } from '../../../../test/support/app.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** An instant `ms` from now as the API writes it. */
export const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();

/** The user id behind an access token. */
export async function userIdOf(t: TestApp, token: string): Promise<number> {
  const me = await t.req({ method: 'GET', url: '/api/v1/auth/me', token });
  return me.json().user.id;
}

/** Outbox events of a type, oldest first, with parsed payloads. */
export async function eventsOf(ctx: TenantCtx, type: string) {
  const rows = await ctx.db
    .selectFrom('events')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('type', '=', type)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    entityId: r.entity_id,
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as any,
  }));
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  );
}

/**
 * A time zone whose calendar day differs from UTC's right now (UTC+14 in the UTC afternoon, UTC−10 in the UTC
 * morning), so "today" computed on the UTC day would be caught whatever time the suite runs.
 */
export function zoneAwayFromUtcDay(now = new Date()): string {
  return now.getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Honolulu';
}
