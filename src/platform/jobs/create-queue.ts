import type { Logger } from 'pino';
import type { Database } from '../db/connect.js';
import { BullJobQueue } from './bullmq-driver.js';
import { LocalJobQueue } from './local-driver.js';
import type { JobQueue } from './queue.js';

/** BullMQ when Redis is configured (scale-out), otherwise jobs live in the application database. */
export function createJobQueue(opts: { database: Database; logger: Logger; redisUrl?: string | null }): JobQueue {
  if (opts.redisUrl) return new BullJobQueue({ redisUrl: opts.redisUrl, logger: opts.logger });
  return new LocalJobQueue({ database: opts.database, logger: opts.logger });
}
