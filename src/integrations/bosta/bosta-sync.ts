import type { AppContext } from '../../platform/context.js';
import { optimizeDatabase } from '../../platform/db/connect.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { findConnection, tenantsWithConnection } from '../../modules/integrations/connections.repo.js';
import { latestRun, type SyncMode, type SyncRun } from '../../modules/integrations/sync-runs.repo.js';
import { findTenantById, type Tenant } from '../../modules/tenants/tenants.repo.js';
import { BOSTA, clientFor, requireBostaConnection } from './connection.js';
import { refreshDelivery } from './refresh-delivery.js';
import { runBostaSync, type SyncProgress } from './sync.js';

export function tenantScope(app: AppContext, tenantId: number): TenantCtx {
  return { tenantId, db: app.database.db, dialect: app.database.dialect };
}

async function loadTenant(app: AppContext, tenantId: number): Promise<Tenant> {
  const tenant = await findTenantById(app.database.db, tenantId);
  if (!tenant) throw new Error(`tenant ${tenantId} not found`);
  return tenant;
}

/** Runs one Bosta sync for a tenant with its stored connection. */
export async function syncTenant(
  app: AppContext,
  tenantId: number,
  opts: { mode: SyncMode; trigger: string; runId?: number; onProgress?: (p: SyncProgress) => void },
): Promise<SyncRun> {
  const ctx = tenantScope(app, tenantId);
  const tenant = await loadTenant(app, tenantId);
  const connection = await requireBostaConnection(app, ctx);
  const client = clientFor(app, connection);
  try {
    const run = await runBostaSync(
      { ctx, tenant, client, watermark: connection.watermark },
      {
        mode: opts.mode,
        trigger: opts.trigger,
        runId: opts.runId,
        pageSize: connection.settings.pageSize,
        onProgress: opts.onProgress,
        logger: app.logger.child({ tenantId, provider: BOSTA }),
      },
    );
    // A large import changes the data's shape: let the planner see it before the dashboards query it.
    if (run.created + run.updated > 5000) await optimizeDatabase(app.database);
    return run;
  } finally {
    await client.close();
  }
}

/** The minutes between scheduled syncs of a tenant: the connection's own setting, else the tenant's. */
async function intervalMinutes(app: AppContext, tenantId: number): Promise<number | null> {
  const tenant = await findTenantById(app.database.db, tenantId);
  const c = await findConnection(tenantScope(app, tenantId), app.secrets, BOSTA);
  if (!tenant || !c) return null;
  return c.settings.syncIntervalMinutes ?? tenant.settings.sync.bostaIntervalMinutes;
}

/** Jobs: a sync run, a single-delivery refresh after a webhook, and the every-minute scheduler. */
export function registerBostaJobs(app: AppContext): void {
  app.jobs.register('bosta.sync', async (p: { tenantId: number; mode: SyncMode; trigger: string; runId?: number }) => {
    await syncTenant(app, p.tenantId, p);
  });
  app.jobs.register(
    'bosta.refresh-delivery',
    async (p: { tenantId: number; trackingNumber: string }) => {
      await refreshDelivery(app, p.tenantId, p.trackingNumber);
    },
    { concurrency: 2 },
  );
  app.jobs.register('bosta.schedule', async () => {
    const now = Date.now();
    for (const tenantId of await tenantsWithConnection(app.database.db, BOSTA)) {
      const minutes = await intervalMinutes(app, tenantId);
      if (!minutes) continue;
      const last = await latestRun(tenantScope(app, tenantId), BOSTA);
      if (last && (last.status === 'running' || last.status === 'queued')) continue;
      if (last && now - Date.parse(last.startedAt) < minutes * 60_000) continue;
      const slot = Math.floor(now / (minutes * 60_000));
      await app.jobs.enqueue(
        'bosta.sync',
        { tenantId, mode: 'incremental', trigger: 'schedule' },
        { key: `bosta.sync:${tenantId}:${minutes}:${slot}`, maxAttempts: 1 },
      );
    }
  });
  app.jobs.every('bosta.schedule', '* * * * *');
}
