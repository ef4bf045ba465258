/** Options of one enqueued job. */
export interface JobOptions {
  /** Idempotency key: a second enqueue with the same key returns the first job instead of adding one. */
  key?: string;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** Total tries before the job is marked failed (default 5). */
  maxAttempts?: number;
}

export interface JobRun {
  id: string;
  name: string;
  /** 1 for the first try. */
  attempt: number;
}

export type JobHandler = (payload: any, run: JobRun) => Promise<void>;

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface JobInfo {
  id: string;
  name: string;
  status: JobStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/**
 * The job queue every part of Orderloop uses. Two drivers implement it: a local one that persists jobs in the
 * database (SQLite or PostgreSQL) and runs them in-process, and a BullMQ one used when REDIS_URL is set.
 */
export interface JobQueue {
  readonly driver: 'local' | 'bullmq';
  /** Declares the handler of a job name; call before start(). */
  register(name: string, handler: JobHandler, opts?: { concurrency?: number }): void;
  enqueue(name: string, payload: unknown, opts?: JobOptions): Promise<{ id: string; created: boolean }>;
  /** Runs `name` on a cron schedule (croner syntax), once per tick across all processes. */
  every(name: string, cron: string, payload?: unknown): void;
  /** Starts the worker and scheduler (processes with role worker or all). */
  start(): Promise<void>;
  /** Stops taking new jobs and waits for running ones to finish. */
  stop(): Promise<void>;
  /** Jobs waiting or delayed (for metrics). */
  depth(): Promise<number>;
  get(id: string): Promise<JobInfo | null>;
  /** Resolves when no job is queued or running (tests). */
  drain(timeoutMs?: number): Promise<void>;
}
