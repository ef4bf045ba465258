/**
 * Child process of the ingest benchmark: one full Bosta sync, measured (see `sync-run.ts`); the sync reports
 * the time of each ingest stage, hierarchy linking included.
 */
import { tuneHeap } from '../../src/platform/heap-tuning.js';
import { childInput, fail, finish } from './child-script.js';
import type { SyncInput } from './sync-run.js';

// The heap settings of the server's process (`src/main.ts`), so the peak RSS measured is production's.
tuneHeap();

let close: (() => Promise<void>) | null = null;
const input = childInput<SyncInput>(async () => {
  await close?.();
});

try {
  const { closeSync, measureSync } = await import('./sync-run.js');
  close = closeSync;
  finish(await measureSync(input));
} catch (err) {
  fail(err);
}
