import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import type { Config } from '../config.js';
import type { AppContext } from '../platform/context.js';
import { closeContext, createContext } from '../platform/create-context.js';
import { startEventWorkers } from '../platform/events/workers.js';
import { startDemoCourier } from './demo-courier.js';
import { ensureDemoTenant } from './demo.js';
import { registerJobHandlers } from '../jobs.js';

export type ServeRole = 'all' | 'api' | 'worker';

export interface Running {
  ctx: AppContext;
  app: FastifyInstance | null;
  url: string | null;
  stop(): Promise<void>;
}

/**
 * Starts one process: the HTTP API (roles all, api), the job worker and scheduler and the event workers
 * (roles all, worker). Several `--role api` and `--role worker` processes can share one PostgreSQL + Redis.
 */
export async function serve(config: Config, role: ServeRole, opts: { demo?: boolean } = {}): Promise<Running> {
  const ctx = await createContext(config, { defaultMetrics: true });
  const log = ctx.logger;
  registerJobHandlers(ctx);
  const demo = opts.demo ?? config.demo;
  if (demo) await ensureDemoTenant(ctx);
  let app: FastifyInstance | null = null;
  let url: string | null = null;
  if (role !== 'worker') {
    app = await buildApp(ctx);
    url = await app.listen({ host: config.host, port: config.port });
  }
  let eventWorkers: { stop(): Promise<void> } | null = null;
  if (role !== 'api') {
    await ctx.jobs.start();
    eventWorkers = startEventWorkers(ctx);
    log.info({ driver: ctx.jobs.driver }, 'job worker and event dispatcher started');
  }
  const courier = demo && url ? await startDemoCourier(ctx, config, url) : null;
  return {
    ctx,
    app,
    url,
    async stop() {
      if (courier) await courier.stop();
      if (app) await app.close();
      if (eventWorkers) await eventWorkers.stop();
      await closeContext(ctx);
    },
  };
}
