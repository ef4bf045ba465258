import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BostaClient } from '../client.js';
import { mapWebhook } from '../mapper.js';
import type { BostaCreateDeliveryInput, BostaWebhookPayload } from '../types.js';
import { type RunningBostaSimulator, startBostaSimulator } from '../simulator/server.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

let sim: RunningBostaSimulator;
let client: BostaClient;
let receiver: WebhookReceiver;
let districtId: string;

function input(overrides: Partial<BostaCreateDeliveryInput> = {}): BostaCreateDeliveryInput {
  return {
    type: 10,
    cod: 2450,
    receiver: { firstName: 'Omar', phone: '01011112222' },
    dropOffAddress: { city: 'Cairo', districtId, firstLine: '3 Makram Ebeid St., Nasr City' },
    businessReference: '#7001',
    ...overrides,
  };
}

const payloads = () => receiver.received.map((r) => r.body as unknown as BostaWebhookPayload);

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  sim = await startBostaSimulator({
    deliveries: 100,
    seed: 51,
    webhook: { url: receiver.url, headerName: 'x-bosta-webhook-key', headerValue: 's3cret' },
  });
  client = new BostaClient({ baseUrl: sim.url, apiKey: sim.apiKey, maxRetries: 0 });
  const cairo = (await client.listCities()).find((c) => c.name === 'Cairo');
  districtId =
    (await client.listDistricts(cairo?._id ?? '')).find((d) => d.districtName === 'Makram Ebeid')?.districtId ?? '';
});
beforeEach(async () => {
  await sim.control.flush();
  sim.control.reset();
  receiver.received.length = 0;
  receiver.status = 200;
});
afterAll(async () => {
  await client.close();
  await sim.close();
  await receiver.close();
});

describe('webhooks', () => {
  it('posts the §8.2 payload on each state change (not on creation) with the custom header and no signature', async () => {
    const created = await client.createDelivery(input());
    await sim.control.flush();
    expect(receiver.received).toHaveLength(0);
    sim.control.advance(created.trackingNumber, 41);
    sim.control.advance(created.trackingNumber, 47);
    sim.control.advance(created.trackingNumber, 41);
    sim.control.advance(created.trackingNumber, 45);
    await sim.control.flush();
    const events = payloads();
    expect(events.map((e) => e.state)).toEqual([21, 24, 30, 41, 47, 41, 45]);
    for (const e of events) {
      expect(e).toMatchObject({
        _id: created._id,
        trackingNumber: created.trackingNumber,
        type: 'SEND',
        businessReference: '#7001',
      });
      expect(typeof e.state).toBe('number');
      expect(typeof e.timeStamp).toBe('number');
      expect(e.eventType).toBe('STATUS_UPDATE');
      expect(typeof e.description).toBe('string');
    }
    const headers = receiver.received[0].headers;
    expect(headers['x-bosta-webhook-key']).toBe('s3cret');
    expect(headers.authorization).toBeUndefined();
    expect(Object.keys(headers).some((h) => /signature|hmac/i.test(h))).toBe(false);
    const exception = events.find((e) => e.state === 47);
    expect(exception?.exceptionReason).toBeTruthy();
    expect(exception?.exceptionCode).toBeDefined();
    expect(events.filter((e) => e.exceptionReason !== undefined)).toHaveLength(1);
    const delivered = events.find((e) => e.state === 45);
    expect(delivered?.cod).toBe(2450);
    expect(events.filter((e) => e.cod !== undefined)).toHaveLength(1);
    expect(delivered?.numberOfAttempts).toBe(2);
    expect(mapWebhook(delivered as BostaWebhookPayload)).toMatchObject({
      stateCode: 45,
      codMinor: 245_000,
      typeName: 'SEND',
    });
    const stamps = events.map((e) => Number(e.timeStamp));
    for (let k = 1; k < stamps.length; k++) expect(stamps[k]).toBeGreaterThan(stamps[k - 1]);
  });

  it('sends to a per-delivery webhookUrl with its custom headers', async () => {
    sim.control.setWebhook(null);
    const created = await client.createDelivery(
      input({ webhookUrl: `${receiver.url}?own=1`, webhookCustomHeaders: { authorization: 'Basic abc123' } }),
    );
    sim.control.advance(created.trackingNumber);
    await sim.control.flush();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].headers.authorization).toBe('Basic abc123');
  });

  it('sends nothing without an account or delivery webhook', async () => {
    sim.control.setWebhook(null);
    const created = await client.createDelivery(input());
    sim.control.advance(created.trackingNumber, 45);
    await sim.control.flush();
    expect(receiver.received).toHaveLength(0);
  });

  it('duplicates events when asked', async () => {
    sim.control.setSettings({ webhook: { duplicateRate: 1 } });
    const created = await client.createDelivery(input());
    sim.control.advance(created.trackingNumber, 24);
    await sim.control.flush();
    expect(payloads().map((e) => e.state)).toEqual([21, 21, 24, 24]);
    const keys = payloads().map((e) => `${e._id}|${e.state}|${e.timeStamp}`);
    expect(new Set(keys).size).toBe(2);
  });

  it('delivers events out of order when asked, and flush releases a held event', async () => {
    sim.control.setSettings({ webhook: { reorderRate: 1 } });
    const created = await client.createDelivery(input());
    sim.control.advance(created.trackingNumber);
    sim.control.advance(created.trackingNumber);
    sim.control.advance(created.trackingNumber);
    await sim.control.flush();
    const states = payloads().map((e) => e.state);
    expect(states).toHaveLength(3);
    expect(states).toEqual([24, 21, 30]);
  });

  it('delays events and can send tracking numbers as numbers', async () => {
    sim.control.setSettings({ webhook: { delayMs: 80, trackingNumberType: 'number' } });
    const created = await client.createDelivery(input());
    sim.control.advance(created.trackingNumber);
    // A 20 ms timer expires before the 80 ms send delay, whatever the machine's speed.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(receiver.received).toHaveLength(0);
    await sim.control.flush();
    expect(payloads()[0].trackingNumber).toBe(Number(created.trackingNumber));
    expect(mapWebhook(payloads()[0]).trackingNumber).toBe(created.trackingNumber);
  });

  it('retries a failing receiver a little and records the outcome', async () => {
    sim.control.setSettings({ webhook: { retries: 2, retryDelayMs: 5 } });
    receiver.status = 500;
    const created = await client.createDelivery(input());
    sim.control.advance(created.trackingNumber);
    await sim.control.flush();
    expect(receiver.received).toHaveLength(3);
    const log = sim.control.webhookLog();
    expect(log[log.length - 1]).toMatchObject({ status: 500, tries: 3 });
  });
});
