import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature, webhookBody, webhookHeaders } from '../signature.js';

const secret = 'whsec_test_secret';
const body = '{"id":1,"type":"order.created","occurredAt":"2026-11-21T10:00:00.000Z","data":{"x":1}}';
const now = Date.parse('2026-11-21T10:00:00.000Z');
const ts = Math.floor(now / 1000);

describe('signWebhook', () => {
  it('is v1= and the hex HMAC-SHA256 of "<timestamp>.<body>" under the whole secret', () => {
    const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    expect(signWebhook(secret, ts, body)).toBe(`v1=${expected}`);
  });
});

describe('verifyWebhookSignature', () => {
  const header = signWebhook(secret, ts, body);
  it('accepts the right secret within the tolerance', () => {
    expect(verifyWebhookSignature(secret, header, String(ts), body, { now })).toBe(true);
    expect(verifyWebhookSignature(secret, header, ts, body, { now: now + 299_000 })).toBe(true);
  });
  it('rejects a wrong secret, a changed body, or a missing header', () => {
    expect(verifyWebhookSignature('whsec_other', header, ts, body, { now })).toBe(false);
    expect(verifyWebhookSignature(secret, header, ts, `${body} `, { now })).toBe(false);
    expect(verifyWebhookSignature(secret, undefined, ts, body, { now })).toBe(false);
    expect(verifyWebhookSignature(secret, 'v1=nothex', ts, body, { now })).toBe(false);
  });
  it('rejects an old or future timestamp (replay), even with a valid signature', () => {
    expect(verifyWebhookSignature(secret, header, ts, body, { now: now + 301_000 })).toBe(false);
    expect(verifyWebhookSignature(secret, header, ts, body, { now: now - 301_000 })).toBe(false);
    expect(verifyWebhookSignature(secret, header, ts, body, { now: now + 3_600_000, toleranceSeconds: 7200 })).toBe(
      true,
    );
    expect(verifyWebhookSignature(secret, header, 'yesterday', body, { now })).toBe(false);
  });
  it('accepts any one of several comma-separated signatures', () => {
    const both = `${signWebhook('whsec_old', ts, body)}, ${header}`;
    expect(verifyWebhookSignature(secret, both, ts, body, { now })).toBe(true);
  });
});

describe('webhookBody / webhookHeaders', () => {
  it('keeps the documented key order and omits an absent tenant', () => {
    expect(Object.keys(webhookBody({ id: 1, type: 't.x', occurredAt: 'a', tenant: 'alpha', data: {} }))).toEqual([
      'id',
      'type',
      'occurredAt',
      'tenant',
      'data',
    ]);
    expect(webhookBody({ id: null, type: 'webhook.ping', occurredAt: 'a', data: undefined })).toEqual({
      id: null,
      type: 'webhook.ping',
      occurredAt: 'a',
      data: null,
    });
  });
  it('sends every documented header; the event id only for stored events', () => {
    const h = webhookHeaders({ secret, timestamp: ts, body, eventType: 'order.created', deliveryId: 7, eventId: 1 });
    expect(h).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Orderloop-Webhooks/1',
      'orderloop-signature': signWebhook(secret, ts, body),
      'orderloop-timestamp': String(ts),
      'orderloop-event': 'order.created',
      'orderloop-delivery': '7',
      'orderloop-event-id': '1',
    });
    const ping = webhookHeaders({
      secret,
      timestamp: ts,
      body,
      eventType: 'webhook.ping',
      deliveryId: 8,
      eventId: null,
    });
    expect(ping['orderloop-event-id']).toBeUndefined();
  });
});
