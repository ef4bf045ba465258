import type { Config } from '../config.js';
import { randomToken } from '../lib/ids.js';
import type { AppContext } from '../platform/context.js';
import type { TenantCtx } from '../platform/db/tenant-ctx.js';
import {
  DEFAULT_CONNECTION_SETTINGS,
  findConnection,
  saveConnection,
} from '../modules/integrations/connections.repo.js';
import { findTenantBySlug, listTenants, type Tenant } from '../modules/tenants/tenants.repo.js';
import { DEMO_SLUG } from './demo.js';

/** The tenant a command means without --tenant: the demo tenant, else the only tenant. */
export async function defaultTenant(ctx: AppContext, slug?: string): Promise<Tenant> {
  if (slug) {
    const t = await findTenantBySlug(ctx.database.db, slug);
    if (!t) throw new Error(`No tenant with slug "${slug}"`);
    return t;
  }
  const all = await listTenants(ctx.database.db);
  const t = all.find((x) => x.slug === DEMO_SLUG) ?? (all.length === 1 ? all[0] : undefined);
  if (!t)
    throw new Error(
      all.length ? 'Several tenants exist: pass --tenant <slug>' : 'No tenant yet: run `orderloop tenant create` first',
    );
  return t;
}

export function scopeOf(ctx: AppContext, tenant: Tenant): TenantCtx {
  return { tenantId: tenant.id, db: ctx.database.db, dialect: ctx.database.dialect };
}

/** BOSTA_API_URL and BOSTA_API_KEY in the environment configure the default tenant's real connection. */
export async function applyBostaEnvironment(ctx: AppContext, config: Config, tenant: Tenant): Promise<boolean> {
  if (!config.bostaApiKey) return false;
  const scope = scopeOf(ctx, tenant);
  const current = await findConnection(scope, ctx.secrets, 'bosta');
  const baseUrl = config.bostaApiUrl ?? current?.baseUrl ?? 'https://app.bosta.co/api/v2';
  if (
    current &&
    !current.settings.simulator &&
    current.baseUrl === baseUrl &&
    current.credentials.apiKey === config.bostaApiKey
  )
    return true;
  await saveConnection(scope, ctx.secrets, 'bosta', {
    baseUrl,
    credentials: { apiKey: config.bostaApiKey, webhookSecret: current?.credentials.webhookSecret ?? randomToken(24) },
    settings: { ...DEFAULT_CONNECTION_SETTINGS, ...current?.settings, simulator: false },
  });
  return true;
}
