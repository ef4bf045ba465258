import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BostaClient } from '../client.js';
import { mapDelivery } from '../mapper.js';
import { type DeliveryPageReader, openPageReader } from '../page-reader.js';
import { type RunningBostaSimulator, startBostaSimulator } from '../simulator/server.js';
import { deliveryToOrderInput } from '../to-order-input.js';

let sim: RunningBostaSimulator;
const open: Array<{ client: BostaClient; reader: DeliveryPageReader }> = [];
let warnings: Array<Record<string, unknown>>;

function reader(offThread: boolean, maxRetries = 3): DeliveryPageReader {
  const client = new BostaClient({
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    maxRetries,
    retryBaseMs: 5,
    retryMaxMs: 20,
    timeoutMs: 2_000,
    logger: { warn: (obj) => warnings.push(obj) },
  });
  const r = openPageReader(client, { limit: 50, sortBy: '-updatedAt', offThread });
  open.push({ client, reader: r });
  return r;
}

beforeAll(async () => {
  sim = await startBostaSimulator({ deliveries: 180, seed: 73 });
});
beforeEach(() => {
  sim.control.reset();
  warnings = [];
});
afterAll(async () => {
  for (const o of open) {
    await o.reader.close();
    await o.client.close();
  }
  await sim.close();
});

describe('the Bosta page reader', () => {
  it('decodes pages on a worker thread exactly as on the calling thread', async () => {
    const worker = reader(true);
    const inline = reader(false);
    for (const page of [1, 2, 4, 5]) {
      const [a, b] = [await worker.read(page), await inline.read(page)];
      expect(a.count).toBe(180);
      expect(a.deliveries.length).toBe(page === 4 ? 30 : page === 5 ? 0 : 50);
      const strip = (p: typeof a) =>
        p.deliveries.map((d) => ({ ...d, input: { ...d.input, createdAt: d.input.createdAt.slice(0, 10) } }));
      expect(strip(a)).toEqual(strip(b));
    }
    // Each input is what the mapper makes of the courier's delivery, and its document is that delivery's JSON.
    const first = (await worker.read(1)).deliveries[0];
    const doc = JSON.parse(first.input.rawJson ?? 'null');
    expect(first.externalId).toBe(doc._id);
    const expected = deliveryToOrderInput(mapDelivery(doc), first.input.createdAt);
    expect({ ...first.input, rawJson: undefined }).toEqual({ ...expected, raw: undefined });
    expect(first.updatedAt).toBe(expected.updatedAt);
  });

  it('retries on the worker (reporting each retry to the client logger) and fails with the error by name', async () => {
    const worker = reader(true, 2);
    sim.control.queueFaults(['5xx', '429']);
    expect((await worker.read(1)).deliveries).toHaveLength(50);
    expect(warnings).toHaveLength(2);
    expect(warnings.map((w) => w.status)).toEqual([expect.any(Number), 429]);

    sim.control.setSettings({ faults: { errorRate5xx: 1 } });
    const err = (await worker.read(2).catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('BostaUnavailableError');
    expect(err.message).toMatch(/deliveries\/search/);
    sim.control.setSettings({ faults: { errorRate5xx: 0 } });
    // The thread lives on after a failed page.
    expect((await worker.read(2)).deliveries).toHaveLength(50);
  });

  it('refuses reads once closed', async () => {
    const worker = reader(true);
    await worker.close();
    await expect(worker.read(1)).rejects.toThrow(/closed|stopped/);
  });
});
