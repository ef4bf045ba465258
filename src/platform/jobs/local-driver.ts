import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Cron } from 'croner';
import type { ExpressionBuilder, Selectable } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/connect.js';
import type { DB } from '../db/schema.js';
import type { JobHandler, JobInfo, JobOptions, JobQueue, JobStatus } from './queue.js';

type JobRow = Selectable<DB['jobs']>;

export interface LocalJobQueueOptions {
  database: Database;
  logger: Logger;
  /** How often the worker looks for due jobs it was not woken for (other processes, retries, expired leases). */
  pollMs?: number;
  /** Written to `locked_by`; defaults to host:pid:random so two queues in one process are still distinct. */
  workerId?: string;
  /** How long a claim is valid without a heartbeat; a crashed process's jobs are retried once it expires. */
  leaseMs?: number;
  /** Jobs running at once in this process, all names together. */
  maxConcurrency?: number;
  /** First retry delay; doubled per attempt (tests scale it down). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
const MAX_ERROR_LENGTH = 2000;

/** Exponential backoff with "equal jitter": at least half the delay, so a burst of failures spreads out but still backs off. */
export function retryDelayMs(attempt: number, baseMs = 1000, capMs = 600_000): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (Math.random() * exp) / 2);
}

export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  return text.slice(0, MAX_ERROR_LENGTH);
}

/**
 * Jobs persisted in the `jobs` table and run in-process. Several processes may share one database: a claim is a
 * single atomic UPDATE, and a claim is a lease kept alive by a heartbeat, so a crashed process's jobs run again.
 */
export class LocalJobQueue implements JobQueue {
  readonly driver = 'local' as const;
  readonly #database: Database;
  readonly #logger: Logger;
  readonly #pollMs: number;
  readonly #workerId: string;
  readonly #leaseMs: number;
  readonly #maxConcurrency: number;
  readonly #backoffBaseMs: number;
  readonly #backoffCapMs: number;

  readonly #handlers = new Map<string, { handler: JobHandler; concurrency: number }>();
  readonly #runningByName = new Map<string, number>();
  readonly #active = new Set<Promise<void>>();
  readonly #schedules = new Map<string, { cron: string; payload: unknown; job: Cron | null }>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #poller: NodeJS.Timeout | null = null;
  #started = false;
  #stopping = false;
  #filling: Promise<void> | null = null;
  #fillAgain = false;

  constructor(opts: LocalJobQueueOptions) {
    this.#database = opts.database;
    this.#logger = opts.logger;
    this.#pollMs = opts.pollMs ?? 250;
    this.#workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#leaseMs = opts.leaseMs ?? 60_000;
    this.#maxConcurrency = opts.maxConcurrency ?? 4;
    this.#backoffBaseMs = opts.backoffBaseMs ?? 1000;
    this.#backoffCapMs = opts.backoffCapMs ?? 600_000;
  }

  register(name: string, handler: JobHandler, opts: { concurrency?: number } = {}): void {
    this.#handlers.set(name, { handler, concurrency: Math.max(1, opts.concurrency ?? 1) });
  }

  async enqueue(name: string, payload: unknown, opts: JobOptions = {}): Promise<{ id: string; created: boolean }> {
    const now = Date.now();
    const delayMs = Math.max(0, opts.delayMs ?? 0);
    const nowIso = new Date(now).toISOString();
    // ON CONFLICT DO NOTHING rather than catching the violation: on PostgreSQL a failed insert is logged by the
    // server and would abort a surrounding transaction.
    const inserted = await this.#database.db
      .insertInto('jobs')
      .values({
        name,
        payload: JSON.stringify(payload ?? null),
        key: opts.key ?? null,
        status: 'queued',
        attempts: 0,
        max_attempts: Math.max(1, opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
        run_at: new Date(now + delayMs).toISOString(),
        created_at: nowIso,
        updated_at: nowIso,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) {
      this.#wakeIn(delayMs);
      return { id: String(inserted.id), created: true };
    }
    // The key is a permanent idempotency key: the existing job is returned whatever its state.
    const existing = await this.#database.db
      .selectFrom('jobs')
      .select('id')
      .where('key', '=', opts.key ?? null)
      .executeTakeFirstOrThrow();
    return { id: String(existing.id), created: false };
  }

  every(name: string, cron: string, payload?: unknown): void {
    this.#schedules.get(name)?.job?.stop();
    const schedule = { cron, payload, job: null as Cron | null };
    this.#schedules.set(name, schedule);
    if (this.#started) schedule.job = this.#schedule(name, cron, payload);
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#stopping = false;
    for (const [name, s] of this.#schedules) s.job = this.#schedule(name, s.cron, s.payload);
    let lastSweep = 0;
    this.#poller = setInterval(() => {
      // Expired final attempts are rare: look for them every few seconds, not on every poll.
      if (Date.now() - lastSweep < Math.min(this.#leaseMs, 5000)) return this.#wake();
      lastSweep = Date.now();
      void this.#failExpiredFinalAttempts().finally(() => this.#wake());
    }, this.#pollMs);
    this.#wake();
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#stopping = true;
    if (this.#poller) clearInterval(this.#poller);
    this.#poller = null;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const s of this.#schedules.values()) {
      s.job?.stop();
      s.job = null;
    }
    await this.#filling;
    await Promise.allSettled([...this.#active]);
    this.#started = false;
  }

  async depth(): Promise<number> {
    const r = await this.#database.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'queued')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async get(id: string): Promise<JobInfo | null> {
    const n = Number(id);
    if (!Number.isSafeInteger(n)) return null;
    const row = await this.#database.db.selectFrom('jobs').selectAll().where('id', '=', n).executeTakeFirst();
    if (!row) return null;
    return {
      id: String(row.id),
      name: row.name,
      status: row.status as JobStatus,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
    };
  }

  /** Waits until no job is due-and-queued or running anywhere in the table; delayed jobs (and pending retries) do not count. */
  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const nowIso = new Date().toISOString();
      const r = await this.#database.db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll().as('n'))
        .where((eb) =>
          eb.or([eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', nowIso)]), eb('status', '=', 'running')]),
        )
        .executeTakeFirstOrThrow();
      const busy = Number(r.n);
      if (busy === 0 && this.#active.size === 0) return;
      if (Date.now() >= deadline)
        throw new Error(`jobs not drained within ${timeoutMs} ms (${busy} queued or running)`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(25, this.#pollMs)));
    }
  }

  #schedule(name: string, pattern: string, payload: unknown): Cron {
    let due: Date | null = null;
    const job: Cron = new Cron(pattern, async () => {
      // The key uses the tick croner aimed at, not the wall clock, so every process derives the same key even
      // when its timer fires late; the unique key then leaves one job per tick.
      const tick = due ?? new Date();
      due = job.nextRun();
      try {
        await this.enqueue(name, payload, { key: `cron:${name}:${tick.toISOString()}` });
      } catch (err) {
        this.#logger.error({ err, job: name }, 'could not enqueue scheduled job');
      }
    });
    due = job.nextRun();
    return job;
  }

  /** Wakes the worker now, or at `delayMs` when that comes before the next poll. */
  #wakeIn(delayMs: number): void {
    if (!this.#started || this.#stopping) return;
    if (delayMs <= 0) {
      this.#wake();
      return;
    }
    if (delayMs >= this.#pollMs) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      this.#wake();
    }, delayMs + 1);
    this.#timers.add(t);
  }

  #wake(): void {
    if (!this.#started || this.#stopping) return;
    if (this.#filling) {
      this.#fillAgain = true;
      return;
    }
    this.#filling = this.#fill().finally(() => {
      this.#filling = null;
    });
  }

  /** Claims due jobs until every slot is busy or nothing is due. */
  async #fill(): Promise<void> {
    do {
      this.#fillAgain = false;
      while (!this.#stopping && this.#active.size < this.#maxConcurrency) {
        const names = [...this.#handlers].filter(([n, h]) => (this.#runningByName.get(n) ?? 0) < h.concurrency);
        if (names.length === 0) break;
        let row: JobRow | undefined;
        try {
          row = await this.#claim(names.map(([n]) => n));
        } catch (err) {
          this.#logger.error({ err }, 'could not claim a job');
          return;
        }
        if (!row) break;
        this.#start(row);
      }
    } while (this.#fillAgain && !this.#stopping);
  }

  /**
   * Atomically takes one due job (or one whose lease expired) among `names`. PostgreSQL: FOR UPDATE SKIP LOCKED
   * lets concurrent workers pass each other. SQLite: an UPDATE takes the write lock before reading, so the
   * subquery and the update cannot interleave with another writer.
   */
  async #claim(names: string[]): Promise<JobRow | undefined> {
    const now = Date.now();
    const nowIso = new Date(now).toISOString();
    const claimable = (eb: ExpressionBuilder<DB, 'jobs'>) =>
      eb.and([
        eb('name', 'in', names),
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', nowIso)]),
          eb.and([
            eb('status', '=', 'running'),
            eb('locked_until', '<', nowIso),
            eb('attempts', '<', eb.ref('max_attempts')),
          ]),
        ]),
      ]);
    const next = this.#database.db
      .selectFrom('jobs')
      .select('id')
      .where(claimable)
      .orderBy('run_at')
      .orderBy('id')
      .limit(1)
      .$if(this.#database.dialect === 'postgres', (q) => q.forUpdate().skipLocked());
    return this.#database.db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        attempts: eb('attempts', '+', 1),
        locked_by: this.#workerId,
        locked_until: new Date(now + this.#leaseMs).toISOString(),
        updated_at: nowIso,
      }))
      .where('id', '=', next)
      .where(claimable)
      .returningAll()
      .executeTakeFirst();
  }

  /** A process that died during a job's last attempt never records the failure: the lease expiry does. */
  async #failExpiredFinalAttempts(): Promise<void> {
    const nowIso = new Date().toISOString();
    try {
      await this.#database.db
        .updateTable('jobs')
        .set({
          status: 'failed',
          last_error: 'lease expired during the last attempt (worker crashed or stalled)',
          locked_by: null,
          locked_until: null,
          finished_at: nowIso,
          updated_at: nowIso,
        })
        .where('status', '=', 'running')
        .where('locked_until', '<', nowIso)
        .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
        .execute();
    } catch (err) {
      this.#logger.error({ err }, 'could not sweep expired jobs');
    }
  }

  #start(row: JobRow): void {
    this.#runningByName.set(row.name, (this.#runningByName.get(row.name) ?? 0) + 1);
    const p: Promise<void> = this.#run(row).finally(() => {
      this.#active.delete(p);
      this.#runningByName.set(row.name, (this.#runningByName.get(row.name) ?? 1) - 1);
      this.#wake();
    });
    this.#active.add(p);
  }

  async #run(row: JobRow): Promise<void> {
    const entry = this.#handlers.get(row.name)!;
    const log = this.#logger.child({ job: row.name, jobId: row.id, attempt: row.attempts });
    const heartbeat = setInterval(() => void this.#extendLease(row.id, log), Math.max(10, this.#leaseMs / 3));
    let error: unknown = null;
    let ok = false;
    try {
      const payload = this.#database.dialect === 'postgres' ? row.payload : JSON.parse(row.payload as string);
      await entry.handler(payload, { id: String(row.id), name: row.name, attempt: row.attempts });
      ok = true;
    } catch (err) {
      error = err;
    } finally {
      clearInterval(heartbeat);
    }
    try {
      await this.#finish(row, ok, error, log);
    } catch (err) {
      // The lease will expire and the job will run again: handlers must be idempotent anyway.
      log.error({ err }, 'could not record job outcome');
    }
  }

  async #extendLease(id: number, log: Logger): Promise<void> {
    try {
      const r = await this.#database.db
        .updateTable('jobs')
        .set({ locked_until: new Date(Date.now() + this.#leaseMs).toISOString() })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where('locked_by', '=', this.#workerId)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) log.warn('job lease lost: another worker may run it again');
    } catch (err) {
      log.error({ err }, 'could not extend job lease');
    }
  }

  async #finish(row: JobRow, ok: boolean, error: unknown, log: Logger): Promise<void> {
    const now = Date.now();
    const nowIso = new Date(now).toISOString();
    const final = !ok && row.attempts >= row.max_attempts;
    const retryIn = ok || final ? 0 : retryDelayMs(row.attempts, this.#backoffBaseMs, this.#backoffCapMs);
    const r = await this.#database.db
      .updateTable('jobs')
      .set(
        ok
          ? { status: 'completed', finished_at: nowIso }
          : {
              status: final ? 'failed' : 'queued',
              last_error: errorText(error),
              run_at: final ? row.run_at : new Date(now + retryIn).toISOString(),
              finished_at: final ? nowIso : null,
            },
      )
      .set({ locked_by: null, locked_until: null, updated_at: nowIso })
      .where('id', '=', row.id)
      .where('status', '=', 'running')
      .where('locked_by', '=', this.#workerId)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) log.warn('job outcome not recorded: its lease had been taken over');
    else if (ok) log.debug('job completed');
    else if (final) log.error({ err: error }, 'job failed for good');
    else {
      log.warn({ err: error, retryInMs: retryIn }, 'job failed, will retry');
      this.#wakeIn(retryIn);
    }
  }
}
