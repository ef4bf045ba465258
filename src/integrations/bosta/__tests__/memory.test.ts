import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { SimulatorEngine } from '../simulator/engine.js';
import { defaultSimulatorSettings } from '../simulator/settings.js';

/** A real garbage collection, so the measure is of what stays alive. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

function used(): number {
  const m = process.memoryUsage();
  // Typed arrays live outside the JS heap (arrayBuffers); count both so the check is honest.
  return m.heapUsed + m.arrayBuffers;
}

describe('simulator memory', () => {
  it('holds 1,000,000 deliveries, sorted and searchable, in well under 150 MB', () => {
    collectGarbage();
    const before = used();
    const engine = new SimulatorEngine({
      deliveries: 1_000_000,
      seed: 99,
      anchorMs: Date.parse('2025-09-01T00:00:00Z'),
      settings: defaultSimulatorSettings(),
    });
    const page = JSON.parse(String(engine.searchDeliveries({ page: 2_500, limit: 200 }).body));
    expect(page.data.count).toBe(1_000_000);
    expect(page.data.deliveries).toHaveLength(200);
    collectGarbage();
    const extraMb = (used() - before) / 1024 / 1024;
    expect(engine.store.size).toBe(1_000_000);
    expect(extraMb).toBeLessThan(150);
  });
});
