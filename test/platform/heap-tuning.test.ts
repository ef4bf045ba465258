import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../support/heap-churn.ts', import.meta.url));

async function peakHeap(mode: 'plain' | 'tuned'): Promise<number> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, mode], { timeout: 60_000 });
  const r = JSON.parse(stdout) as { peakBytes: number; liveArrays: number; windowPages: number };
  expect(r).toMatchObject({ liveArrays: 600, windowPages: 8 });
  return r.peakBytes;
}

describe('heap tuning of Orderloop processes', () => {
  it('keeps the heap near what is alive while medium-lived garbage piles up (a sync), where V8 alone lets it grow', async () => {
    const [plain, tuned] = await Promise.all([peakHeap('plain'), peakHeap('tuned')]);
    // ~60 MB stays alive and ~8 pages (~10 MB each) are in flight: V8's own growth factor let the heap reach
    // several times that before collecting; 20 % growth keeps it within a small multiple of it.
    expect(tuned).toBeLessThan(plain * 0.6);
    expect(tuned).toBeLessThan(400e6);
  }, 90_000);
});
