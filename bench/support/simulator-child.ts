/**
 * Child process: the Bosta simulator (a real HTTP server) for benchmarks that sync from it. Started by
 * `startSimulatorProcess()`; prints `{ url, apiKey }` once it listens and runs until stopped (SIGTERM or the
 * parent's stdin closing), so the simulator's memory and CPU are never counted in the syncing process.
 */
import { startBostaSimulator } from '../../src/integrations/bosta/simulator/server.js';
import { answer, childInput, fail } from './child-script.js';

interface Input {
  deliveries: number;
  seed: number;
}

let close: (() => Promise<void>) | null = null;
const input = childInput<Input>(async () => {
  await close?.();
});

try {
  const started = performance.now();
  const sim = await startBostaSimulator({ deliveries: input.deliveries, seed: input.seed, port: 0 });
  close = () => sim.close();
  answer({
    url: sim.url,
    apiKey: sim.apiKey,
    startMs: Math.round(performance.now() - started),
    rssBytes: process.memoryUsage().rss,
  });
} catch (err) {
  fail(err);
}
