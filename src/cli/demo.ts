import { randomToken } from '../lib/ids.js';
import type { AppContext } from '../platform/context.js';
import { listTenants } from '../modules/tenants/tenants.repo.js';
import { createTenant } from '../modules/tenants/tenants.service.js';
import { createUser } from '../modules/users/users.service.js';

export const DEMO_SLUG = 'demo';
export const DEMO_OWNER_EMAIL = 'owner@demo.orderloop.local';

/**
 * On the very first start (no tenant at all) creates the demo tenant and its owner, and prints the generated
 * password once on the terminal (never into the logs).
 */
export async function ensureDemoTenant(ctx: AppContext): Promise<{ created: boolean }> {
  const tenants = await listTenants(ctx.database.db);
  if (tenants.length > 0) return { created: false };
  const tenant = await createTenant(ctx.database.db, { name: 'Demo Kitchen Appliances', slug: DEMO_SLUG });
  const password = randomToken(12);
  await createUser({ tenantId: tenant.id, db: ctx.database.db, dialect: ctx.database.dialect }, null, {
    email: DEMO_OWNER_EMAIL,
    name: 'Demo Owner',
    role: 'owner',
    password,
  });
  const line = '─'.repeat(64);
  process.stdout.write(
    `\n${line}\n  Orderloop demo tenant created ("${DEMO_SLUG}").\n  Log in as:  ${DEMO_OWNER_EMAIL}\n  Password:   ${password}\n` +
      `  This password is shown only now. Reset it with:\n  npm run orderloop -- user reset-password --tenant ${DEMO_SLUG} --email ${DEMO_OWNER_EMAIL}\n${line}\n\n`,
  );
  return { created: true };
}
