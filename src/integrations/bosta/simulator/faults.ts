/**
 * Fault injection for `/api/v2` requests: 5xx, 429 with Retry-After, hangs past the client's timeout, and
 * truncated JSON. Faults come from an explicit queue first (deterministic tests), then from the rates.
 */
import { Rng } from './prng.js';
import type { FaultSettings } from './settings.js';

export type FaultKind = '5xx' | '429' | 'hang' | 'malformed';

export const FAULT_KINDS: readonly FaultKind[] = ['5xx', '429', 'hang', 'malformed'];

export class FaultInjector {
  private queue: FaultKind[] = [];
  private readonly rng: Rng;
  /** How many faults of each kind were served. */
  readonly served: Record<FaultKind, number> = { '5xx': 0, '429': 0, hang: 0, malformed: 0 };

  constructor(seed: number) {
    this.rng = new Rng(seed ^ 0xfa017);
  }

  /** The next API requests get these faults, in order, before any random ones. */
  enqueue(kinds: readonly FaultKind[]): void {
    for (const kind of kinds) if (FAULT_KINDS.includes(kind)) this.queue.push(kind);
  }

  clear(): void {
    this.queue = [];
  }

  get queued(): number {
    return this.queue.length;
  }

  decide(settings: FaultSettings): FaultKind | undefined {
    const kind = this.queue.shift() ?? this.draw(settings);
    if (kind) this.served[kind]++;
    return kind;
  }

  private draw(s: FaultSettings): FaultKind | undefined {
    if (s.hangRate > 0 && this.rng.chance(s.hangRate)) return 'hang';
    if (s.errorRate5xx > 0 && this.rng.chance(s.errorRate5xx)) return '5xx';
    if (s.rateLimitRate > 0 && this.rng.chance(s.rateLimitRate)) return '429';
    if (s.malformedJsonRate > 0 && this.rng.chance(s.malformedJsonRate)) return 'malformed';
    return undefined;
  }

  /** Which 5xx to answer: a JSON 500, an HTML 502 from a proxy, or a JSON 503. */
  pickServerError(): 500 | 502 | 503 {
    return this.rng.pick([500, 502, 503] as const);
  }
}
