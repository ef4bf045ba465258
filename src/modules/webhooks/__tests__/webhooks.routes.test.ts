import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { testDialects } from '../../../../test/support/databases.js';
import { EventDispatcher } from '../../../platform/events/dispatcher.js';
import { emit } from '../../../platform/events/outbox.js';
import { verifyWebhookSignature } from '../../../platform/events/signature.js';
import { WebhookSender, type WebhookSenderOptions } from '../../../platform/events/webhook-sender.js';
import { WebhookReceiver } from '../../../platform/events/__tests__/webhook-receiver.js';

describe.each(testDialects())('webhooks API (%s)', (dialect) => {
  let t: TestApp;
  let adminA: string;
  let adminB: string;
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
  const dispatcher = () =>
    new EventDispatcher({ database: t.ctx.database, logger: t.ctx.logger, metrics: t.ctx.metrics });

  const create = async (body: Record<string, unknown> = {}, token = adminA) => {
    const res = await t.req({
      method: 'POST',
      url: '/api/v1/webhooks',
      token,
      payload: { url: receiver.url, eventTypes: ['order.*'], ...body },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as {
      webhook: { id: number; url: string; eventTypes: string[]; active: boolean };
      secret: string;
    };
  };
  const verifies = (secret: string, got: { headers: Record<string, unknown>; body: string }) =>
    verifyWebhookSignature(
      secret,
      got.headers['orderloop-signature'] as string,
      got.headers['orderloop-timestamp'] as string,
      got.body,
      {
        now: Date.now(),
      },
    );

  beforeAll(async () => {
    t = await createTestApp(dialect, { WEBHOOK_ALLOW_PRIVATE_TARGETS: '1' });
    adminA = await t.tenantA.token('admin');
    adminB = await t.tenantB.token('admin');
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
    // Every test starts with an empty queue, so a sender run only sees what that test queued.
    await t.ctx.database.db.deleteFrom('webhook_deliveries').execute();
    await t.ctx.database.db.deleteFrom('webhook_subscriptions').execute();
  });
  afterEach(async () => {
    await Promise.all(senders.splice(0).map((s) => s.stop()));
    await receiver.close();
  });

  it('rejects bad input with 400', async () => {
    const post = (payload: Record<string, unknown>) =>
      t.req({ method: 'POST', url: '/api/v1/webhooks', token: adminA, payload });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ url: 'ftp://example.com/hook', eventTypes: ['*'] }, 'invalid_url'],
      [{ url: 'not a url', eventTypes: ['*'] }, 'invalid_url'],
      [{ url: 'https://user:pw@example.com/hook', eventTypes: ['*'] }, 'invalid_url'],
      [{ url: `https://example.com/${'a'.repeat(2048)}`, eventTypes: ['*'] }, 'invalid_input'],
      [{ url: 'https://example.com/hook', eventTypes: ['order.'] }, 'invalid_input'],
      [{ url: 'https://example.com/hook', eventTypes: ['*.created'] }, 'invalid_input'],
      [{ url: 'https://example.com/hook', eventTypes: [] }, 'invalid_input'],
      [
        { url: 'https://example.com/hook', eventTypes: Array.from({ length: 51 }, (_, i) => `t.e${i}`) },
        'invalid_input',
      ],
      [{ url: 'https://example.com/hook', eventTypes: ['*'], secret: 'mine' }, 'invalid_input'],
      [{ eventTypes: ['*'] }, 'invalid_input'],
    ];
    for (const [payload, code] of cases) {
      const res = await post(payload);
      expect({ payload, status: res.statusCode, code: res.json().error.code }).toEqual({ payload, status: 400, code });
    }
    const { webhook } = await create();
    const patch = await t.req({
      method: 'PATCH',
      url: `/api/v1/webhooks/${webhook.id}`,
      token: adminA,
      payload: { colour: 'red' },
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error.details[0].field).toBe('colour');
    const badUrl = await t.req({
      method: 'PATCH',
      url: `/api/v1/webhooks/${webhook.id}`,
      token: adminA,
      payload: { url: 'javascript:alert(1)' },
    });
    expect(badUrl.json().error.code).toBe('invalid_url');
  });

  it('shows the secret once, stores it encrypted, audits the changes', async () => {
    const { webhook, secret } = await create({
      description: 'ERP bridge',
      eventTypes: ['order.*', 'order.*', 'inventory.low'],
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(webhook).toMatchObject({
      url: receiver.url,
      eventTypes: ['order.*', 'inventory.low'],
      active: true,
      description: 'ERP bridge',
    });

    const one = await t.req({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}`, token: adminA });
    const list = await t.req({ method: 'GET', url: '/api/v1/webhooks', token: adminA });
    for (const res of [one, list]) {
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(secret);
      expect(res.body).not.toContain('secret');
    }
    expect(list.json().items.map((w: { id: number }) => w.id)).toContain(webhook.id);
    const stored = await t.ctx.database.db
      .selectFrom('webhook_subscriptions')
      .select('secret_enc')
      .where('id', '=', webhook.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_enc).not.toContain(secret.slice(6));

    const patched = await t.req({
      method: 'PATCH',
      url: `/api/v1/webhooks/${webhook.id}`,
      token: adminA,
      payload: { active: false, description: null },
    });
    expect(patched.json()).toMatchObject({ active: false, description: null });
    const rotated = await t.req({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/rotate-secret`, token: adminA });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).not.toBe(secret);

    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_type', '=', 'webhook')
      .where('target_id', '=', String(webhook.id))
      .orderBy('id')
      .execute();
    expect(audit.map((r) => r.action)).toEqual(['webhook.created', 'webhook.updated', 'webhook.secret_rotated']);
    expect(JSON.stringify(audit)).not.toContain(rotated.json().secret);
  });

  it('delivers matching events signed with the secret from the create response', async () => {
    const { webhook, secret } = await create({ eventTypes: ['order.created'] });
    await emit(t.tenantA.ctx, {
      type: 'order.created',
      entityType: 'order',
      entityId: 42,
      payload: { trackingNumber: 'TN-42' },
    });
    await emit(t.tenantA.ctx, { type: 'order.state_changed', entityType: 'order', entityId: 42, payload: {} });
    await emit(t.tenantB.ctx, { type: 'order.created', entityType: 'order', entityId: 43, payload: {} });
    await dispatcher().runOnce();
    await sender().runOnce();
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0];
    expect(verifies(secret, got)).toBe(true);
    expect(JSON.parse(got.body)).toMatchObject({
      type: 'order.created',
      tenant: 'alpha',
      data: { trackingNumber: 'TN-42' },
    });

    const log = await t.req({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}/deliveries`, token: adminA });
    expect(log.json().items).toHaveLength(1);
    expect(log.json().items[0]).toMatchObject({
      webhookId: webhook.id,
      eventType: 'order.created',
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 200,
      nextAttemptAt: null,
    });
  });

  it('test ping reaches the receiver, verifiable; a rotated secret replaces the old one at once', async () => {
    const { webhook, secret } = await create();
    const ping = await t.req({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test`, token: adminA });
    expect(ping.statusCode).toBe(202);
    expect(ping.json()).toMatchObject({
      webhookId: webhook.id,
      eventType: 'webhook.ping',
      status: 'pending',
      attempts: 0,
      eventId: null,
    });
    await sender().runOnce();
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0];
    expect(got.headers['orderloop-event']).toBe('webhook.ping');
    expect(got.headers['orderloop-delivery']).toBe(String(ping.json().id));
    expect(JSON.parse(got.body)).toMatchObject({
      id: null,
      type: 'webhook.ping',
      tenant: 'alpha',
      data: { webhookId: webhook.id },
    });
    expect(verifies(secret, got)).toBe(true);

    const rotated = (
      await t.req({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/rotate-secret`, token: adminA })
    ).json();
    await t.req({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test`, token: adminA });
    await sender().runOnce();
    expect(verifies(rotated.secret, receiver.received[1])).toBe(true);
    expect(verifies(secret, receiver.received[1])).toBe(false);

    await t.req({ method: 'PATCH', url: `/api/v1/webhooks/${webhook.id}`, token: adminA, payload: { active: false } });
    const inactive = await t.req({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test`, token: adminA });
    expect(inactive.statusCode).toBe(422);
  });

  it('lists attempts in the deliveries log and re-queues a failed delivery', async () => {
    receiver.responder = () => ({ status: 500, body: 'down' });
    const { webhook } = await create();
    const ping = (await t.req({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test`, token: adminA })).json();
    let clock = Date.now();
    const s = sender({ now: () => clock, retrySchedule: { firstDelayMs: 1000, maxDelayMs: 1000, horizonMs: 1500 } });
    await s.runOnce();
    const pending = (
      await t.req({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}/deliveries?status=pending`, token: adminA })
    ).json();
    expect(pending.items[0]).toMatchObject({
      id: ping.id,
      status: 'pending',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
      lastResponse: 'down',
    });
    expect(pending.items[0].nextAttemptAt).not.toBeNull();
    clock += 1000;
    await s.runOnce();

    const failed = await t.req({
      method: 'GET',
      url: `/api/v1/webhooks/${webhook.id}/deliveries?status=failed`,
      token: adminA,
    });
    expect(failed.json().items).toEqual([
      expect.objectContaining({
        id: ping.id,
        status: 'failed',
        attempts: 2,
        lastStatusCode: 500,
        nextAttemptAt: null,
        deliveredAt: null,
      }),
    ]);
    const badStatus = await t.req({
      method: 'GET',
      url: `/api/v1/webhooks/${webhook.id}/deliveries?status=lost`,
      token: adminA,
    });
    expect(badStatus.statusCode).toBe(400);

    receiver.responder = () => ({ status: 200 });
    const retry = await t.req({ method: 'POST', url: `/api/v1/webhooks/deliveries/${ping.id}/retry`, token: adminA });
    expect(retry.statusCode).toBe(202);
    expect(retry.json()).toMatchObject({ status: 'pending', attempts: 2 });
    const again = await t.req({ method: 'POST', url: `/api/v1/webhooks/deliveries/${ping.id}/retry`, token: adminA });
    expect(again.statusCode).toBe(409);
    clock = Date.now() + 1000;
    await s.runOnce();
    const log = (
      await t.req({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}/deliveries`, token: adminA })
    ).json();
    expect(log.items[0]).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 });
  });

  it('pages the deliveries log newest first', async () => {
    const { webhook } = await create();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await t.req({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test`, token: adminA })).json().id);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = cursor ? `&cursor=${cursor}` : '';
      const page = (
        await t.req({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}/deliveries?limit=2${qs}`, token: adminA })
      ).json();
      seen.push(...page.items.map((d: { id: number }) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('deletes a subscription with its pending deliveries', async () => {
    const { webhook } = await create();
    await t.req({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test`, token: adminA });
    const del = await t.req({ method: 'DELETE', url: `/api/v1/webhooks/${webhook.id}`, token: adminA });
    expect(del.statusCode).toBe(204);
    expect((await t.req({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}`, token: adminA })).statusCode).toBe(404);
    expect(await sender().runOnce()).toBe(0);
    expect(receiver.received).toHaveLength(0);
    const left = await t.ctx.database.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('subscription_id', '=', webhook.id)
      .execute();
    expect(left).toHaveLength(0);
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', String(webhook.id))
      .where('action', '=', 'webhook.deleted')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('keeps tenants apart: another tenant’s ids are 404', async () => {
    const { webhook } = await create();
    const ping = (await t.req({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test`, token: adminA })).json();
    const asB = [
      { method: 'GET', url: `/api/v1/webhooks/${webhook.id}` },
      { method: 'PATCH', url: `/api/v1/webhooks/${webhook.id}`, payload: { active: false } },
      { method: 'DELETE', url: `/api/v1/webhooks/${webhook.id}` },
      { method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test` },
      { method: 'POST', url: `/api/v1/webhooks/${webhook.id}/rotate-secret` },
      { method: 'GET', url: `/api/v1/webhooks/${webhook.id}/deliveries` },
    ] as const;
    for (const r of asB) {
      const res = await t.req({ ...r, token: adminB });
      expect({ ...r, status: res.statusCode, code: res.json().error.code }).toMatchObject({
        status: 404,
        code: 'webhook_not_found',
      });
    }
    const retry = await t.req({ method: 'POST', url: `/api/v1/webhooks/deliveries/${ping.id}/retry`, token: adminB });
    expect(retry.statusCode).toBe(404);
    const listB = (await t.req({ method: 'GET', url: '/api/v1/webhooks', token: adminB })).json();
    expect(listB.items.map((w: { id: number }) => w.id)).not.toContain(webhook.id);
    expect((await t.req({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}`, token: adminA })).json().active).toBe(
      true,
    );
  });

  it('requires the webhooks permissions', async () => {
    const manager = await t.tenantA.token('manager');
    expect((await t.req({ method: 'GET', url: '/api/v1/webhooks', token: manager })).statusCode).toBe(403);
    expect((await t.req({ method: 'GET', url: '/api/v1/webhooks' })).statusCode).toBe(401);
    const key = await t.tenantA.apiKey('admin');
    expect((await t.req({ method: 'GET', url: '/api/v1/webhooks', token: key })).statusCode).toBe(200);
  });
});

describe('webhook targets by default (sqlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('refuses URLs into loopback, private, link-local and metadata networks; takes public ones', async () => {
    const token = await t.tenantA.token('admin');
    const create = (url: string) =>
      t.req({ method: 'POST', url: '/api/v1/webhooks', token, payload: { url, eventTypes: ['order.*'] } });
    for (const url of [
      'http://127.0.0.1:9/hooks',
      'http://localhost:3000/hooks',
      'https://api.localhost/hooks',
      'http://10.1.2.3/hooks',
      'http://192.168.1.10/hooks',
      'http://172.20.0.5/hooks',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/hooks',
      'http://0.0.0.0/hooks',
      'http://[::1]/hooks',
      'http://[fd00::1]/hooks',
      'http://[::ffff:127.0.0.1]/hooks',
    ]) {
      const res = await create(url);
      expect(res.statusCode, url).toBe(422);
      expect(res.json().error.code, url).toBe('webhook_url_not_public');
    }
    const ok = await create('https://hooks.example.test/orderloop');
    expect(ok.statusCode, ok.body).toBe(201);
    const moved = await t.req({
      method: 'PATCH',
      url: `/api/v1/webhooks/${ok.json().webhook.id}`,
      token,
      payload: { url: 'http://10.0.0.8/hooks' },
    });
    expect(moved.statusCode).toBe(422);
    expect(moved.json().error.code).toBe('webhook_url_not_public');
    const kept = await t.req({ method: 'GET', url: `/api/v1/webhooks/${ok.json().webhook.id}`, token });
    expect(kept.json().url).toBe('https://hooks.example.test/orderloop');
  });
});
