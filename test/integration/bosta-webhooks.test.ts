import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBostaSimulator } from '../../src/integrations/bosta/simulator/server.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { testDialects } from '../support/databases.js';
import { storedTruth, WEBHOOK_SECRET } from './bosta-support.js';
import { cycleWorld } from './service-support.js';

describe.each(testDialects())('Bosta webhooks (%s)', (dialect) => {
  let t: TestApp;
  let sim: RunningBostaSimulator;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    ({ sim } = await cycleWorld(t, 600, 17));
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });

  it('duplicate and out-of-order webhooks: the newest state wins and timelines have no duplicates', async () => {
    sim.control.setSettings({ webhook: { duplicateRate: 0.4, reorderRate: 0.4 } });
    for (let i = 0; i < 6; i++) {
      sim.control.advanceRandom(60);
      await sim.control.flush();
    }
    await sim.control.flush();
    const truth = sim.control.truth({ list: true });
    const stored = await t.tenantA.ctx.db
      .selectFrom('orders')
      .select(['tracking_number', 'state_code'])
      .where('tenant_id', '=', t.tenantA.tenant.id)
      .execute();
    const byTn = new Map(stored.map((o) => [o.tracking_number, o.state_code]));
    const mismatched = truth.deliveries!.filter((d) => byTn.get(d.trackingNumber) !== d.stateCode);
    expect(mismatched.map((d) => `${d.trackingNumber}: ${byTn.get(d.trackingNumber)} ≠ ${d.stateCode}`)).toEqual([]);
    const s = await storedTruth(t.tenantA.ctx);
    expect(s.timelineDuplicates).toBe(0);
    const receipts = await t.tenantA.ctx.db
      .selectFrom('webhook_receipts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(sim.control.webhookLog().length).toBeGreaterThan(Number(receipts.n));
  });

  it('a wrong or missing secret gets 401 and nothing is stored', async () => {
    const before = await t.tenantA.ctx.db
      .selectFrom('webhook_receipts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const payload = { _id: 'x', trackingNumber: '1234567', state: 45, type: 'SEND', timeStamp: Date.now() };
    for (const headers of [{}, { 'x-orderloop-webhook-secret': 'wrong-secret-wrong-secret' }]) {
      const r = await t.req({ method: 'POST', url: '/hooks/bosta/alpha', headers, payload });
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe('invalid_webhook_secret');
    }
    const unknownTenant = await t.req({
      method: 'POST',
      url: '/hooks/bosta/nobody',
      headers: { 'x-orderloop-webhook-secret': WEBHOOK_SECRET },
      payload,
    });
    expect(unknownTenant.statusCode).toBe(401);
    const after = await t.tenantA.ctx.db
      .selectFrom('webhook_receipts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('a malformed payload with the right secret is a 400, not a 500', async () => {
    const r = await t.req({
      method: 'POST',
      url: '/hooks/bosta/alpha',
      headers: { 'x-orderloop-webhook-secret': WEBHOOK_SECRET },
      payload: { hello: 'world' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('invalid_webhook');
  });
});
