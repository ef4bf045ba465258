import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/platform/context.js';
import { closeContext, createContext } from '../src/platform/create-context.js';
import type { TenantCtx } from '../src/platform/db/tenant-ctx.js';
import { createApiKey } from '../src/modules/api-keys/api-keys.service.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';
import type { Tenant } from '../src/modules/tenants/tenants.repo.js';
import type { User } from '../src/modules/users/users.repo.js';
import { createUser } from '../src/modules/users/users.service.js';

export const BENCH_PASSWORD = 'correct-horse-battery-bench';

/** The real app on a fresh SQLite database in a temp dir, with one tenant and its owner. */
export interface BenchApp {
  app: FastifyInstance;
  ctx: AppContext;
  tenant: Tenant;
  tenantCtx: TenantCtx;
  owner: User;
  /** A JWT access token of the owner, valid 15 minutes from creation (sign a new one for longer runs). */
  accessToken: string;
  /** The temp directory holding the database (`bench.db`) and the data dir; removed by `close`. */
  dir: string;
  /** Creates an API key of the tenant with the given role and returns its secret. */
  apiKey(role?: string): Promise<string>;
  /** Closes the server, the job queue and the database, then removes the temp dir. Idempotent. */
  close(): Promise<void>;
}

export interface BenchAppOptions {
  /** Bare routes added to the same Fastify instance (same plugins and hooks), e.g. a baseline endpoint. */
  extraRoutes?: (app: FastifyInstance) => void;
  /** Extra environment for `loadConfig` (overrides the bench defaults). */
  env?: Record<string, string>;
}

/** Builds the app for a benchmark; always pair with `close()` in a `finally`. */
export async function createBenchApp(opts: BenchAppOptions = {}): Promise<BenchApp> {
  const dir = mkdtempSync(join(tmpdir(), 'orderloop-bench-'));
  let ctx: AppContext | undefined;
  let app: FastifyInstance | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      if (app) await app.close();
      if (ctx) await closeContext(ctx);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const config = loadConfig({
      DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
      APP_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
      LOG_LEVEL: 'silent',
      // The maximum loadConfig accepts: benchmarks must never be throttled.
      RATE_LIMIT_PER_MINUTE: '10000000',
      ORDERLOOP_DATA_DIR: join(dir, 'data'),
      ORDERLOOP_DEMO: '0',
      ...opts.env,
    });
    ctx = await createContext(config);
    app = await buildApp(ctx, { extraRoutes: opts.extraRoutes });
    const tenant = await createTenant(ctx.database.db, { name: 'Bench Tenant', slug: 'bench' });
    const tenantCtx: TenantCtx = { tenantId: tenant.id, db: ctx.database.db, dialect: ctx.database.dialect };
    const owner = await createUser(tenantCtx, null, {
      email: 'owner@bench.test',
      name: 'Bench Owner',
      role: 'owner',
      password: BENCH_PASSWORD,
    });
    const accessToken = await ctx.tokens.sign({ userId: owner.id, tenantId: tenant.id, role: 'owner' });
    return {
      app,
      ctx,
      tenant,
      tenantCtx,
      owner,
      accessToken,
      dir,
      async apiKey(role = 'owner') {
        const { secret } = await createApiKey(
          tenantCtx,
          { role: null, userId: owner.id },
          { name: `bench ${role} key`, role },
        );
        return secret;
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
