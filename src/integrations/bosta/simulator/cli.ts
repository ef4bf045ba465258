/**
 * `orderloop simulate bosta --port 4010 --deliveries 10000 --seed 42`: starts the simulator and prints where it
 * listens and which key to use. The CLI wiring (commander) lives in main.ts; this takes parsed options.
 */
import { type RunningBostaSimulator, type StartBostaSimulatorOptions, startBostaSimulator } from './server.js';

export interface SimulateBostaCommandOptions {
  port?: number | string;
  host?: string;
  deliveries?: number | string;
  seed?: number | string;
  apiKey?: string;
  /** Account webhook URL, optionally with `webhookHeader` as `name:value`. */
  webhook?: string;
  webhookHeader?: string;
  /** Where to print (default: stdout). */
  print?: (line: string) => void;
}

function toInt(value: number | string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`--${name} must be a non-negative integer, got ${String(value)}`);
  return n;
}

/** Starts the simulator from parsed CLI options and returns the running handle (close it to stop). */
export async function runSimulatorCommand(options: SimulateBostaCommandOptions = {}): Promise<RunningBostaSimulator> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const start: StartBostaSimulatorOptions = {
    port: toInt(options.port, 'port') ?? 4010,
    host: options.host,
    deliveries: toInt(options.deliveries, 'deliveries') ?? 10_000,
    seed: toInt(options.seed, 'seed') ?? 42,
    apiKey: options.apiKey,
  };
  if (options.webhook) {
    const [headerName, ...rest] = (options.webhookHeader ?? '').split(':');
    start.webhook = {
      url: options.webhook,
      ...(headerName && rest.length > 0 ? { headerName: headerName.trim(), headerValue: rest.join(':').trim() } : {}),
    };
  }
  const sim = await startBostaSimulator(start);
  print(`Bosta simulator listening on ${sim.url}`);
  print(`  deliveries: ${start.deliveries}, seed: ${start.seed}`);
  print(`  API key (send raw in Authorization): ${sim.apiKey}`);
  print(`  dashboard login: ${sim.login.email} / ${sim.login.password}`);
  print(`  control: ${sim.origin}/__control/truth`);
  return sim;
}
