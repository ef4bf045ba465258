import { readFileSync, writeFileSync } from 'node:fs';

/**
 * The kernel's own peak-RSS counter of this process (Linux `VmHWM`), exact where sampling can miss a spike.
 * `resetPeakRss()` starts a new high-water mark (writing 5 to /proc/self/clear_refs, Linux ≥ 4.0), so setup
 * before the measured work does not count. Both return false/null where unsupported; callers then sample.
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak RSS in bytes since start or the last reset, or null when the platform does not say. */
export function readPeakRss(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
