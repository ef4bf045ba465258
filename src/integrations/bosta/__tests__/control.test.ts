import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BostaClient } from '../client.js';
import { mapDelivery } from '../mapper.js';
import { RateBudget } from '../rate-budget.js';
import { runSimulatorCommand } from '../simulator/cli.js';
import type { SimulatorTruth } from '../simulator/control.js';
import type { RunningBostaSimulator } from '../simulator/server.js';

let sim: RunningBostaSimulator;
let client: BostaClient;
const lines: string[] = [];

async function control<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await request(`${sim.origin}/__control${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.statusCode, path).toBeLessThan(300);
  return (await res.body.json()) as T;
}

beforeAll(async () => {
  sim = await runSimulatorCommand({ port: '0', deliveries: '600', seed: '81', print: (l) => lines.push(l) });
  client = new BostaClient({ baseUrl: sim.url, apiKey: sim.apiKey, maxRetries: 0 });
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

describe('simulate bosta command', () => {
  it('prints the URL and the API key to use', () => {
    expect(lines[0]).toBe(`Bosta simulator listening on ${sim.url}`);
    expect(lines.join('\n')).toContain(sim.apiKey);
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
  });
});

describe('control API over HTTP', () => {
  it('reports the truth: counts and COD sums per state, in piasters, and the full list on demand', async () => {
    const truth = await control<SimulatorTruth>('GET', '/truth?list=1');
    expect(truth.count).toBe(600);
    expect(Object.values(truth.byState).reduce((a, b) => a + b, 0)).toBe(600);
    expect(Object.values(truth.codMinorByState).every(Number.isInteger)).toBe(true);
    expect(truth.deliveries).toHaveLength(600);
    // The truth matches what a full sync through the API maps.
    let synced = 0;
    let codMinor = 0;
    for (let page = 1; page <= 3; page++) {
      for (const d of (await client.searchDeliveries({ page, limit: 200 })).deliveries) {
        const m = mapDelivery(d);
        const t = truth.deliveries?.find((x) => x.trackingNumber === m.trackingNumber);
        expect(t?.stateCode).toBe(m.stateCode);
        expect(t?.updatedAt).toBe(m.updatedAt);
        codMinor += m.codMinor;
        synced++;
      }
    }
    expect(synced).toBe(600);
    expect(codMinor).toBe(truth.codMinorTotal);
  });

  it('adds, changes and advances deliveries', async () => {
    const added = await control<{ trackingNumbers: string[] }>('POST', '/add', { count: 5 });
    expect(added.trackingNumbers).toHaveLength(5);
    const top = await client.searchDeliveries({ page: 1, limit: 5 });
    expect(new Set(top.deliveries.map((d) => d.trackingNumber))).toEqual(new Set(added.trackingNumbers));
    expect(top.deliveries.every((d) => d.state?.code === 10)).toBe(true);
    const advanced = await control<{ advanced: Array<{ states: number[] }> }>('POST', '/advance', {
      trackingNumber: added.trackingNumbers[0],
      toState: 45,
    });
    expect(advanced.advanced[0].states).toEqual([21, 24, 30, 41, 45]);
    const changed = await control<{ trackingNumbers: string[] }>('POST', '/change', { count: 3 });
    expect(changed.trackingNumbers).toHaveLength(3);
    expect((await control<SimulatorTruth>('GET', '/truth')).count).toBe(605);
  });

  it('patches settings, queues faults, sets the webhook and resets', async () => {
    const settings = await control<{ search: { maxLimit: number } }>('PATCH', '/settings', {
      search: { maxLimit: 20 },
    });
    expect(settings.search.maxLimit).toBe(20);
    expect((await client.searchDeliveries({ page: 1, limit: 100 })).deliveries).toHaveLength(20);
    await control('POST', '/faults', { queue: ['5xx'] });
    await expect(client.searchDeliveries({ page: 1, limit: 1 })).rejects.toMatchObject({
      name: 'BostaUnavailableError',
    });
    await control('PUT', '/webhook', { url: 'http://127.0.0.1:9/hook', headerName: 'x-key', headerValue: 'v' });
    await control('DELETE', '/webhook');
    await control('POST', '/flush');
    await control('POST', '/reset');
    expect((await client.searchDeliveries({ page: 1, limit: 100 })).deliveries).toHaveLength(100);
    expect((await control<SimulatorTruth>('GET', '/truth')).count).toBe(600);
  });
});

describe('rate budget', () => {
  it('lets a burst through, then spaces requests', async () => {
    vi.useFakeTimers();
    try {
      const budget = new RateBudget(2, () => Date.now());
      const granted: number[] = [];
      const all = [0, 1, 2, 3].map((k) => budget.acquire().then(() => granted.push(k)));
      await vi.advanceTimersByTimeAsync(0);
      expect(granted).toEqual([0, 1]);
      await vi.advanceTimersByTimeAsync(500);
      expect(granted).toEqual([0, 1, 2]);
      await vi.advanceTimersByTimeAsync(500);
      await Promise.all(all);
      expect(granted).toEqual([0, 1, 2, 3]);
    } finally {
      vi.useRealTimers();
    }
  });
});
