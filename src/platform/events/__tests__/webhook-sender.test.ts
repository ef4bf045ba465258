import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { testDialects } from '../../../../test/support/databases.js';
import type { TenantCtx } from '../../db/tenant-ctx.js';
import { EventDispatcher } from '../dispatcher.js';
import { emitMany } from '../outbox.js';
import { verifyWebhookSignature } from '../signature.js';
import { WebhookSender, type WebhookSenderOptions } from '../webhook-sender.js';
import { WebhookReceiver } from './webhook-receiver.js';

const SECRET = 'whsec_sender_test_secret';

describe.each(testDialects())('webhook sender (%s)', (dialect) => {
  let t: TestApp;
  let a: TenantCtx;
  let receiver: WebhookReceiver;
  const senders: WebhookSender[] = [];

  const sender = (opts: Partial<WebhookSenderOptions> = {}) => {
    const s = new WebhookSender({
      // The receiver listens on 127.0.0.1.
      allowPrivateTargets: true,
      database: t.ctx.database,
      logger: t.ctx.logger,
      metrics: t.ctx.metrics,
      secrets: t.ctx.secrets,
      ...opts,
    });
    senders.push(s);
    return s;
  };

  /** A subscription to `order.*` at the receiver, and `n` dispatched order events: n pending deliveries. */
  const queue = async (n: number, opts: { active?: boolean } = {}) => {
    const now = new Date().toISOString();
    const sub = await a.db
      .insertInto('webhook_subscriptions')
      .values({
        tenant_id: a.tenantId,
        url: receiver.url,
        description: null,
        secret_enc: t.ctx.secrets.encrypt(SECRET),
        event_types: JSON.stringify(['order.*']),
        active: true,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await emitMany(
      a,
      Array.from({ length: n }, (_, i) => ({
        type: 'order.created',
        entityType: 'order',
        entityId: i + 1,
        payload: { n: i + 1 },
      })),
    );
    await new EventDispatcher({ database: t.ctx.database, logger: t.ctx.logger, metrics: t.ctx.metrics }).runOnce();
    if (opts.active === false)
      await a.db.updateTable('webhook_subscriptions').set({ active: false }).where('id', '=', sub.id).execute();
    return sub.id;
  };

  const deliveries = () => t.ctx.database.db.selectFrom('webhook_deliveries').selectAll().orderBy('id').execute();
  const counter = async (outcome: string) =>
    (await t.ctx.metrics.webhookDeliveries.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = t.tenantA.ctx;
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
    const db = t.ctx.database.db;
    await db.deleteFrom('webhook_deliveries').execute();
    await db.deleteFrom('webhook_subscriptions').execute();
    await db.deleteFrom('events').execute();
  });
  afterEach(async () => {
    await Promise.all(senders.splice(0).map((s) => s.stop()));
    await receiver.close();
  });

  it('POSTs a signed body the receiver can verify with the secret, and records the success', async () => {
    await queue(1);
    const delivered = await counter('delivered');
    expect(await sender().runOnce()).toBe(1);

    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received[0];
    const [row] = await deliveries();
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Orderloop-Webhooks/1',
      'orderloop-event': 'order.created',
      'orderloop-delivery': String(row.id),
      'orderloop-event-id': String(row.event_id),
    });
    const sig = headers['orderloop-signature'] as string;
    const ts = headers['orderloop-timestamp'] as string;
    expect(sig).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, sig, ts, body, { now: Date.now() })).toBe(true);
    expect(verifyWebhookSignature('whsec_wrong', sig, ts, body, { now: Date.now() })).toBe(false);
    expect(verifyWebhookSignature(SECRET, sig, ts, body, { now: Date.now() + 10 * 60_000 })).toBe(false);
    expect(JSON.parse(body)).toEqual({
      id: row.event_id,
      type: 'order.created',
      occurredAt: expect.any(String),
      tenant: 'alpha',
      data: { n: 1 },
    });
    expect(Object.keys(JSON.parse(body))).toEqual(['id', 'type', 'occurredAt', 'tenant', 'data']);

    expect(row).toMatchObject({
      status: 'delivered',
      attempts: 1,
      last_status_code: 200,
      last_response: 'ok',
      last_error: null,
      locked_until: null,
    });
    expect(row.delivered_at).not.toBeNull();
    expect(await counter('delivered')).toBe(delivered + 1);
    expect(await sender().runOnce()).toBe(0);
  });

  it('by default refuses a target outside the public internet: nothing is sent, the attempt says why', async () => {
    await queue(1);
    expect(await sender({ allowPrivateTargets: false }).runOnce()).toBe(1);
    expect(receiver.received).toHaveLength(0);
    const [row] = await deliveries();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null });
    expect(row.last_error).toBe('refused: 127.0.0.1 is not a public address');
  });

  it('retries with backoff: 500, 500, then 200 → delivered after 3 attempts', async () => {
    receiver.responder = (n) => (n < 2 ? { status: 500, body: 'boom' } : { status: 204 });
    await queue(1);
    let clock = Date.now() + 1000;
    const s = sender({ now: () => clock, rng: () => 0.5, retrySchedule: { firstDelayMs: 1000, maxDelayMs: 60_000 } });

    expect(await s.runOnce()).toBe(1);
    let [row] = await deliveries();
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status_code: 500,
      last_error: 'HTTP 500',
      last_response: 'boom',
    });
    expect(Date.parse(row.next_attempt_at) - clock).toBe(1000);
    expect(await s.runOnce()).toBe(0); // not due yet

    clock += 1000;
    expect(await s.runOnce()).toBe(1);
    [row] = await deliveries();
    expect(row).toMatchObject({ status: 'pending', attempts: 2, last_status_code: 500 });
    expect(Date.parse(row.next_attempt_at) - clock).toBe(2000);

    clock += 2000;
    expect(await s.runOnce()).toBe(1);
    [row] = await deliveries();
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 204, last_error: null });
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.headers['orderloop-delivery'])).size).toBe(1);
  });

  it('gives up 24 hours after creation: a permanently failing receiver ends failed', async () => {
    receiver.responder = () => ({ status: 503, body: 'x'.repeat(5000) });
    await queue(1);
    let clock = Date.now() + 1000;
    const s = sender({ now: () => clock, rng: () => 0.5 });
    const failed = await counter('failed');
    let row = (await deliveries())[0];
    for (let i = 0; i < 50 && row.status === 'pending'; i++) {
      await s.runOnce();
      row = (await deliveries())[0];
      clock += 2 * 60 * 60_000;
    }
    expect(row).toMatchObject({ status: 'failed', last_status_code: 503, last_error: 'HTTP 503' });
    // one try every 2 hours of the fake clock, the last one at 24 h
    expect(row.attempts).toBe(13);
    expect(receiver.received).toHaveLength(13);
    expect(row.last_response).toHaveLength(2048);
    expect(await counter('failed')).toBe(failed + 1);
  });

  it('two senders on one database send each delivery exactly once', async () => {
    receiver.responder = () => ({ status: 200, delayMs: 10 });
    await queue(24);
    const drain = async (s: WebhookSender) => {
      let total = 0;
      for (let n = await s.runOnce(); n > 0; n = await s.runOnce()) total += n;
      return total;
    };
    const [x, y] = await Promise.all([drain(sender({ concurrency: 4 })), drain(sender({ concurrency: 4 }))]);
    expect(x + y).toBe(24);
    expect(receiver.received).toHaveLength(24);
    expect(new Set(receiver.received.map((r) => r.headers['orderloop-delivery'])).size).toBe(24);
    const rows = await deliveries();
    expect(rows.every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
  });

  it('a leased delivery is left alone until its lease expires (a crashed sender’s work is picked up)', async () => {
    await queue(1);
    const future = new Date(Date.now() + 60_000).toISOString();
    await t.ctx.database.db.updateTable('webhook_deliveries').set({ locked_until: future, attempts: 1 }).execute();
    expect(await sender().runOnce()).toBe(0);
    await t.ctx.database.db
      .updateTable('webhook_deliveries')
      .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
      .execute();
    expect(await sender().runOnce()).toBe(1);
    expect((await deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('cancels deliveries of a subscription deactivated meanwhile, without sending', async () => {
    await queue(2, { active: false });
    expect(await sender().runOnce()).toBe(2);
    expect(receiver.received).toHaveLength(0);
    const rows = await deliveries();
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['cancelled', 0],
      ['cancelled', 0],
    ]);
  });

  it('does not follow redirects and reports timeouts and refused connections', async () => {
    receiver.responder = (n) =>
      n === 0 ? { status: 302, headers: { location: '/elsewhere' } } : { status: 200, delayMs: 400 };
    await queue(1);
    const s = sender({ timeoutMs: 100, retrySchedule: { firstDelayMs: 0 } });
    await s.runOnce();
    let [row] = await deliveries();
    expect(receiver.received).toHaveLength(1);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 302 });
    expect(row.last_error).toMatch(/^HTTP 302 \(redirects are not followed/);

    await s.runOnce();
    [row] = await deliveries();
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 2,
      last_status_code: null,
      last_error: 'timed out after 100 ms',
    });

    await receiver.close();
    await s.runOnce();
    [row] = await deliveries();
    expect(row.attempts).toBe(3);
    expect(row.last_error).toMatch(/ECONNREFUSED/);
    receiver = await WebhookReceiver.start();
  });
});
