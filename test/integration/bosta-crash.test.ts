import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBostaSimulator } from '../../src/integrations/bosta/simulator/server.js';
import { createTestApp, TEST_APP_SECRET, type TestApp } from '../support/app.js';
import { testDialects } from '../support/databases.js';
import { codByStateOf, connectSimulator, simTruth, storedTruth } from './bosta-support.js';

function startSync(
  t: TestApp,
  quietFailure = false,
): { child: ChildProcess; done: Promise<number | null>; stderr: () => string } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts', 'sync', 'bosta', '--full', '--tenant', 'alpha'],
    {
      env: {
        ...process.env,
        DATABASE_URL: t.databaseUrl,
        APP_SECRET: TEST_APP_SECRET,
        LOG_LEVEL: 'silent',
        ORDERLOOP_DATA_DIR: '/tmp/orderloop-test-data',
        BOSTA_API_KEY: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr?.on('data', (d) => {
    err += String(d);
  });
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  done.then((code) => {
    if (code && !quietFailure) console.error(`sync child exited ${code}: ${err}`);
  });
  return { child, done, stderr: () => err };
}

async function pagesDone(t: TestApp): Promise<number> {
  const r = await t.tenantA.ctx.db
    .selectFrom('sync_runs')
    .select((eb) => eb.fn.sum<number>('pages_done').as('p'))
    .where('tenant_id', '=', t.tenantA.tenant.id)
    .executeTakeFirst();
  return Number(r?.p ?? 0);
}

describe.each(testDialects())('the sync process killed at random points (%s)', (dialect) => {
  let t: TestApp;
  let sim: RunningBostaSimulator;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    sim = await connectSimulator(t, { deliveries: 8000, seed: 99 });
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });

  it('three SIGKILLs mid-sync, then a restart: exactly the simulator’s truth', async () => {
    const totalPages = 40;
    let killedAt = 0;
    for (let i = 0; i < 3; i++) {
      // A random point after at least one more committed page.
      const target = killedAt + 1 + Math.floor(Math.random() * Math.max(1, (totalPages - killedAt) / 4));
      const { child, done } = startSync(t);
      const deadline = Date.now() + 60_000;
      while ((await pagesDone(t)) < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGKILL');
      await done;
      killedAt = await pagesDone(t);
      expect(killedAt).toBeGreaterThanOrEqual(target);
    }
    const runs = await t.tenantA.ctx.db
      .selectFrom('sync_runs')
      .select(['status'])
      .where('tenant_id', '=', t.tenantA.tenant.id)
      .execute();
    expect(runs.length).toBe(3);
    const { done } = startSync(t);
    expect(await done).toBe(0);
    const truth = simTruth(sim);
    const stored = await storedTruth(t.tenantA.ctx);
    expect(stored.duplicates).toBe(0);
    expect(stored.count).toBe(truth.count);
    expect(stored.byState).toEqual(truth.byState);
    expect(stored.codMinorByState).toEqual(codByStateOf(truth.byState, truth.codMinorByState));
    const last = await t.tenantA.ctx.db
      .selectFrom('sync_runs')
      .selectAll()
      .where('tenant_id', '=', t.tenantA.tenant.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(last.status).toBe('completed');
    // The final run resumed where the killed one stopped instead of starting over.
    expect(last.pages_done).toBeLessThan(totalPages);
  }, 180_000);

  it('two processes on one database never run the same tenant’s sync at once', async () => {
    const a = startSync(t, true);
    const b = startSync(t, true);
    const codes = (await Promise.all([a.done, b.done])).sort();
    expect(codes).toEqual([0, 1]);
    expect(a.stderr() + b.stderr()).toContain('already running');
    const runs = await t.tenantA.ctx.db
      .selectFrom('sync_runs')
      .select(['started_at', 'finished_at', 'status'])
      .where('tenant_id', '=', t.tenantA.tenant.id)
      .orderBy('started_at')
      .execute();
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i].started_at >= (runs[i - 1].finished_at ?? '')).toBe(true);
    }
  }, 120_000);
});
