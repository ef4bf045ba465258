import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Bench scripts that run in a child Node process (with tsx), so their memory and CPU are not the caller's:
 * the Bosta simulator, a sync under measurement, the raw-insert baseline. Protocol: the parent writes nothing
 * and keeps the child's stdin open; the child prints JSON lines on stdout (results) and diagnostics on stderr
 * (passed through); a child whose stdin ends (the parent died) stops on its own.
 */

/** The tsx loader as a URL for `--import`, resolved from here so it works whatever the working directory. */
function tsxLoader(): string {
  return import.meta.resolve('tsx');
}

/** Absolute path of a script next to this file, e.g. `benchScript('sync-child.ts')`. */
export function benchScript(name: string): string {
  return fileURLToPath(new URL(name, import.meta.url));
}

export interface ChildScript {
  child: ChildProcess;
  /** Resolves with each JSON line in turn: `next()` waits for the next one (rejects if the child exits first). */
  next<T>(): Promise<T>;
  /** Resolves with the exit code once the child has exited. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the child is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Compiles a bench script, with everything under `src/`, by tsc into `.bench/build/` (git-ignored, inside the
 * repository so packages resolve) and returns the compiled script. Run by plain node, its process holds what the
 * compiled server holds — no tsx loader, no source of every module kept for source maps — so memory measured
 * there is what production uses. Seconds with the native compiler.
 */
export function compiledBenchScript(name: string): string {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const dir = join(root, '.bench');
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'tsconfig.bench-build.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: '../tsconfig.json',
      compilerOptions: { outDir: './build', rootDir: '..', noEmit: false, sourceMap: false },
      files: [`../bench/support/${name}`],
      include: ['../src'],
      exclude: ['../src/**/__tests__/**'],
    }),
  );
  const r = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', config], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`compiling ${name} failed:\n${r.stdout}${r.stderr}`);
  return join(dir, 'build', 'bench', 'support', name.replace(/\.ts$/, '.js'));
}

/**
 * Starts `node --import tsx <script> <json input>` (plain `node` for a compiled `.js` script); stderr is
 * passed through, stdout read as JSON lines.
 */
export function startChildScript(script: string, input: unknown, nodeArgs: string[] = []): ChildScript {
  const loader = script.endsWith('.js') ? [] : ['--import', tsxLoader()];
  const child = spawn(process.execPath, [...loader, ...nodeArgs, script, JSON.stringify(input)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: unknown[] = [];
  const waiters: Array<{ resolve: (v: unknown) => void; reject: (e: Error) => void }> = [];
  let ended: Error | null = null;
  const rl = createInterface({ input: child.stdout! });
  rl.on('line', (line) => {
    if (!line.trim().startsWith('{')) {
      process.stderr.write(`${line}\n`);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      process.stderr.write(`${line}\n`);
      return;
    }
    const w = waiters.shift();
    if (w) w.resolve(value);
    else lines.push(value);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => {
      ended = new Error(`bench script ${script} exited (code ${code}, signal ${signal}) before answering`);
      for (const w of waiters.splice(0)) w.reject(ended);
      resolve(code);
    });
    child.on('error', (err) => {
      ended = err;
      for (const w of waiters.splice(0)) w.reject(err);
      resolve(null);
    });
  });
  let stopping: Promise<void> | null = null;
  return {
    child,
    exited,
    next<T>(): Promise<T> {
      if (lines.length) return Promise.resolve(lines.shift() as T);
      if (ended) return Promise.reject(ended);
      return new Promise<T>((resolve, reject) => waiters.push({ resolve: resolve as (v: unknown) => void, reject }));
    },
    stop(graceMs = 5_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.stdin?.end();
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

/** Runs a script to completion and returns its last JSON line; throws when it fails or prints none. */
export async function runChildScript<T>(script: string, input: unknown, nodeArgs: string[] = []): Promise<T> {
  const c = startChildScript(script, input, nodeArgs);
  try {
    const answer = await c.next<T>();
    const code = await c.exited;
    if (code !== 0) throw new Error(`bench script ${script} exited with code ${code}`);
    return answer;
  } finally {
    await c.stop();
  }
}

/**
 * Child side: the JSON input given on the command line, and a watchdog that runs `onStop` (then exits)
 * when the parent goes away (stdin ends) or asks to stop (SIGTERM/SIGINT).
 */
export function childInput<T>(onStop: () => Promise<void> | void): T {
  const raw = process.argv[2];
  if (!raw) throw new Error('bench child script started without its JSON input');
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    Promise.resolve()
      .then(onStop)
      .catch((err) => process.stderr.write(`[bench child] cleanup failed: ${String(err)}\n`))
      .finally(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return JSON.parse(raw) as T;
}

/** Child side: one JSON line on stdout. */
export function answer(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Child side: the final JSON line, then exit once it is flushed (stdin is held open, so exit explicitly). */
export function finish(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`, () => process.exit(0));
}

/** Child side: report a failure on stderr and exit non-zero. */
export function fail(err: unknown): never {
  process.stderr.write(`[bench child] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
