import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Redis } from 'ioredis';
import type { AppContext } from '../../platform/context.js';
import { pendingMigrations } from '../../platform/db/migrate.js';

async function redisPing(url: string): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** Liveness, readiness and Prometheus metrics: public, outside /api, exempt from rate limits. */
export function systemRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/health', { schema: { tags: ['system'], summary: 'The process is alive', security: [] } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/ready',
    {
      schema: {
        tags: ['system'],
        summary: 'Database reachable, migrations current, Redis reachable when configured',
        security: [],
      },
    },
    async (_request, reply) => {
      const checks: Record<string, { ok: boolean; detail?: string }> = {};
      try {
        await sql`select 1`.execute(ctx.database.db);
        checks.database = { ok: true };
        const pending = await pendingMigrations(ctx.database);
        checks.migrations = pending.length ? { ok: false, detail: `pending: ${pending.join(', ')}` } : { ok: true };
      } catch (e) {
        checks.database = { ok: false, detail: (e as Error).message };
      }
      if (ctx.config.redisUrl) checks.redis = { ok: await redisPing(ctx.config.redisUrl) };
      const ok = Object.values(checks).every((c) => c.ok);
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks });
    },
  );

  app.get(
    '/metrics',
    { schema: { tags: ['system'], summary: 'Prometheus metrics', security: [] } },
    async (_request, reply) => {
      const body = await ctx.metrics.registry.metrics();
      return reply.type(ctx.metrics.registry.contentType).send(body);
    },
  );
}
