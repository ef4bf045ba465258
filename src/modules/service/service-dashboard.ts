import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { localDay } from '../orders/order-rollups.js';
import type { Tenant } from '../tenants/tenants.repo.js';
import { isOverdue } from './service-rules.js';
import { OPEN_STATUSES } from './transitions.js';

/** The service desk at a glance: open actions by stage, the overdue and flagged ones, today's activity. */
export async function serviceDashboard(ctx: TenantCtx, tenant: Tenant, now = new Date()) {
  const open = await ctx.db
    .selectFrom('service_actions')
    .select(['id', 'number', 'status', 'type', 'status_changed_at', 'flagged', 'flag_reason', 'customer_id'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('status', 'in', [...OPEN_STATUSES])
    .execute();
  const byStage = Object.fromEntries(OPEN_STATUSES.map((s) => [s, 0]));
  const overdue: Array<{ id: number; number: string; status: string; since: string }> = [];
  const flagged: Array<{ id: number; number: string; reason: string | null }> = [];
  for (const a of open) {
    byStage[a.status]++;
    if (isOverdue(a.status, a.status_changed_at, tenant.settings.service, now))
      overdue.push({ id: a.id, number: a.number, status: a.status, since: a.status_changed_at });
    if (a.flagged === true || a.flagged === 1) flagged.push({ id: a.id, number: a.number, reason: a.flag_reason });
  }
  const today = localDay(now.toISOString(), tenant.timeZone);
  const recent = await ctx.db
    .selectFrom('service_events')
    .select(['event', 'at'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('at', '>=', new Date(now.getTime() - 36 * 3_600_000).toISOString())
    .execute();
  const todays = recent.filter((e) => localDay(e.at, tenant.timeZone) === today);
  const count = (event: string) => todays.filter((e) => e.event === event).length;
  const quality = await ctx.db
    .selectFrom('hub_inspections')
    .select((eb) => eb.fn.avg<number>('quality_score').as('avg'))
    .where('tenant_id', '=', ctx.tenantId)
    .where('quality_score', 'is not', null)
    .executeTakeFirst();
  return {
    open: open.length,
    byStage,
    overdue: { count: overdue.length, items: overdue.sort((a, b) => a.since.localeCompare(b.since)).slice(0, 20) },
    flagged: { count: flagged.length, items: flagged.slice(0, 20) },
    today: {
      created: count('create'),
      received: count('receive'),
      inspected: count('inspect'),
      reviewed: count('approve') + count('reject') + count('request_changes'),
      shipped: count('ship_outbound'),
      closed: count('close'),
    },
    averageQualityScore:
      quality?.avg === null || quality?.avg === undefined ? null : Math.round(Number(quality.avg) * 100) / 100,
  };
}
