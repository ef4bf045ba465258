import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { randomToken } from '../lib/ids.js';
import { isRole, ROLES } from '../platform/auth/permissions.js';
import { closeContext, createContext } from '../platform/create-context.js';
import type { AppContext } from '../platform/context.js';
import type { TenantCtx } from '../platform/db/tenant-ctx.js';
import { createApiKey } from '../modules/api-keys/api-keys.service.js';
import { findTenantBySlug } from '../modules/tenants/tenants.repo.js';
import { createTenant } from '../modules/tenants/tenants.service.js';
import { changeUser, createUser } from '../modules/users/users.service.js';

async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await createContext(loadConfig(), {});
  try {
    return await fn(ctx);
  } finally {
    await closeContext(ctx);
  }
}

async function tenantScope(ctx: AppContext, slug: string): Promise<TenantCtx> {
  const t = await findTenantBySlug(ctx.database.db, slug);
  if (!t) throw new Error(`No tenant with slug "${slug}"`);
  return { tenantId: t.id, db: ctx.database.db, dialect: ctx.database.dialect };
}

function roleOption(role: string): string {
  if (!isRole(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  return role;
}

/** `tenant create`, `user create`, `user reset-password`, `apikey create`. */
export function registerAdminCommands(program: Command): void {
  const tenant = program.command('tenant').description('Manage tenants (merchants)');
  tenant
    .command('create')
    .description('Create a tenant')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--slug <slug>', 'URL name: lower-case letters, digits, dashes')
    .option('--currency <code>', 'ISO currency', 'EGP')
    .option('--country <code>', 'ISO country for phone numbers', 'EG')
    .option('--time-zone <tz>', 'IANA time zone', 'Africa/Cairo')
    .action(async (o) =>
      withContext(async (ctx) => {
        const t = await createTenant(ctx.database.db, {
          name: o.name,
          slug: o.slug,
          currency: o.currency,
          country: o.country,
          timeZone: o.timeZone,
        });
        console.log(`Created tenant ${t.slug} (id ${t.id})`);
      }),
    );

  const user = program.command('user').description('Manage users');
  user
    .command('create')
    .description('Create a user; a password is generated and printed when --password is omitted')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--email <email>', 'login email')
    .option('--name <name>', 'display name')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'agent')
    .option('--password <password>', 'initial password (at least 10 characters)')
    .action(async (o) =>
      withContext(async (ctx) => {
        const scope = await tenantScope(ctx, o.tenant);
        const password = o.password ?? randomToken(12);
        const u = await createUser(scope, null, {
          email: o.email,
          name: o.name ?? o.email,
          role: roleOption(o.role),
          password,
        });
        console.log(
          `Created ${u.role} ${u.email} (id ${u.id})${o.password ? '' : `\nPassword (shown once): ${password}`}`,
        );
      }),
    );
  user
    .command('reset-password')
    .description('Set a new password (generated when --password is omitted) and end the user’s sessions')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--email <email>', 'login email')
    .option('--password <password>', 'new password (at least 10 characters)')
    .action(async (o) =>
      withContext(async (ctx) => {
        const scope = await tenantScope(ctx, o.tenant);
        const row = await ctx.database.db
          .selectFrom('users')
          .select('id')
          .where('tenant_id', '=', scope.tenantId)
          .where('email', '=', String(o.email).toLowerCase())
          .where('deleted_at', 'is', null)
          .executeTakeFirst();
        if (!row) throw new Error(`No user ${o.email} in tenant ${o.tenant}`);
        const password = o.password ?? randomToken(12);
        await changeUser(scope, null, row.id, { password, active: true });
        console.log(`Password of ${o.email} reset${o.password ? '' : `\nNew password (shown once): ${password}`}`);
      }),
    );

  program
    .command('apikey')
    .description('Manage API keys')
    .command('create')
    .description('Create an API key and print it once')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--name <name>', 'what the key is for')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'viewer')
    .action(async (o) =>
      withContext(async (ctx) => {
        const scope = await tenantScope(ctx, o.tenant);
        const { key, secret } = await createApiKey(
          scope,
          { role: null, userId: null },
          { name: o.name, role: roleOption(o.role) },
        );
        console.log(
          `Created API key ${key.prefix} (${key.role}). Send it as "Authorization: Bearer <key>":\n${secret}`,
        );
      }),
    );
}
