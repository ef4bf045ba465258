import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BostaClient, type BostaClientOptions } from '../client.js';
import { BostaProtocolError, BostaRateLimitError, BostaUnavailableError } from '../errors.js';
import type { BostaCreateDeliveryInput } from '../types.js';
import { type RunningBostaSimulator, startBostaSimulator } from '../simulator/server.js';

let sim: RunningBostaSimulator;
const clients: BostaClient[] = [];
let retries: Array<{ attempt: unknown; delayMs: unknown; status: unknown }>;

function client(options: Partial<BostaClientOptions> = {}): BostaClient {
  const c = new BostaClient({
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    maxRetries: 3,
    retryBaseMs: 5,
    retryMaxMs: 20,
    timeoutMs: 2_000,
    logger: { warn: (obj) => retries.push(obj as (typeof retries)[number]) },
    ...options,
  });
  clients.push(c);
  return c;
}

function createInput(overrides: Partial<BostaCreateDeliveryInput> = {}): BostaCreateDeliveryInput {
  return {
    type: 10,
    cod: 999,
    receiver: { firstName: 'Hany', phone: '01211112222' },
    dropOffAddress: {
      city: 'Alexandria',
      districtName: 'Smouha',
      cityId: cityIds.Alexandria,
      firstLine: '9 Victor Emmanuel Sq.',
    },
    ...overrides,
  };
}

const cityIds: Record<string, string> = {};

beforeAll(async () => {
  sim = await startBostaSimulator({ deliveries: 400, seed: 61, settings: { faults: { hangMs: 1_500 } } });
  for (const c of await client().listCities()) cityIds[c.name] = c._id;
});
beforeEach(() => {
  sim.control.reset();
  sim.control.setSettings({ faults: { hangMs: 1_500 } });
  retries = [];
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim.close();
});

describe('fault knobs against the client', () => {
  it('retries 5xx answers (JSON or proxy HTML) to success for reads', async () => {
    sim.control.queueFaults(['5xx', '5xx', '5xx']);
    const page = await client().searchDeliveries({ page: 1, limit: 10 });
    expect(page.deliveries).toHaveLength(10);
    expect(retries).toHaveLength(3);
  });

  it('gives up with BostaUnavailableError when 5xx outlasts the retries', async () => {
    sim.control.setSettings({ faults: { errorRate5xx: 1 } });
    const err = await client({ maxRetries: 2 })
      .getDelivery('12345678')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BostaUnavailableError);
    expect(retries).toHaveLength(2);
  });

  it('honours Retry-After on 429', async () => {
    sim.control.setSettings({ faults: { retryAfterSeconds: 0.12 } });
    sim.control.queueFaults(['429']);
    const page = await client().searchDeliveries({ page: 1, limit: 5 });
    expect(page.deliveries).toHaveLength(5);
    expect(retries).toEqual([expect.objectContaining({ delayMs: 120, status: 429 })]);
  });

  it('surfaces BostaRateLimitError when Retry-After exceeds the wait budget', async () => {
    sim.control.setSettings({ faults: { retryAfterSeconds: 60, rateLimitRate: 1 } });
    const err = await client({ maxTotalWaitMs: 1_000 })
      .searchDeliveries({ page: 1, limit: 5 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BostaRateLimitError);
    expect((err as BostaRateLimitError).retryAfterMs).toBe(60_000);
  });

  it('times out a hanging request and retries it', async () => {
    sim.control.queueFaults(['hang']);
    const page = await client({ timeoutMs: 150 }).searchDeliveries({ page: 1, limit: 3 });
    expect(page.deliveries).toHaveLength(3);
    expect(retries).toHaveLength(1);
  });

  it('turns truncated JSON into BostaProtocolError after retries', async () => {
    sim.control.setSettings({ faults: { malformedJsonRate: 1 } });
    const err = await client({ maxRetries: 2 })
      .searchDeliveries({ page: 1, limit: 5 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BostaProtocolError);
    expect(retries).toHaveLength(2);
  });

  it('does not retry a create on 5xx without a uniqueBusinessReference', async () => {
    sim.control.queueFaults(['5xx']);
    const before = sim.control.truth().count;
    await expect(client().createDelivery(createInput())).rejects.toBeInstanceOf(BostaUnavailableError);
    expect(retries).toHaveLength(0);
    expect(sim.control.truth().count).toBe(before);
  });

  it('retries a create guarded by uniqueBusinessReference, and retries any create on 429', async () => {
    sim.control.queueFaults(['5xx', '429']);
    sim.control.setSettings({ faults: { retryAfterSeconds: 0 } });
    const created = await client().createDelivery(createInput({ uniqueBusinessReference: 'GUARD-1' }));
    expect(created.trackingNumber).toMatch(/^\d{7,8}$/);
    expect(retries).toHaveLength(2);
    sim.control.queueFaults(['429']);
    await expect(client().createDelivery(createInput())).resolves.toHaveProperty('_id');
  });

  it('changes data while a sync pages through (mutateDuringSync)', async () => {
    sim.control.setSettings({ faults: { mutateDuringSync: 5 } });
    const c = client();
    const seen = new Map<string, number>();
    for (let page = 1; page <= 3; page++) {
      for (const d of (await c.searchDeliveries({ page, limit: 100 })).deliveries)
        seen.set(d._id, (seen.get(d._id) ?? 0) + 1);
    }
    const truth = sim.control.truth();
    expect(truth.count).toBeGreaterThanOrEqual(400);
    // Items moved to the top between pages: some were seen twice or skipped, which is what clients must survive.
    expect([...seen.values()].some((n) => n > 1) || seen.size < 300).toBe(true);
  });

  it('never faults the control routes', async () => {
    sim.control.setSettings({ faults: { errorRate5xx: 1 } });
    const res = await request(`${sim.origin}/__control/truth`);
    expect(res.statusCode).toBe(200);
    expect(((await res.body.json()) as { count: number }).count).toBe(400);
  });
});
