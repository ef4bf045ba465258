import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BostaClient } from '../client.js';
import { parseBostaTimeMs } from '../dates.js';
import { mapDelivery } from '../mapper.js';
import type { BostaDelivery } from '../types.js';
import { type RunningBostaSimulator, startBostaSimulator } from '../simulator/server.js';

const ANCHOR = Date.parse('2025-09-01T00:00:00Z');
let sim: RunningBostaSimulator;
let client: BostaClient;

async function everything(c: BostaClient, limit = 200): Promise<BostaDelivery[]> {
  const out: BostaDelivery[] = [];
  for (let page = 1; ; page++) {
    const res = await c.searchDeliveries({ page, limit });
    out.push(...res.deliveries);
    if (res.deliveries.length < limit) return out;
  }
}

beforeAll(async () => {
  sim = await startBostaSimulator({ deliveries: 2_000, seed: 21, anchorTime: ANCHOR });
  client = new BostaClient({ baseUrl: sim.url, apiKey: sim.apiKey, maxRetries: 0 });
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

describe('search paging and sort', () => {
  it('pages from 1 with count, limit and page echoed, newest update first', async () => {
    const first = await client.searchDeliveries({ page: 1, limit: 50 });
    const second = await client.searchDeliveries({ page: 2, limit: 50 });
    expect(first).toMatchObject({ count: 2_000, limit: 50, page: 1 });
    const ids = new Set(first.deliveries.map((d) => d._id));
    expect(second.deliveries.some((d) => ids.has(d._id))).toBe(false);
    const times = [...first.deliveries, ...second.deliveries].map((d) => parseBostaTimeMs(d.updatedAt) ?? 0);
    for (let k = 1; k < times.length; k++) expect(times[k]).toBeLessThanOrEqual(times[k - 1]);
  });

  it('walks every delivery exactly once and clamps the limit to the maximum', async () => {
    const all = await everything(client);
    expect(all).toHaveLength(2_000);
    expect(new Set(all.map((d) => d._id)).size).toBe(2_000);
    const big = await client.searchDeliveries({ page: 1, limit: 5_000 });
    expect(big.limit).toBe(200);
    expect(big.deliveries).toHaveLength(200);
  });

  it('sorts oldest update first with sortBy updatedAt', async () => {
    const asc = await client.searchDeliveries({ page: 1, limit: 30, sortBy: 'updatedAt' });
    const times = asc.deliveries.map((d) => parseBostaTimeMs(d.updatedAt) ?? 0);
    for (let k = 1; k < times.length; k++) expect(times[k]).toBeGreaterThanOrEqual(times[k - 1]);
  });

  it('answers an empty page past the end, or repeats the last page when configured', async () => {
    const past = await client.searchDeliveries({ page: 11, limit: 200 });
    expect(past.deliveries).toHaveLength(0);
    sim.control.setSettings({ search: { repeatLastPage: true } });
    try {
      const last = await client.searchDeliveries({ page: 10, limit: 200 });
      const repeated = await client.searchDeliveries({ page: 11, limit: 200 });
      expect(repeated.deliveries.map((d) => d._id)).toEqual(last.deliveries.map((d) => d._id));
    } finally {
      sim.control.setSettings({ search: { repeatLastPage: false } });
    }
  });

  it('supports a 0-based page setting', async () => {
    const one = await client.searchDeliveries({ page: 1, limit: 10 });
    sim.control.setSettings({ search: { pageBase: 0 } });
    try {
      const zero = await client.searchDeliveries({ page: 0, limit: 10 });
      expect(zero.deliveries.map((d) => d._id)).toEqual(one.deliveries.map((d) => d._id));
    } finally {
      sim.control.setSettings({ search: { pageBase: 1 } });
    }
  });

  it('can answer ISO createdAt/updatedAt in search items and a reduced item shape', async () => {
    sim.control.setSettings({ search: { createdAtFormat: 'iso', itemShape: 'reduced' } });
    try {
      const d = (await client.searchDeliveries({ page: 1, limit: 1 })).deliveries[0];
      expect(d.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(d).not.toHaveProperty('sla');
      expect(mapDelivery(d).createdAt).toBe(d.createdAt);
    } finally {
      sim.control.setSettings({ search: { createdAtFormat: 'toString', itemShape: 'full' } });
    }
  });
});

describe('search filters', () => {
  it('filters by upper-case type names', async () => {
    const res = await client.searchDeliveries({ page: 1, limit: 200, type: ['EXCHANGE', 'CUSTOMER_RETURN_PICKUP'] });
    expect(res.count).toBeGreaterThan(0);
    expect(res.count).toBeLessThan(2_000);
    for (const d of res.deliveries) expect([25, 30]).toContain(d.type?.code);
    const rto = await client.searchDeliveries({ page: 1, limit: 50, type: ['RTO'] });
    for (const d of rto.deliveries) expect(d.type).toEqual({ code: 20, value: 'Return to Origin' });
  });

  it('matches phones on the last 10 digits, as a string or an array', async () => {
    const sample = (await client.searchDeliveries({ page: 1, limit: 1 })).deliveries[0];
    const e164 = sample.receiver?.phone ?? '';
    const national = e164.slice(-10);
    // [Old] sent the 10-digit string; [Hub] a 1-element array of its malformed "+2" + number form.
    const forms = [national, `0${national}`, `20${national}`, e164, [`+2${national}`], [`00${e164.slice(1)}`]];
    for (const form of forms) {
      const res = await client.searchDeliveries({ page: 1, limit: 50, mobilePhones: form });
      expect(res.count).toBeGreaterThanOrEqual(1);
      expect(res.deliveries.every((d) => d.receiver?.phone === e164)).toBe(true);
      expect(res.deliveries.map((d) => d._id)).toContain(sample._id);
    }
    expect((await client.searchDeliveries({ page: 1, limit: 5, mobilePhones: '01000000000' })).count).toBe(0);
  });

  it('filters by tracking numbers, accepting numbers too', async () => {
    const some = (await client.searchDeliveries({ page: 3, limit: 3 })).deliveries;
    const res = await client.searchDeliveries({
      page: 1,
      limit: 10,
      trackingNumbers: [Number(some[0].trackingNumber), String(some[1].trackingNumber), '99999999'],
    });
    expect(res.deliveries.map((d) => d._id).sort()).toEqual([some[0]._id, some[1]._id].sort());
  });
});

describe('generated data', () => {
  it('is deterministic for a seed and differs between seeds', async () => {
    const twin = await startBostaSimulator({ deliveries: 2_000, seed: 21, anchorTime: ANCHOR });
    const other = await startBostaSimulator({ deliveries: 2_000, seed: 22, anchorTime: ANCHOR });
    try {
      const mine = await client.searchDeliveries({ page: 2, limit: 20 });
      const twinClient = new BostaClient({ baseUrl: twin.url, apiKey: twin.apiKey });
      const otherClient = new BostaClient({ baseUrl: other.url, apiKey: other.apiKey });
      const same = await twinClient.searchDeliveries({ page: 2, limit: 20 });
      const different = await otherClient.searchDeliveries({ page: 2, limit: 20 });
      expect(same.deliveries).toEqual(mine.deliveries);
      expect(different.deliveries.map((d) => d.trackingNumber)).not.toEqual(
        mine.deliveries.map((d) => d.trackingNumber),
      );
      await Promise.all([twinClient.close(), otherClient.close()]);
    } finally {
      await Promise.all([twin.close(), other.close()]);
    }
  });

  it('has realistic shapes: 8-digit numeric tracking numbers, 21-char ids, Egyptian mobiles', async () => {
    const page = await client.searchDeliveries({ page: 1, limit: 200 });
    for (const d of page.deliveries) {
      expect(d.trackingNumber).toMatch(/^\d{7,8}$/);
      expect(d._id).toHaveLength(21);
      expect(d.receiver?.phone).toMatch(/^\+201[0125]\d{8}$/);
      expect(d.createdAt).toMatch(
        /^\w{3} \w{3} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT\+0000 \(Coordinated Universal Time\)$/,
      );
    }
  });

  it('tells customer stories: a third have 2-5 orders that follow a sale with after-sales orders', async () => {
    const byPhone = new Map<string, ReturnType<typeof mapDelivery>[]>();
    for (const d of await everything(client)) {
      const m = mapDelivery(d);
      const list = byPhone.get(m.receiver.phone ?? '') ?? [];
      list.push(m);
      byPhone.set(m.receiver.phone ?? '', list);
    }
    const histories = [...byPhone.values()];
    const multi = histories.filter((h) => h.length >= 2);
    expect(multi.length / histories.length).toBeGreaterThanOrEqual(0.25);
    expect(Math.max(...histories.map((h) => h.length))).toBeLessThanOrEqual(5);
    const sorted = multi.map((h) => [...h].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '')));
    // The first order is a sale (SEND, or an RTO when it came back) of a real appliance price.
    expect(sorted.every((h) => [10, 20].includes(h[0].typeCode ?? 0))).toBe(true);
    const followUps = sorted.flatMap((h) => h.slice(1));
    expect(followUps.some((m) => m.typeCode === 25 && m.codMinor === 0)).toBe(true);
    expect(followUps.some((m) => m.typeCode === 25 && m.codMinor < 0 && m.codMinor >= -200_000)).toBe(true);
    expect(followUps.some((m) => m.typeCode === 30)).toBe(true);
    expect(followUps.some((m) => m.typeCode === 10 && m.codMinor > 0 && m.codMinor <= 50_000)).toBe(true);
    expect(followUps.some((m) => m.typeCode === 10 && m.codMinor === 0)).toBe(true);
    // Follow-ups carry the original sale's order number as businessReference.
    const linked = sorted.filter(
      (h) => h[0].businessReference && h.slice(1).some((m) => m.businessReference === h[0].businessReference),
    );
    expect(linked.length).toBeGreaterThan(multi.length / 2);
    const states = new Set([...byPhone.values()].flat().map((m) => m.stateCode));
    for (const code of [10, 45, 46, 47, 48]) expect(states).toContain(code);
  });
});
