import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets the old generation grow past what the last full collection kept alive before collecting
 * again: 20 % instead of its own factor (up to 4×, chosen from how fast collection runs). A sync keeps each
 * page's data alive across a transaction, so it survives young collections and becomes old garbage; with
 * V8's default the heap of a syncing server grew from ~90 to ~190 MB between full collections, and a
 * 300,000-delivery sync peaked at 332–349 MB of RSS. At 30 % a 300,000 sync peaked at 269–274 MB and a
 * 1,000,000 one at 301 MB; at 20 %, 293 MB over 1,000,000 (heap up to 119 MB), and the syncs were no slower.
 * A soft setting: unlike a heap limit, it never makes the process run out of memory.
 */
export const HEAP_GROWING_PERCENT = 20;

/** Applies the heap settings of every Orderloop process (the CLI entry calls it first; the ingest bench too). */
export function tuneHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
