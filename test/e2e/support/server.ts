import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const WEB = join(ROOT, 'web');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let n = st.mtimeMs;
  for (const e of readdirSync(path)) {
    if (e === 'node_modules' || e === 'dist' || e.startsWith('.')) continue;
    n = Math.max(n, newest(join(path, e)));
  }
  return n;
}

/** Builds `web/dist` with Vite when it is missing or older than the sources (as `npm start` does). */
export function ensureWebBuilt(): void {
  const index = join(WEB, 'dist', 'index.html');
  const sources = Math.max(
    newest(join(WEB, 'src')),
    newest(join(WEB, 'index.html')),
    newest(join(WEB, 'vite.config.ts')),
    newest(join(WEB, 'public')),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--config', join(WEB, 'vite.config.ts')], {
    cwd: ROOT,
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  email: string;
  password: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A real Orderloop server (the `serve` command, as in production) on a temporary data dir and a free port, with
 * the demo tenant and the Bosta simulator; resolves once the first sync has brought the simulated orders in.
 */
export async function startServer(opts: { timeoutMs?: number } = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderloop-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ORDERLOOP_DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${join(dataDir, 'orderloop.db')}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      ORDERLOOP_DEMO: '1',
      LOG_LEVEL: 'warn',
      REDIS_URL: '',
      BOSTA_API_URL: '',
      BOSTA_API_KEY: '',
      RATE_LIMIT_PER_MINUTE: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });

  const stop = async () => {
    if (exited === null) {
      child.kill('SIGTERM');
      for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
      if (exited === null) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  try {
    let password: string | undefined;
    while (Date.now() < deadline) {
      if (exited !== null) throw new Error(`server exited with ${exited}:\n${out.slice(-3000)}`);
      password ??= /Password:\s+(\S+)/.exec(out)?.[1];
      if (password) {
        const ok = await fetch(`${url}/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) {
          await waitForFirstSync(url, password, deadline);
          return { url, email: 'owner@demo.orderloop.local', password, dataDir, output: () => out, stop };
        }
      }
      await sleep(250);
    }
    throw new Error(`server did not get ready in time:\n${out.slice(-3000)}`);
  } catch (e) {
    await stop();
    throw e;
  }
}

async function waitForFirstSync(url: string, password: string, deadline: number): Promise<void> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@demo.orderloop.local', password }),
  });
  if (!login.ok) throw new Error(`demo login failed: ${login.status} ${await login.text()}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  while (Date.now() < deadline) {
    const r = await fetch(`${url}/api/v1/integrations/bosta`, { headers: { authorization: `Bearer ${accessToken}` } });
    const status = (await r.json()) as { lastRun: { status: string } | null };
    if (status.lastRun?.status === 'completed') return;
    if (status.lastRun?.status === 'failed') throw new Error('the first Bosta sync failed');
    await sleep(300);
  }
  throw new Error('the first Bosta sync did not finish in time');
}
