import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { badRequest, conflict, notFound } from '../../platform/http/errors.js';
import { nowIso } from '../../lib/time.js';
import { DEFAULT_TENANT_SETTINGS, mergeSettings, settingsProblems, type TenantSettings } from './tenant-settings.js';
import { findTenantById, insertTenant, type Tenant, updateTenant } from './tenants.repo.js';

export interface NewTenant {
  name: string;
  slug: string;
  currency?: string;
  country?: string;
  timeZone?: string;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

function checkTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw badRequest('invalid_time_zone', `Unknown time zone "${tz}"`);
  }
}

/** Creates a merchant; the slug names it in URLs (webhook receivers) and must be unique. */
export async function createTenant(db: Kysely<DB>, input: NewTenant): Promise<Tenant> {
  if (!SLUG.test(input.slug)) throw badRequest('invalid_slug', 'A slug is 1–48 lower-case letters, digits and dashes');
  const timeZone = input.timeZone ?? 'Africa/Cairo';
  checkTimeZone(timeZone);
  try {
    return await insertTenant(db, {
      name: input.name,
      slug: input.slug,
      currency: (input.currency ?? 'EGP').toUpperCase(),
      country: (input.country ?? 'EG').toUpperCase(),
      timeZone,
      now: nowIso(),
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('tenant_slug_taken', `A tenant with slug "${input.slug}" exists`);
    throw e;
  }
}

/** Changes a tenant's name, currency, time zone or settings (settings are merged onto the current ones). */
export async function changeTenant(
  db: Kysely<DB>,
  id: number,
  patch: { name?: string; currency?: string; timeZone?: string; settings?: Record<string, unknown> },
): Promise<Tenant> {
  const tenant = await findTenantById(db, id);
  if (!tenant) throw notFound('tenant');
  if (patch.timeZone) checkTimeZone(patch.timeZone);
  let settings: TenantSettings | undefined;
  if (patch.settings) {
    const problems = settingsProblems(DEFAULT_TENANT_SETTINGS, patch.settings);
    if (problems.length) throw badRequest('invalid_settings', problems.join('; '), problems);
    settings = mergeSettings(tenant.settings, patch.settings);
  }
  await updateTenant(db, id, {
    name: patch.name,
    currency: patch.currency?.toUpperCase(),
    timeZone: patch.timeZone,
    settings,
    now: nowIso(),
  });
  return (await findTenantById(db, id))!;
}
