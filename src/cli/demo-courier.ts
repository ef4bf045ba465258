import type { Config } from '../config.js';
import { randomToken } from '../lib/ids.js';
import type { AppContext } from '../platform/context.js';
import {
  DEFAULT_CONNECTION_SETTINGS,
  findConnection,
  saveConnection,
} from '../modules/integrations/connections.repo.js';
import { startBostaSimulator } from '../integrations/bosta/simulator/server.js';
import { applyBostaEnvironment, defaultTenant, scopeOf } from './default-tenant.js';

export const DEMO_DELIVERIES = 5000;

/**
 * Life on first start: without a real Bosta account, the demo tenant is connected to the Bosta simulator
 * running in this process (5,000 deliveries, fixed seed), synced at once, and a few parcels move every
 * half minute so webhooks and the dashboard show change. The log says plainly that it is the simulator.
 */
export async function startDemoCourier(
  ctx: AppContext,
  config: Config,
  serverUrl: string,
): Promise<{ stop(): Promise<void> } | null> {
  const tenant = await defaultTenant(ctx).catch(() => null);
  if (!tenant) return null;
  if (await applyBostaEnvironment(ctx, config, tenant)) {
    ctx.logger.info({ tenant: tenant.slug }, 'Bosta connection taken from BOSTA_API_URL / BOSTA_API_KEY');
    return null;
  }
  const scope = scopeOf(ctx, tenant);
  const current = await findConnection(scope, ctx.secrets, 'bosta');
  if (current && !current.settings.simulator) return null; // a real account is configured: leave it alone
  const webhookSecret = current?.credentials.webhookSecret ?? randomToken(24);
  const settings = { ...DEFAULT_CONNECTION_SETTINGS, simulator: true };
  const sim = await startBostaSimulator({
    deliveries: DEMO_DELIVERIES,
    seed: 42,
    webhook: {
      url: `${serverUrl}/hooks/bosta/${tenant.slug}`,
      headerName: settings.webhookHeader,
      headerValue: webhookSecret,
    },
  });
  await saveConnection(scope, ctx.secrets, 'bosta', {
    baseUrl: sim.url,
    credentials: { apiKey: sim.apiKey, webhookSecret },
    settings,
  });
  ctx.logger.warn(
    { tenant: tenant.slug, simulator: sim.url, deliveries: DEMO_DELIVERIES },
    'No Bosta account configured: the demo tenant is connected to the built-in Bosta SIMULATOR (not real deliveries). Set BOSTA_API_URL and BOSTA_API_KEY, or PUT /api/v1/integrations/bosta, to use a real account.',
  );
  await ctx.jobs.enqueue(
    'bosta.sync',
    { tenantId: tenant.id, mode: 'incremental', trigger: 'startup' },
    { key: `bosta.sync:startup:${tenant.id}:${Date.now()}`, maxAttempts: 3 },
  );
  const timer = setInterval(() => {
    sim.control.advanceRandom(5);
  }, 30_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await sim.close();
    },
  };
}
