import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { AccessTokens } from './auth/tokens.js';
import { SecretBox } from './auth/secret-box.js';
import type { AppContext } from './context.js';
import { connectDatabase, optimizeDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { createJobQueue } from './jobs/create-queue.js';
import { createLogger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';

/** Opens the database, applies migrations and wires the shared services of one process. */
export async function createContext(
  config: Config,
  opts: {
    logger?: Logger;
    migrate?: boolean;
    defaultMetrics?: boolean;
    jobQueueOptions?: Record<string, unknown>;
  } = {},
): Promise<AppContext> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const database = connectDatabase(config.databaseUrl);
  if (opts.migrate !== false) {
    const applied = await migrateToLatest(database);
    if (applied.length) logger.info({ applied }, 'database migrated');
    await optimizeDatabase(database);
  }
  const jobs = createJobQueue({ database, logger, redisUrl: config.redisUrl, ...opts.jobQueueOptions });
  return {
    config,
    database,
    logger,
    jobs,
    metrics: new Metrics({ defaultMetrics: opts.defaultMetrics }),
    secrets: new SecretBox(config.appSecret),
    tokens: new AccessTokens(config.appSecret),
  };
}

/** Stops the job queue and closes the database. */
export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.jobs.stop();
  await ctx.database.close();
}
