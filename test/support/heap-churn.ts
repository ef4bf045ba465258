/**
 * A child process for `heap-tuning.test.ts`: holds ~60 MB alive, then allocates pages of data that each
 * outlive several young collections before dying (as a sync's pages do), and prints the largest heap V8
 * reserved. Run with `tuned` to apply the server's heap settings first.
 */
import { tuneHeap } from '../../src/platform/heap-tuning.js';

if (process.argv[2] === 'tuned') tuneHeap();
const live: string[][] = [];
for (let i = 0; i < 600; i++) live.push(Array.from({ length: 1000 }, (_, j) => `live-${i}-${j}`.padEnd(64, 'x')));
const window: unknown[] = [];
let peak = 0;
for (let page = 0; page < 400; page++) {
  window.push(Array.from({ length: 5000 }, (_, j) => ({ page, j, text: `p${page}-${j}`.padEnd(200, 'y') })));
  if (window.length > 8) window.shift();
  peak = Math.max(peak, process.memoryUsage().heapTotal);
}
process.stdout.write(JSON.stringify({ peakBytes: peak, liveArrays: live.length, windowPages: window.length }));
