import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { connectDatabase } from '../../db/connect.js';
import { createJobQueue } from '../create-queue.js';
import { requireEnv, skipWithout } from './fixtures/test-databases.js';

const logger = pino({ level: 'silent' });

describe('createJobQueue', () => {
  it('uses the database when no Redis URL is configured', async () => {
    const database = connectDatabase('sqlite::memory:');
    try {
      expect(createJobQueue({ database, logger, redisUrl: undefined }).driver).toBe('local');
    } finally {
      await database.close();
    }
  });

  it.skipIf(skipWithout('TEST_REDIS_URL'))('uses BullMQ when a Redis URL is configured', async () => {
    const database = connectDatabase('sqlite::memory:');
    const queue = createJobQueue({ database, logger, redisUrl: requireEnv('TEST_REDIS_URL', 'the BullMQ job tests') });
    try {
      expect(queue.driver).toBe('bullmq');
    } finally {
      await queue.stop();
      await database.close();
    }
  });
});
