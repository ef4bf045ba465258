import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, withRetries } from '../retry.js';

describe('backoffDelay', () => {
  it('grows exponentially up to the cap with full jitter', () => {
    const top = () => 0.999999;
    expect(backoffDelay(0, { baseMs: 100, maxMs: 5000, rng: top })).toBe(99);
    expect(backoffDelay(3, { baseMs: 100, maxMs: 5000, rng: top })).toBe(799);
    expect(backoffDelay(10, { baseMs: 100, maxMs: 5000, rng: top })).toBe(4999);
    expect(backoffDelay(5, { baseMs: 100, maxMs: 5000, rng: () => 0 })).toBe(0);
  });

  it('stays within [0, cap) for many random draws', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const d = backoffDelay(attempt, { baseMs: 50, maxMs: 2000 });
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(2000);
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-07-20T10:00:00.000Z');
  it('reads delta seconds, including fractions', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('0.25', now)).toBe(250);
    expect(parseRetryAfter(['2'], now)).toBe(2000);
  });
  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Sun, 20 Jul 2025 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Sun, 20 Jul 2025 09:00:00 GMT', now)).toBe(0);
  });
  it('returns undefined for missing or garbage values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('withRetries', () => {
  it('retries until success and reports each retry', async () => {
    const seen: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw new Error('boom');
        return 'ok';
      },
      { retries: 5, baseMs: 1, maxMs: 2, shouldRetry: () => true, onRetry: (i) => seen.push(i.attempt) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(seen).toEqual([0, 1]);
  });

  it('rethrows the last error once retries run out', async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw new Error(`fail ${calls}`);
        },
        { retries: 2, baseMs: 1, maxMs: 1, shouldRetry: () => true },
      ),
    ).rejects.toThrow('fail 3');
    expect(calls).toBe(3);
  });

  it('does not retry when shouldRetry says no', async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw new Error('fatal');
        },
        { retries: 5, shouldRetry: () => false },
      ),
    ).rejects.toThrow('fatal');
    expect(calls).toBe(1);
  });

  it('uses the explicit delay of a verdict and respects the total wait cap', async () => {
    const delays: number[] = [];
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw new Error('slow down');
        },
        {
          retries: 10,
          shouldRetry: () => ({ delayMs: 20 }),
          onRetry: (i) => delays.push(i.delayMs),
          maxTotalWaitMs: 50,
        },
      ),
    ).rejects.toThrow('slow down');
    expect(delays).toEqual([20, 20]);
    expect(calls).toBe(3);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = withRetries(
      async () => {
        calls++;
        throw new Error('again');
      },
      { retries: 10, shouldRetry: () => ({ delayMs: 10_000 }), signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('aborted')), 10);
    await expect(run).rejects.toThrow('aborted');
    expect(calls).toBe(1);
  });
});
