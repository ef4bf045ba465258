/**
 * A token bucket that spaces outgoing requests to at most `perSecond` on average, allowing a burst of the same
 * size. Waiters are served in arrival order. Bosta documents no limit (§2.3), so this only protects them from us.
 */
export class RateBudget {
  private readonly intervalMs: number;
  private readonly capacity: number;
  private tokens: number;
  private refilledAt: number;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(perSecond > 0)) throw new RangeError('rate budget must be a positive number of requests per second');
    this.intervalMs = 1000 / perSecond;
    this.capacity = Math.max(1, Math.floor(perSecond));
    this.tokens = this.capacity;
    this.refilledAt = now();
  }

  /** Resolves when the caller may send one request. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.tail.then(() => this.takeToken(signal));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async takeToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = this.now();
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) / this.intervalMs);
      this.refilledAt = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil((1 - this.tokens) * this.intervalMs);
      await new Promise<void>((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
