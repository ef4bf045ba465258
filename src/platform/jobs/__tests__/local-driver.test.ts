import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connect.js';
import type { DialectName } from '../../db/dialect.js';
import { LocalJobQueue, type LocalJobQueueOptions } from '../local-driver.js';
import type { JobRun } from '../queue.js';
import { openTestDatabase, skipWithout, type TestDatabase, waitFor } from './fixtures/test-databases.js';

const logger = pino({ level: 'silent' });
const childScript = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

const dialects: { dialect: DialectName; skip: boolean }[] = [
  { dialect: 'sqlite', skip: false },
  { dialect: 'postgres', skip: skipWithout('TEST_DATABASE_URL') },
];

for (const { dialect, skip } of dialects) {
  describe.skipIf(skip)(`LocalJobQueue on ${dialect}`, () => {
    let t: TestDatabase;
    const queues: LocalJobQueue[] = [];
    let seq = 0;
    /** Tests share the database, so each uses its own job names. */
    const unique = (name: string) => `${name}-${++seq}`;

    const makeQueue = (opts: Partial<LocalJobQueueOptions> = {}) => {
      const q = new LocalJobQueue({ database: t.database, logger, pollMs: 20, backoffBaseMs: 5, ...opts });
      queues.push(q);
      return q;
    };

    beforeAll(async () => {
      t = await openTestDatabase(dialect);
    });
    afterEach(async () => {
      await Promise.all(queues.splice(0).map((q) => q.stop()));
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it('runs an enqueued job with its payload', async () => {
      const q = makeQueue();
      const name = unique('hello');
      const seen: { payload: unknown; run: JobRun }[] = [];
      q.register(name, async (payload, run) => {
        seen.push({ payload, run });
      });
      await q.start();
      const { id, created } = await q.enqueue(name, { orderId: 7, tags: ['a'] });
      expect(created).toBe(true);
      await q.drain();
      expect(seen).toEqual([{ payload: { orderId: 7, tags: ['a'] }, run: { id, name, attempt: 1 } }]);
      const info = await q.get(id);
      expect(info).toMatchObject({ id, name, status: 'completed', attempts: 1, lastError: null });
      expect(info?.finishedAt).toBeTruthy();
    });

    it('treats the key as a permanent idempotency key', async () => {
      const q = makeQueue();
      const name = unique('idem');
      let runs = 0;
      q.register(name, async () => {
        runs++;
      });
      const key = `${name}:order:1`;
      const first = await q.enqueue(name, { n: 1 }, { key });
      const second = await q.enqueue(name, { n: 2 }, { key });
      expect(first.created).toBe(true);
      expect(second).toEqual({ id: first.id, created: false });
      await q.start();
      await q.drain();
      // Also once the job has finished.
      expect(await q.enqueue(name, { n: 3 }, { key })).toEqual({ id: first.id, created: false });
      await q.drain();
      expect(runs).toBe(1);
    });

    it('retries with backoff until the handler succeeds', async () => {
      const q = makeQueue();
      const name = unique('flaky');
      const attempts: number[] = [];
      q.register(name, async (_payload, run) => {
        attempts.push(run.attempt);
        if (run.attempt < 3) throw new Error(`not yet ${run.attempt}`);
      });
      await q.start();
      const { id } = await q.enqueue(name, {});
      await waitFor('the third attempt to complete', async () => (await q.get(id))?.status === 'completed');
      expect(attempts).toEqual([1, 2, 3]);
      expect(await q.get(id)).toMatchObject({ status: 'completed', attempts: 3 });
    });

    it('marks a job failed after max attempts, keeping the last error', async () => {
      const q = makeQueue();
      const name = unique('doomed');
      let runs = 0;
      q.register(name, async (_payload, run) => {
        runs++;
        throw new Error(`boom ${run.attempt}`);
      });
      await q.start();
      const { id } = await q.enqueue(name, {}, { maxAttempts: 3 });
      await waitFor('the job to fail', async () => (await q.get(id))?.status === 'failed');
      const info = await q.get(id);
      expect(info).toMatchObject({ status: 'failed', attempts: 3, lastError: 'boom 3' });
      expect(info?.finishedAt).toBeTruthy();
      expect(runs).toBe(3);
    });

    it('does not run a delayed job before its time', async () => {
      const q = makeQueue();
      const name = unique('later');
      let ranAt = 0;
      q.register(name, async () => {
        ranAt = Date.now();
      });
      await q.start();
      const before = Date.now();
      const { id } = await q.enqueue(name, {}, { delayMs: 300 });
      await q.drain(); // a job that is not due yet does not hold up drain
      expect(await q.get(id)).toMatchObject({ status: 'queued' });
      await waitFor('the delayed job', async () => (await q.get(id))?.status === 'completed');
      expect(ranAt - before).toBeGreaterThanOrEqual(300);
    });

    it('reports depth and looks jobs up', async () => {
      const q = makeQueue();
      const name = unique('depth');
      const before = await q.depth();
      const { id } = await q.enqueue(name, {}, { delayMs: 60_000 });
      expect(await q.depth()).toBe(before + 1);
      expect(await q.get(id)).toMatchObject({ id, name, status: 'queued', attempts: 0, finishedAt: null });
      expect(await q.get('999999999')).toBeNull();
      expect(await q.get('not-an-id')).toBeNull();
      await t.database.db.deleteFrom('jobs').where('name', '=', name).execute();
    });

    it('runs one job per name at a time by default and honours a higher concurrency', async () => {
      const q = makeQueue({ maxConcurrency: 8 });
      const single = unique('single');
      const double = unique('double');
      const active = { [single]: 0, [double]: 0 };
      const peak = { [single]: 0, [double]: 0 };
      // The first `double` job waits for a second one to start, so the peak is reached without relying on timing.
      let secondStarted!: () => void;
      const bothStarted = new Promise<void>((resolve) => {
        secondStarted = resolve;
      });
      const track = (name: string, body: () => Promise<void>) => async () => {
        active[name]++;
        peak[name] = Math.max(peak[name], active[name]);
        try {
          await body();
        } finally {
          active[name]--;
        }
      };
      q.register(
        single,
        track(single, () => new Promise((resolve) => setTimeout(resolve, 5))),
      );
      q.register(
        double,
        track(double, async () => {
          if (active[double] === 2) secondStarted();
          await Promise.race([bothStarted, new Promise((resolve) => setTimeout(resolve, 3000))]);
        }),
        { concurrency: 2 },
      );
      for (let i = 0; i < 4; i++) {
        await q.enqueue(single, { i });
        await q.enqueue(double, { i });
      }
      await q.start();
      await q.drain();
      expect(peak[single]).toBe(1);
      expect(peak[double]).toBe(2);
    });

    it('enqueues one job per cron tick across processes', async () => {
      const name = unique('tick');
      const runs = new Map<string, number>();
      const other = t.connectAgain();
      for (const database of [t.database, other]) {
        const q = makeQueue({ database });
        q.register(name, async (_payload, run) => {
          runs.set(run.id, (runs.get(run.id) ?? 0) + 1);
        });
        q.every(name, '* * * * * *', { scheduled: true });
        await q.start();
      }
      await waitFor('a cron tick to run', () => runs.size >= 1, 2500);
      await Promise.all(queues.splice(0).map((q) => q.stop()));
      const rows = await t.database.db.selectFrom('jobs').select(['id', 'key']).where('name', '=', name).execute();
      const ticks = rows.map((r) => r.key?.slice(`cron:${name}:`.length));
      expect(ticks.every((tick) => tick?.endsWith('.000Z'))).toBe(true);
      expect(new Set(ticks).size).toBe(rows.length);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      // A tick enqueued just before stop() may not have run; it must not hold up other tests' drain().
      await t.database.db.deleteFrom('jobs').where('name', '=', name).execute();
    });

    it('runs every job exactly once with two workers on one database', async () => {
      const name = unique('shared');
      const runs = new Map<string, number>();
      const byWorker = [0, 0];
      const databases: Database[] = [t.database, t.connectAgain()];
      const pair = databases.map((database, w) => {
        const q = makeQueue({ database, maxConcurrency: 4 });
        q.register(
          name,
          async (_payload, run) => {
            runs.set(run.id, (runs.get(run.id) ?? 0) + 1);
            byWorker[w]++;
            await new Promise((resolve) => setImmediate(resolve));
          },
          { concurrency: 4 },
        );
        return q;
      });
      const ids: string[] = [];
      for (let i = 0; i < 100; i++) ids.push((await pair[i % 2].enqueue(name, { i })).id);
      await Promise.all(pair.map((q) => q.start()));
      await waitFor('all jobs to run', () => runs.size === ids.length, 15_000);
      await Promise.all(pair.map((q) => q.drain()));
      expect([...runs.keys()].sort()).toEqual([...ids].sort());
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      expect(byWorker[0] + byWorker[1]).toBe(ids.length);
      const statuses = await t.database.db
        .selectFrom('jobs')
        .select('status')
        .distinct()
        .where('name', '=', name)
        .execute();
      expect(statuses.map((s) => s.status)).toEqual(['completed']);
    });

    for (const mode of ['queued', 'running'] as const) {
      it(`runs a job left ${mode} by a killed process exactly once after a restart`, async () => {
        const name = unique(`crash-${mode}`);
        const id = await runChildUntilKilled(mode, t.url, name);
        const row = await t.database.db
          .selectFrom('jobs')
          .selectAll()
          .where('id', '=', Number(id))
          .executeTakeFirstOrThrow();
        expect(row.status).toBe(mode);

        const q = makeQueue();
        const runs: JobRun[] = [];
        const payloads: unknown[] = [];
        q.register(name, async (payload, run) => {
          runs.push(run);
          payloads.push(payload);
        });
        await q.start();
        await waitFor('the orphaned job to complete', async () => (await q.get(id))?.status === 'completed');
        await q.drain();
        expect(payloads).toEqual([{ from: 'child' }]);
        // The try that died with the child counts as an attempt.
        expect(runs).toEqual([{ id, name, attempt: mode === 'running' ? 2 : 1 }]);
      });
    }
  });
}

/** Spawns the crash fixture, waits until the job is enqueued (and started, in `running` mode), then SIGKILLs it. */
async function runChildUntilKilled(mode: 'queued' | 'running', url: string, name: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, mode, url, name], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    await waitFor(
      `the child to reach "${mode}" (stdout: ${out}, stderr: ${err})`,
      () => {
        if (child.exitCode !== null) throw new Error(`child exited early with ${child.exitCode}: ${err}`);
        return /enqueued \d+/.test(out) && (mode === 'queued' || out.includes('started'));
      },
      10_000,
    );
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  return /enqueued (\d+)/.exec(out)![1];
}
