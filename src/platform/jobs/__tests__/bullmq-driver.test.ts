import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BullJobQueue, type BullJobQueueOptions, jobIdForKey } from '../bullmq-driver.js';
import type { JobRun } from '../queue.js';
import { requireEnv, skipWithout, waitFor } from './fixtures/test-databases.js';

const logger = pino({ level: 'silent' });

describe('jobIdForKey', () => {
  it('maps keys to ids BullMQ accepts, without collisions', () => {
    const keys = ['order:1', 'order%3A1', '42', 'a:b:c', 'plain'];
    const ids = keys.map(jobIdForKey);
    expect(new Set(ids).size).toBe(keys.length);
    for (const id of ids) {
      expect(id).not.toContain(':');
      expect(`${Number.parseInt(id, 10)}`).not.toBe(id);
    }
  });
});

describe.skipIf(skipWithout('TEST_REDIS_URL'))('BullJobQueue', () => {
  let redisUrl: string;
  const queues: BullJobQueue[] = [];
  const prefixes: string[] = [];

  /** Each test gets its own key prefix, removed afterwards. */
  const makeQueue = (opts: Partial<BullJobQueueOptions> = {}) => {
    const prefix = opts.prefix ?? `test-${randomBytes(6).toString('hex')}`;
    prefixes.push(prefix);
    const q = new BullJobQueue({ redisUrl, logger, backoffBaseMs: 10, ...opts, prefix });
    queues.push(q);
    return q;
  };

  beforeAll(() => {
    // In CI a missing Redis fails every test here instead of skipping the suite.
    redisUrl = requireEnv('TEST_REDIS_URL', 'the BullMQ job tests');
  });

  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.stop()));
    const redis = new Redis(redisUrl);
    try {
      for (const prefix of new Set(prefixes.splice(0))) {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
          cursor = next;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== '0');
      }
    } finally {
      await redis.quit();
    }
  });

  it('runs an enqueued job with its payload', async () => {
    const q = makeQueue();
    const seen: { payload: unknown; run: JobRun }[] = [];
    q.register('hello', async (payload, run) => {
      seen.push({ payload, run });
    });
    await q.start();
    const { id, created } = await q.enqueue('hello', { orderId: 7 });
    expect(created).toBe(true);
    await waitFor('the job to complete', async () => (await q.get(id))?.status === 'completed');
    expect(seen).toEqual([{ payload: { orderId: 7 }, run: { id, name: 'hello', attempt: 1 } }]);
    const info = await q.get(id);
    expect(info).toMatchObject({ id, name: 'hello', status: 'completed', lastError: null });
    expect(info?.finishedAt).toBeTruthy();
  });

  it('treats the key as an idempotency key, including after the job finished', async () => {
    const q = makeQueue();
    let runs = 0;
    q.register('idem', async () => {
      runs++;
    });
    const key = 'order:1:confirm';
    const first = await q.enqueue('idem', { n: 1 }, { key });
    expect(first.created).toBe(true);
    expect(await q.enqueue('idem', { n: 2 }, { key })).toEqual({ id: first.id, created: false });
    await q.start();
    await waitFor('the job to complete', async () => (await q.get(first.id))?.status === 'completed');
    expect(await q.enqueue('idem', { n: 3 }, { key })).toEqual({ id: first.id, created: false });
    await q.drain();
    expect(runs).toBe(1);
  });

  it('retries with backoff until the handler succeeds', async () => {
    const q = makeQueue();
    const attempts: number[] = [];
    q.register('flaky', async (_payload, run) => {
      attempts.push(run.attempt);
      if (run.attempt < 3) throw new Error(`not yet ${run.attempt}`);
    });
    await q.start();
    const { id } = await q.enqueue('flaky', {});
    await waitFor('the third attempt to complete', async () => (await q.get(id))?.status === 'completed');
    expect(attempts).toEqual([1, 2, 3]);
    expect(await q.get(id)).toMatchObject({ status: 'completed', attempts: 3 });
  });

  it('marks a job failed after max attempts, keeping the last error', async () => {
    const q = makeQueue();
    q.register('doomed', async (_payload, run) => {
      throw new Error(`boom ${run.attempt}`);
    });
    await q.start();
    const { id } = await q.enqueue('doomed', {}, { maxAttempts: 2 });
    await waitFor('the job to fail', async () => (await q.get(id))?.status === 'failed');
    expect(await q.get(id)).toMatchObject({ status: 'failed', attempts: 2, lastError: 'boom 2' });
  });

  it('runs a per-second schedule', async () => {
    const q = makeQueue();
    let runs = 0;
    q.register('tick', async () => {
      runs++;
    });
    q.every('tick', '* * * * * *', { scheduled: true });
    await q.start();
    await waitFor('a scheduled run', () => runs >= 1, 2500);
  });

  it('reports depth and looks jobs up', async () => {
    const q = makeQueue();
    expect(await q.depth()).toBe(0);
    const { id } = await q.enqueue('later', {}, { delayMs: 60_000 });
    await q.enqueue('unhandled', {});
    expect(await q.depth()).toBe(2);
    expect(await q.get(id)).toMatchObject({ id, name: 'later', status: 'queued', attempts: 0, finishedAt: null });
    expect(await q.get('no-such-job')).toBeNull();
  });
});
