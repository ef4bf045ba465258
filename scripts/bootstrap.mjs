#!/usr/bin/env node
// Dependency-free entry of every npm script: installs dependencies when they are missing or older than the
// lockfile (`npm ci` does not work on every machine, so `npm install` with the committed lockfile), builds what
// is stale, then runs the requested task.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const [task, ...args] = process.argv.slice(2);
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function ensureDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('Installing dependencies (npm install) …');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  const now = new Date();
  if (existsSync(marker)) utimesSync(marker, now, now);
}

function buildServer() {
  const out = join(root, 'dist', 'main.js');
  const stale =
    !existsSync(out) ||
    newestMtime(join(root, 'src')) > statSync(out).mtimeMs ||
    statSync(join(root, 'tsconfig.build.json')).mtimeMs > statSync(out).mtimeMs;
  if (!stale) return;
  console.log('Building the server (tsc) …');
  run(bin('tsc'), ['-p', 'tsconfig.build.json']);
  const now = new Date();
  utimesSync(out, now, now);
}

function buildWeb() {
  const webRoot = join(root, 'web');
  if (!existsSync(join(webRoot, 'package.json')) && !existsSync(join(webRoot, 'vite.config.ts'))) return;
  const out = join(webRoot, 'dist', 'index.html');
  const sources = Math.max(
    newestMtime(join(webRoot, 'src')),
    newestMtime(join(webRoot, 'public')),
    newestMtime(join(webRoot, 'index.html')),
    newestMtime(join(webRoot, 'vite.config.ts')),
  );
  if (existsSync(out) && sources <= statSync(out).mtimeMs) return;
  console.log('Building the web dashboard (vite) …');
  // Always the production bundle, whatever NODE_ENV the caller has (a test runner sets it to `test`).
  run(bin('vite'), ['build', '--config', join(webRoot, 'vite.config.ts')], {
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

function exec(cmd, argv, env = process.env) {
  const child = spawn(cmd, argv, { stdio: 'inherit', env });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

ensureDependencies();
switch (task) {
  case 'start':
    buildServer();
    buildWeb();
    exec(process.execPath, [join(root, 'dist', 'main.js'), 'serve', ...args]);
    break;
  case 'build':
    buildServer();
    buildWeb();
    break;
  case 'dev':
    exec(bin('tsx'), ['watch', 'src/main.ts', 'serve', ...args]);
    break;
  case 'test': {
    run(bin('biome'), ['check', '.']);
    run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
    if (existsSync(join(root, 'web', 'tsconfig.json'))) run(bin('tsc'), ['-p', 'web/tsconfig.json', '--noEmit']);
    const reports = [];
    const suite = (name, argv) => {
      const file = join(root, 'test-results', `${name}.json`);
      rmSync(file, { force: true });
      reports.push(file);
      return spawnSync(bin('vitest'), [...argv, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], {
        stdio: 'inherit',
      }).status;
    };
    let status = suite('unit', ['run', ...args]);
    // The browser suite last (not when the run is narrowed to some test files): it builds the dashboard when stale
    // and drives Debian's Chromium against a real server.
    if (status === 0 && existsSync(join(root, 'vitest.e2e.config.ts')) && !args.some((a) => !a.startsWith('-'))) {
      status = suite('e2e', ['run', '--config', 'vitest.e2e.config.ts']);
    }
    // One plain closing line over both suites, readable by any CI.
    let passed = 0;
    let failed = 0;
    for (const file of reports.filter((f) => existsSync(f))) {
      const r = JSON.parse(readFileSync(file, 'utf8'));
      passed += r.numPassedTests ?? 0;
      failed += r.numFailedTests ?? 0;
      // A file that fails in its setup (import, beforeAll) fails no single test: count each such file once.
      for (const f of r.testResults ?? []) {
        if (f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')) failed += 1;
      }
    }
    if (status !== 0 && failed === 0) failed = 1;
    console.log(`\nTests: ${passed} passed, ${failed} failed`);
    process.exit(status ?? 1);
    break;
  }
  case 'bench':
    exec(bin('tsx'), ['bench/run.ts', ...args]);
    break;
  default:
    console.error(`usage: bootstrap.mjs start|build|dev|test|bench [args]`);
    process.exit(2);
}
