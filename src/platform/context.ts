import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { AccessTokens } from './auth/tokens.js';
import type { SecretBox } from './auth/secret-box.js';
import type { Database } from './db/connect.js';
import type { JobQueue } from './jobs/queue.js';
import type { Metrics } from './observability/metrics.js';

/** Everything a process shares between its routes, jobs and commands. Built once in main / the test factory. */
export interface AppContext {
  config: Config;
  database: Database;
  logger: Logger;
  jobs: JobQueue;
  metrics: Metrics;
  secrets: SecretBox;
  tokens: AccessTokens;
}
