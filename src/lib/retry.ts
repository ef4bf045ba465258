/**
 * Retry with exponential backoff and full jitter. Pure apart from timers, so every provider client
 * (Bosta, MoySklad, …) can share it.
 */

export interface BackoffOptions {
  /** Delay cap of the first retry before jitter (ms). */
  baseMs: number;
  /** Upper bound of any single delay (ms). */
  maxMs: number;
  /** Uniform random source in [0, 1); injectable for tests. */
  rng?: () => number;
}

/** Full-jitter backoff: a uniform delay in [0, min(maxMs, baseMs · 2^attempt)). `attempt` starts at 0. */
export function backoffDelay(attempt: number, { baseMs, maxMs, rng = Math.random }: BackoffOptions): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.floor(rng() * Math.max(0, exp));
}

/**
 * Parses an HTTP `Retry-After` value (delta seconds, possibly fractional, or an HTTP date) into a delay in
 * milliseconds relative to `now`. Returns undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(headerValue: string | string[] | null | undefined, now: number = Date.now()) {
  const raw = Array.isArray(headerValue) ? headerValue[0] : headerValue;
  if (raw === undefined || raw === null) return undefined;
  const value = String(raw).trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP date always names its month; bare numbers like "-5" would otherwise parse as years.
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** What `shouldRetry` answers: no, yes (computed backoff), or yes after an explicit delay (e.g. Retry-After). */
export type RetryVerdict = boolean | { delayMs: number };

export interface RetryInfo {
  /** Index of the retry about to happen (0 for the first retry). */
  attempt: number;
  delayMs: number;
  error: unknown;
}

export interface WithRetriesOptions {
  /** Number of retries after the first try (total tries = retries + 1). */
  retries: number;
  shouldRetry: (error: unknown, attempt: number) => RetryVerdict;
  onRetry?: (info: RetryInfo) => void;
  signal?: AbortSignal;
  baseMs?: number;
  maxMs?: number;
  /** Give up (rethrow the last error) rather than wait more than this in total. */
  maxTotalWaitMs?: number;
  rng?: () => number;
}

/** Sleeps `ms`, rejecting with the signal's reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` and retries it while `shouldRetry` agrees, waiting a full-jitter backoff (or the delay the verdict
 * names) between tries. The last error is rethrown when retries or the total wait budget run out.
 */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, options: WithRetriesOptions): Promise<T> {
  const { retries, shouldRetry, onRetry, signal, baseMs = 200, maxMs = 10_000, rng } = options;
  const maxTotalWaitMs = options.maxTotalWaitMs ?? Number.POSITIVE_INFINITY;
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw signal.reason;
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= retries || signal?.aborted) throw error;
      const verdict = shouldRetry(error, attempt);
      if (verdict === false) throw error;
      const delayMs =
        typeof verdict === 'object' ? Math.max(0, verdict.delayMs) : backoffDelay(attempt, { baseMs, maxMs, rng });
      if (waited + delayMs > maxTotalWaitMs) throw error;
      onRetry?.({ attempt, delayMs, error });
      waited += delayMs;
      await sleep(delayMs, signal);
    }
  }
}
