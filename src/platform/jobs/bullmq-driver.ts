import { type Job, type JobsOptions, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DEFAULT_MAX_ATTEMPTS, errorText, retryDelayMs } from './local-driver.js';
import type { JobHandler, JobInfo, JobOptions, JobQueue, JobStatus } from './queue.js';

export interface BullJobQueueOptions {
  redisUrl: string;
  logger: Logger;
  /** Redis key prefix; tests isolate themselves with a random one. */
  prefix?: string;
  queueName?: string;
  /** Jobs running at once in this process, all names together. */
  maxConcurrency?: number;
  /** First retry delay; doubled per attempt (tests scale it down). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /**
   * How long finished jobs stay in Redis. A key is an idempotency key only while its job is kept, so this is
   * the idempotency window (the local driver keeps jobs forever).
   */
  retentionSeconds?: number;
}

/** Our own strategy name, so retries use the same capped, jittered backoff as the local driver. */
const BACKOFF = 'orderloop';

/**
 * BullMQ refuses integer job ids and ids with ':' (its own key separator), so a key is prefixed and escaped
 * injectively: two different keys never map to the same id.
 */
export function jobIdForKey(key: string): string {
  return `k~${key.replaceAll('%', '%25').replaceAll(':', '%3A')}`;
}

/** Jobs in Redis through BullMQ: one queue and one worker per process; schedules are stored in Redis. */
export class BullJobQueue implements JobQueue {
  readonly driver = 'bullmq' as const;
  readonly #logger: Logger;
  readonly #redisUrl: string;
  readonly #prefix: string;
  readonly #queueName: string;
  readonly #maxConcurrency: number;
  readonly #backoffBaseMs: number;
  readonly #backoffCapMs: number;
  readonly #retentionSeconds: number;
  readonly #connection: Redis;
  readonly #queue: Queue;
  readonly #handlers = new Map<string, { handler: JobHandler; slots: Slots }>();
  readonly #schedules = new Map<string, { cron: string; payload: unknown }>();
  readonly #pending = new Set<Promise<unknown>>();
  #workerConnection: Redis | null = null;
  #worker: Worker | null = null;
  #started = false;

  constructor(opts: BullJobQueueOptions) {
    this.#logger = opts.logger;
    this.#redisUrl = opts.redisUrl;
    this.#prefix = opts.prefix ?? 'orderloop';
    this.#queueName = opts.queueName ?? 'jobs';
    this.#maxConcurrency = opts.maxConcurrency ?? 4;
    this.#backoffBaseMs = opts.backoffBaseMs ?? 1000;
    this.#backoffCapMs = opts.backoffCapMs ?? 600_000;
    this.#retentionSeconds = opts.retentionSeconds ?? 30 * 24 * 3600;
    // The enqueue side keeps ioredis's bounded retries so a request fails instead of hanging while Redis is
    // down; only the worker's connection needs BullMQ's `maxRetriesPerRequest: null`.
    this.#connection = new Redis(this.#redisUrl);
    this.#connection.on('error', (err) => this.#logger.warn({ err }, 'redis connection error'));
    this.#queue = new Queue(this.#queueName, { connection: this.#connection, prefix: this.#prefix });
    this.#queue.on('error', (err) => this.#logger.warn({ err }, 'job queue error'));
  }

  register(name: string, handler: JobHandler, opts: { concurrency?: number } = {}): void {
    this.#handlers.set(name, { handler, slots: new Slots(Math.max(1, opts.concurrency ?? 1)) });
  }

  async enqueue(name: string, payload: unknown, opts: JobOptions = {}): Promise<{ id: string; created: boolean }> {
    const jobId = opts.key === undefined ? undefined : jobIdForKey(opts.key);
    // BullMQ's add() silently returns the existing job for a taken id, without saying so. Looking first is
    // racy only between two enqueues of the same key at the same instant: both then report created, but
    // still only one job exists.
    if (jobId !== undefined && (await this.#queue.getJob(jobId))) return { id: jobId, created: false };
    const job = await this.#queue.add(name, payload ?? null, {
      ...this.#jobOptions(opts.maxAttempts),
      jobId,
      delay: Math.max(0, opts.delayMs ?? 0),
    });
    return { id: String(job.id), created: true };
  }

  every(name: string, cron: string, payload?: unknown): void {
    this.#schedules.set(name, { cron, payload });
    if (this.#started) this.#track(this.#upsertSchedule(name, cron, payload));
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    // The scheduler lives in Redis under a fixed id per name, so every replica upserting it still yields one
    // job per tick.
    for (const [name, s] of this.#schedules) this.#track(this.#upsertSchedule(name, s.cron, s.payload));
    this.#workerConnection = new Redis(this.#redisUrl, { maxRetriesPerRequest: null });
    this.#workerConnection.on('error', (err) => this.#logger.warn({ err }, 'redis connection error'));
    this.#worker = new Worker(this.#queueName, (job) => this.#process(job), {
      connection: this.#workerConnection,
      prefix: this.#prefix,
      concurrency: this.#maxConcurrency,
      settings: {
        backoffStrategy: (attemptsMade) => retryDelayMs(attemptsMade, this.#backoffBaseMs, this.#backoffCapMs),
      },
    });
    this.#worker.on('error', (err) => this.#logger.error({ err }, 'job worker error'));
    this.#worker.on('failed', (job, err) => {
      const final = job && job.attemptsMade >= (job.opts.attempts ?? 1);
      this.#logger[final ? 'error' : 'warn']({ err, job: job?.name, jobId: job?.id }, 'job failed');
    });
    await this.#worker.waitUntilReady();
    await Promise.allSettled([...this.#pending]);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
    // Worker.close() waits for the jobs it is running; then the connections can go.
    await this.#worker?.close();
    await this.#queue.close();
    for (const c of [this.#workerConnection, this.#connection]) {
      if (c && c.status !== 'end') await c.quit().catch(() => c.disconnect());
    }
    this.#worker = null;
    this.#workerConnection = null;
    this.#started = false;
  }

  async depth(): Promise<number> {
    const c = await this.#queue.getJobCounts('waiting', 'delayed', 'prioritized');
    return (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
  }

  async get(id: string): Promise<JobInfo | null> {
    const job = await this.#queue.getJob(id);
    if (!job) return null;
    const state = await job.getState();
    return {
      id: String(job.id),
      name: job.name,
      status: statusOf(state),
      attempts: job.attemptsMade,
      lastError: job.failedReason || null,
      createdAt: new Date(job.timestamp).toISOString(),
      finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    };
  }

  /** Waits until nothing is waiting or active; delayed jobs (pending retries, future schedule ticks) do not count. */
  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await this.#queue.getJobCounts('waiting', 'active', 'prioritized');
      const busy = (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
      if (busy === 0) return;
      if (Date.now() >= deadline)
        throw new Error(`jobs not drained within ${timeoutMs} ms (${busy} waiting or active)`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  #jobOptions(maxAttempts?: number): JobsOptions {
    return {
      attempts: Math.max(1, maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
      backoff: { type: BACKOFF },
      removeOnComplete: { age: this.#retentionSeconds },
      removeOnFail: { age: this.#retentionSeconds },
    };
  }

  async #upsertSchedule(name: string, pattern: string, payload: unknown): Promise<void> {
    try {
      await this.#queue.upsertJobScheduler(
        name,
        { pattern },
        { name, data: payload ?? null, opts: this.#jobOptions() },
      );
    } catch (err) {
      this.#logger.error({ err, job: name }, 'could not register job schedule');
    }
  }

  #track(p: Promise<unknown>): void {
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  async #process(job: Job): Promise<void> {
    const entry = this.#handlers.get(job.name);
    // Thrown, not swallowed: another replica (e.g. a newer version during a rolling deploy) may know the name.
    if (!entry) throw new Error(`no handler registered for ${job.name}`);
    // Per-name concurrency holds in this process only; a job waiting for its slot occupies a worker slot.
    await entry.slots.acquire();
    try {
      await entry.handler(job.data, {
        id: String(job.id),
        name: job.name,
        attempt: Math.max(job.attemptsStarted, job.attemptsMade + 1),
      });
    } catch (err) {
      throw err instanceof Error ? err : new Error(errorText(err));
    } finally {
      entry.slots.release();
    }
  }
}

function statusOf(state: string): JobStatus {
  switch (state) {
    case 'completed':
      return 'completed';
    case 'failed':
      return 'failed';
    case 'active':
      return 'running';
    default:
      return 'queued';
  }
}

/** A counting semaphore. */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(size: number) {
    this.#free = size;
  }
  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}
