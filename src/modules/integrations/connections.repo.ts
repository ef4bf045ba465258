import { nowIso } from '../../lib/time.js';
import type { SecretBox } from '../../platform/auth/secret-box.js';
import { parseJson } from '../../platform/db/dialect.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';

/** Secrets of a connection: stored encrypted as one JSON blob, never returned by the API. */
export interface ConnectionCredentials {
  apiKey: string;
  webhookSecret: string | null;
}

/** Non-secret settings of a connection. */
export interface ConnectionSettings {
  webhookHeader: string;
  syncIntervalMinutes: number | null;
  pageSize: number;
  /** True when Orderloop runs the courier simulator for this tenant (demo mode). */
  simulator: boolean;
}

export interface Connection {
  id: number;
  provider: string;
  baseUrl: string;
  credentials: ConnectionCredentials;
  settings: ConnectionSettings;
  watermark: string | null;
  status: string;
  updatedAt: string;
}

export const DEFAULT_CONNECTION_SETTINGS: ConnectionSettings = {
  webhookHeader: 'x-orderloop-webhook-secret',
  syncIntervalMinutes: null,
  pageSize: 200,
  simulator: false,
};

export async function findConnection(ctx: TenantCtx, secrets: SecretBox, provider: string): Promise<Connection | null> {
  const r = await ctx.db
    .selectFrom('integration_connections')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    provider: r.provider,
    baseUrl: r.base_url,
    credentials: JSON.parse(secrets.decrypt(r.credentials_enc)) as ConnectionCredentials,
    settings: { ...DEFAULT_CONNECTION_SETTINGS, ...parseJson<Partial<ConnectionSettings>>(r.settings, {}) },
    watermark: r.watermark,
    status: r.status,
    updatedAt: r.updated_at,
  };
}

/** Creates or replaces a tenant's connection to a provider; keeps its watermark. */
export async function saveConnection(
  ctx: TenantCtx,
  secrets: SecretBox,
  provider: string,
  c: { baseUrl: string; credentials: ConnectionCredentials; settings: ConnectionSettings },
): Promise<void> {
  const now = nowIso();
  const values = {
    base_url: c.baseUrl,
    credentials_enc: secrets.encrypt(JSON.stringify(c.credentials)),
    settings: JSON.stringify(c.settings),
    status: 'configured',
    updated_at: now,
  };
  await ctx.db
    .insertInto('integration_connections')
    .values({ tenant_id: ctx.tenantId, provider, watermark: null, created_at: now, ...values })
    .onConflict((oc) => oc.columns(['tenant_id', 'provider']).doUpdateSet(values))
    .execute();
}

export async function setWatermark(ctx: TenantCtx, provider: string, watermark: string, status: string): Promise<void> {
  await ctx.db
    .updateTable('integration_connections')
    .set({ watermark, status, updated_at: nowIso() })
    .where('tenant_id', '=', ctx.tenantId)
    .where('provider', '=', provider)
    .execute();
}

/** Tenants that have a connection to the provider (the scheduler walks them). */
export async function tenantsWithConnection(db: TenantCtx['db'], provider: string): Promise<number[]> {
  const rows = await db
    .selectFrom('integration_connections')
    .select('tenant_id')
    .where('provider', '=', provider)
    .execute();
  return rows.map((r) => r.tenant_id);
}
