import type { AppContext } from '../../platform/context.js';
import { nowIso } from '../../lib/time.js';
import { listTenants } from '../tenants/tenants.repo.js';
import { markMissedCalls } from './calls.service.js';

/**
 * Hourly: calls still open after the merchant's day they were due become `missed` (each tenant's own midnight,
 * so the hour after it in every time zone catches them).
 */
export function registerCallJobs(ctx: AppContext): void {
  ctx.jobs.register('calls.mark-missed', async () => {
    const now = nowIso();
    for (const t of await listTenants(ctx.database.db)) {
      const scope = { tenantId: t.id, db: ctx.database.db, dialect: ctx.database.dialect };
      const missed = await markMissedCalls(scope, t.timeZone, now);
      if (missed)
        ctx.logger.info({ tenant: t.slug, missed }, 'calls nobody made by the end of their day marked missed');
    }
  });
  ctx.jobs.every('calls.mark-missed', '7 * * * *');
}
