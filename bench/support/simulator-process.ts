import { progress } from '../harness.js';
import { benchScript, startChildScript } from './child-script.js';

/** A Bosta simulator running in a child process. */
export interface SimulatorProcess {
  /** API base for a BostaClient, e.g. `http://127.0.0.1:43121/api/v2`. */
  url: string;
  apiKey: string;
  /** Stops the child (SIGTERM, then SIGKILL); idempotent. */
  close(): Promise<void>;
}

/** Starts the simulator with `deliveries` generated deliveries in its own process and waits until it listens. */
export async function startSimulatorProcess(deliveries: number, seed = 42): Promise<SimulatorProcess> {
  const c = startChildScript(benchScript('simulator-child.ts'), { deliveries, seed });
  try {
    const ready = await c.next<{ url: string; apiKey: string; startMs: number; rssBytes: number }>();
    progress(
      `simulator: ${deliveries.toLocaleString('en-US')} deliveries ready in ${ready.startMs} ms ` +
        `(its own process, ${Math.round(ready.rssBytes / 1e6)} MB RSS)`,
    );
    return { url: ready.url, apiKey: ready.apiKey, close: () => c.stop() };
  } catch (err) {
    await c.stop();
    throw err;
  }
}
