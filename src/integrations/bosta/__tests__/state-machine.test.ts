import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BostaClient } from '../client.js';
import { mapDelivery } from '../mapper.js';
import type { BostaCreateDeliveryInput } from '../types.js';
import { Rng } from '../simulator/prng.js';
import { type RunningBostaSimulator, startBostaSimulator } from '../simulator/server.js';
import { generatedPath, nextTransition, type Step, SUCCESS_PATHS } from '../simulator/state-machine.js';

let sim: RunningBostaSimulator;
let client: BostaClient;
let districtId: string;

function input(type: 10 | 25 | 30): BostaCreateDeliveryInput {
  const address = { city: 'Giza', districtId, firstLine: '7 El Haram St., Talbia' };
  return {
    type,
    cod: type === 10 ? 1650 : 0,
    receiver: { firstName: 'Sara', lastName: 'Hassan', phone: '01234567890' },
    ...(type === 25 ? { pickupAddress: address } : { dropOffAddress: address }),
    specs: { packageType: 'Parcel', packageDetails: { itemsCount: 1, description: '1 * Blender' } },
  };
}

beforeAll(async () => {
  sim = await startBostaSimulator({ deliveries: 200, seed: 41 });
  client = new BostaClient({ baseUrl: sim.url, apiKey: sim.apiKey, maxRetries: 0 });
  const giza = (await client.listCities()).find((c) => c.name === 'Giza');
  districtId = (await client.listDistricts(giza?._id ?? '')).find((d) => d.districtName === 'Talbia')?.districtId ?? '';
});
beforeEach(() => sim.control.reset());
afterAll(async () => {
  await client.close();
  await sim.close();
});

describe('state machine paths', () => {
  it('SEND walks 10 → 21 → 24 → 30 → 41 → 45 with times, timeline, attempts and wallet', async () => {
    const { trackingNumber } = await client.createDelivery(input(10));
    const result = sim.control.advance(trackingNumber, 45);
    expect(result.states).toEqual([21, 24, 30, 41, 45]);
    const d = await client.getDelivery(trackingNumber);
    const m = mapDelivery(d);
    expect(m).toMatchObject({ stateCode: 45, maskedState: 'Delivered', attempts: 1, isFinal: true });
    expect(m.timeline.map((t) => t.value)).toEqual(['new', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered']);
    expect(m.deliveredAt).toBe(m.timeline[4].at);
    expect(m.pickedUpAt).toBe(m.timeline[1].at);
    expect(d.wallet?.cashCycle?.cod).toBe('1650.00');
    expect(typeof d.wallet?.cashCycle?.bosta_fees).toBe('string');
    expect(sim.control.advance(trackingNumber).states).toEqual([]);
  });

  it('a failed SEND goes through an exception and comes back as RTO (type 20) to 46', async () => {
    const { trackingNumber } = await client.createDelivery(input(10));
    const states = sim.control.advance(trackingNumber, 46).states;
    expect(states.slice(0, 6)).toEqual([21, 24, 30, 41, 47, 30]);
    expect(states.slice(-2)).toEqual([41, 46]);
    const m = mapDelivery(await client.getDelivery(trackingNumber));
    expect(m).toMatchObject({ stateCode: 46, typeCode: 20, typeName: 'RTO', maskedState: 'Returned' });
    expect(m.returnedAt).not.toBeNull();
    expect(m.timeline.map((t) => t.value)).toContain('out_for_return');
    expect((await client.searchDeliveries({ page: 1, limit: 5, type: ['RTO'] })).deliveries[0].trackingNumber).toBe(
      trackingNumber,
    );
  });

  it('exceptions carry reason and code, and the delivery can be retried', async () => {
    const { trackingNumber } = await client.createDelivery(input(10));
    sim.control.advance(trackingNumber, 41);
    sim.control.advance(trackingNumber, 47);
    let m = mapDelivery(await client.getDelivery(trackingNumber));
    expect(m.stateCode).toBe(47);
    expect(m.exceptionReason).toBeTruthy();
    expect(m.exceptionCode).toBeGreaterThan(0);
    expect(m.attempts).toBe(1);
    sim.control.advance(trackingNumber, 41);
    sim.control.advance(trackingNumber, 45);
    m = mapDelivery(await client.getDelivery(trackingNumber));
    expect(m).toMatchObject({ stateCode: 45, attempts: 2, exceptionReason: null });
  });

  it('CRP walks 10 → 22 → 23 → 24 → 30 → 41 → 46', async () => {
    const { trackingNumber } = await client.createDelivery(input(25));
    expect(sim.control.advance(trackingNumber, 46).states).toEqual([22, 23, 24, 30, 41, 46]);
    const m = mapDelivery(await client.getDelivery(trackingNumber));
    expect(m).toMatchObject({ stateCode: 46, maskedState: 'Returned', typeCode: 25 });
    expect(m.timeline.map((t) => t.value)).toEqual([
      'ready_for_pickup',
      'picked_up',
      'in_transit',
      'out_for_return',
      'returned',
    ]);
  });

  it('Exchange walks 10 → 21 → 30 → 41 → 46 and ends "Fulfilled"', async () => {
    const { trackingNumber } = await client.createDelivery(input(30));
    expect(sim.control.advance(trackingNumber, 46).states).toEqual([21, 30, 41, 46]);
    const d = await client.getDelivery(trackingNumber);
    expect(mapDelivery(d)).toMatchObject({ stateCode: 46, maskedState: 'Fulfilled', typeName: 'EXCHANGE' });
    expect(d.parcels?.forward?.state).toBe('Delivered');
  });

  it('jumps to terminal states off the path (lost, damaged, canceled)', async () => {
    for (const code of [100, 101, 49]) {
      const { trackingNumber } = await client.createDelivery(input(10));
      sim.control.advance(trackingNumber, 30);
      expect(sim.control.advance(trackingNumber, code).stateCode).toBe(code);
      expect(mapDelivery(await client.getDelivery(trackingNumber)).isFinal).toBe(true);
    }
  });

  it('random advances only move in-flight deliveries and keep the truth in sync', async () => {
    const before = sim.control.truth();
    const moved = sim.control.advanceRandom(10);
    expect(moved.length).toBeGreaterThan(0);
    const after = sim.control.truth({ list: true });
    expect(after.count).toBe(before.count);
    // The same delivery may be picked twice; every moved one is now among the most recently updated.
    const unique = new Set(moved.map((r) => r.trackingNumber));
    const top = await client.searchDeliveries({ page: 1, limit: unique.size });
    expect(new Set(top.deliveries.map((d) => d.trackingNumber))).toEqual(unique);
    const latest = new Map(moved.map((r) => [r.trackingNumber, r.stateCode]));
    for (const [tn, code] of latest)
      expect(after.deliveries?.find((t) => t.trackingNumber === tn)?.stateCode).toBe(code);
  });
});

describe('state machine rules', () => {
  it('generated histories end in their state', () => {
    const cases: Array<[number, number, number]> = [
      [10, 45, 2],
      [20, 46, 2],
      [25, 46, 1],
      [25, 49, 2],
      [30, 46, 0],
      [10, 47, 1],
      [10, 24, 0],
      [10, 48, 0],
    ];
    for (const [type, state, failed] of cases) {
      const path = generatedPath(type, state, failed);
      expect(path[0]).toBe(10);
      expect(path[path.length - 1]).toBe(state);
      expect(path.filter((c) => c === 47).length).toBe(type === 20 ? failed : failed);
    }
  });

  it('next transitions always follow the type paths and stop at final states', () => {
    const rng = new Rng(7);
    for (const type of [10, 25, 30]) {
      for (let run = 0; run < 50; run++) {
        const steps: Step[] = [{ code: 10, at: 0 }];
        let currentType = type;
        for (let k = 0; k < 30; k++) {
          const next = nextTransition(currentType, steps, rng);
          if (!next) break;
          if (next.typeCode) currentType = next.typeCode;
          steps.push({ code: next.code, at: k + 1, typeCode: next.typeCode });
        }
        const last = steps[steps.length - 1].code;
        expect([45, 46, 48, 49, 100, 101]).toContain(last);
        const allowed = new Set([...SUCCESS_PATHS[type], ...SUCCESS_PATHS[20], 47, 48, 49, 100, 101]);
        for (const s of steps) expect(allowed.has(s.code)).toBe(true);
      }
    }
  });
});
