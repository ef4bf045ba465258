import type { AppContext } from '../../platform/context.js';
import { inTransaction } from '../../platform/db/tenant-ctx.js';
import { listTenants } from '../tenants/tenants.repo.js';
import { closeVerifiedActions } from './service-closure.js';

/** The daily closure check: completed actions whose outcome is verified are closed. */
export function registerServiceJobs(ctx: AppContext): void {
  ctx.jobs.register('service.close-verified', async () => {
    for (const t of await listTenants(ctx.database.db)) {
      const scope = { tenantId: t.id, db: ctx.database.db, dialect: ctx.database.dialect };
      const closed = await inTransaction(scope, closeVerifiedActions);
      if (closed) ctx.logger.info({ tenant: t.slug, closed }, 'service actions closed after verification');
    }
  });
  ctx.jobs.every('service.close-verified', '15 3 * * *');
}
