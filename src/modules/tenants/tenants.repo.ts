import type { Kysely } from 'kysely';
import { parseJson } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { DEFAULT_TENANT_SETTINGS, mergeSettings, type TenantSettings } from './tenant-settings.js';

export interface Tenant {
  id: number;
  name: string;
  slug: string;
  currency: string;
  country: string;
  timeZone: string;
  settings: TenantSettings;
  createdAt: string;
}

type Row = DB['tenants'] extends infer R ? { [K in keyof R]: any } : never;

function toTenant(r: Row): Tenant {
  return {
    id: r.id,
    name: r.name,
    slug: r.slug,
    currency: r.currency,
    country: r.country,
    timeZone: r.time_zone,
    settings: mergeSettings(DEFAULT_TENANT_SETTINGS, parseJson(r.settings, {})),
    createdAt: r.created_at,
  };
}

/** Tenants are the one table above tenant scope: looked up by id (from a token) or slug (from a URL). */
export async function findTenantById(db: Kysely<DB>, id: number): Promise<Tenant | null> {
  const r = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toTenant(r) : null;
}

export async function findTenantBySlug(db: Kysely<DB>, slug: string): Promise<Tenant | null> {
  const r = await db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
  return r ? toTenant(r) : null;
}

export async function listTenants(db: Kysely<DB>): Promise<Tenant[]> {
  const rows = await db.selectFrom('tenants').selectAll().orderBy('id').execute();
  return rows.map(toTenant);
}

export async function insertTenant(
  db: Kysely<DB>,
  t: { name: string; slug: string; currency: string; country: string; timeZone: string; now: string },
): Promise<Tenant> {
  const r = await db
    .insertInto('tenants')
    .values({
      name: t.name,
      slug: t.slug,
      currency: t.currency,
      country: t.country,
      time_zone: t.timeZone,
      settings: '{}',
      created_at: t.now,
      updated_at: t.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTenant(r);
}

export async function updateTenant(
  db: Kysely<DB>,
  id: number,
  patch: { name?: string; currency?: string; timeZone?: string; settings?: TenantSettings; now: string },
): Promise<void> {
  await db
    .updateTable('tenants')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.currency !== undefined ? { currency: patch.currency } : {}),
      ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
      ...(patch.settings !== undefined ? { settings: JSON.stringify(patch.settings) } : {}),
      updated_at: patch.now,
    })
    .where('id', '=', id)
    .execute();
}
