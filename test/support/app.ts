import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { registerJobHandlers } from '../../src/jobs.js';
import { loadConfig } from '../../src/config.js';
import type { Role } from '../../src/platform/auth/permissions.js';
import type { AppContext } from '../../src/platform/context.js';
import { closeContext, createContext } from '../../src/platform/create-context.js';
import type { TenantCtx } from '../../src/platform/db/tenant-ctx.js';
import { createApiKey } from '../../src/modules/api-keys/api-keys.service.js';
import { createTenant } from '../../src/modules/tenants/tenants.service.js';
import type { Tenant } from '../../src/modules/tenants/tenants.repo.js';
import { createUser } from '../../src/modules/users/users.service.js';
import { freshDatabase, type TestDialect } from './databases.js';

export const TEST_PASSWORD = 'correct-horse-battery';
export const TEST_APP_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface TestTenant {
  tenant: Tenant;
  ctx: TenantCtx;
  /** An access token per role (users created on demand). */
  token(role: Role): Promise<string>;
  /** An API key per role. */
  apiKey(role: Role): Promise<string>;
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  dialect: TestDialect;
  /** The database URL, for child processes that must share it. */
  databaseUrl: string;
  tenantA: TestTenant;
  tenantB: TestTenant;
  /** inject with an optional bearer token. */
  req(opts: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A whole app on a fresh database with two tenants, for integration tests through `inject`. */
export async function createTestApp(
  dialect: TestDialect,
  env: Record<string, string> = {},
  opts: { startJobs?: boolean } = {},
): Promise<TestApp> {
  const db = await freshDatabase(dialect);
  const config = loadConfig({
    DATABASE_URL: db.url,
    APP_SECRET: TEST_APP_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
    ORDERLOOP_DATA_DIR: '/tmp/orderloop-test-data',
    ...env,
  });
  const ctx = await createContext(config, { jobQueueOptions: { pollMs: 20, backoffScale: 0.01 } });
  registerJobHandlers(ctx);
  const app = await buildApp(ctx);
  if (opts.startJobs) await ctx.jobs.start();

  const makeTenant = async (slug: string): Promise<TestTenant> => {
    const tenant = await createTenant(ctx.database.db, { name: `Tenant ${slug}`, slug });
    const tctx: TenantCtx = { tenantId: tenant.id, db: ctx.database.db, dialect: ctx.database.dialect };
    const tokens = new Map<Role, string>();
    const keys = new Map<Role, string>();
    return {
      tenant,
      ctx: tctx,
      async token(role) {
        let t = tokens.get(role);
        if (!t) {
          const u = await createUser(tctx, null, {
            email: `${role}@${slug}.test`,
            name: `${role} of ${slug}`,
            role,
            password: TEST_PASSWORD,
          });
          t = await ctx.tokens.sign({ userId: u.id, tenantId: tenant.id, role });
          tokens.set(role, t);
        }
        return t;
      },
      async apiKey(role) {
        let k = keys.get(role);
        if (!k) {
          k = (await createApiKey(tctx, { role: null, userId: null }, { name: `${role} key`, role })).secret;
          keys.set(role, k);
        }
        return k;
      },
    };
  };
  const tenantA = await makeTenant('alpha');
  const tenantB = await makeTenant('beta');
  return {
    app,
    ctx,
    dialect,
    databaseUrl: db.url,
    tenantA,
    tenantB,
    req: ({ token, headers, ...rest }) =>
      app.inject({ ...rest, headers: { ...(headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) } }),
    async close() {
      await app.close();
      await closeContext(ctx);
      await db.drop();
    },
  };
}
