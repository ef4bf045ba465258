import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BostaClient } from '../client.js';
import {
  BostaDuplicateReferenceError,
  BostaNotFoundError,
  BostaUnavailableError,
  BostaValidationError,
} from '../errors.js';
import { mapDelivery } from '../mapper.js';
import type { BostaCreateDeliveryInput, BostaDistrict } from '../types.js';
import { type RunningBostaSimulator, startBostaSimulator } from '../simulator/server.js';

let sim: RunningBostaSimulator;
let client: BostaClient;
let nasrCity: BostaDistrict;
let cairoId: string;

function send(overrides: Partial<BostaCreateDeliveryInput> = {}): BostaCreateDeliveryInput {
  return {
    type: 10,
    specs: {
      packageType: 'Parcel',
      size: 'SMALL',
      packageDetails: { itemsCount: 1, description: '1 * Air Fryer 4L (HV-AF40)' },
    },
    cod: 3450,
    receiver: { firstName: 'Ahmed', lastName: 'Ali', phone: '01012345678' },
    dropOffAddress: { city: 'Cairo', districtId: nasrCity.districtId, firstLine: '12 Abbas El Akkad St., Nasr City' },
    businessReference: '#9001',
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error & { errorCode?: string; status?: number }> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: Error) => e,
  );
}

beforeAll(async () => {
  sim = await startBostaSimulator({ deliveries: 500, seed: 31 });
  client = new BostaClient({ baseUrl: sim.url, apiKey: sim.apiKey, maxRetries: 0 });
  const cities = await client.listCities();
  cairoId = cities.find((c) => c.name === 'Cairo')?._id ?? '';
  nasrCity = (await client.listDistricts(cairoId)).find((d) => d.districtName === 'ElHay 10') as BostaDistrict;
});
beforeEach(() => {
  sim.control.reset();
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

describe('detail', () => {
  it('returns the full document with Date.toString() createdAt/updatedAt that the mapper reads', async () => {
    const tn = (await client.searchDeliveries({ page: 1, limit: 1, type: ['SEND'] })).deliveries[0].trackingNumber;
    const d = await client.getDelivery(tn);
    expect(d.createdAt).toMatch(/GMT\+0000 \(Coordinated Universal Time\)$/);
    expect(d.timeline?.length).toBeGreaterThan(0);
    expect(d).toHaveProperty('log');
    const m = mapDelivery(d);
    expect(m.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    expect(Date.parse(m.createdAt ?? '')).toBe(Math.floor(Number(d.creationTimestamp) / 1000) * 1000);
  });

  it('answers 404 with errorCode 1066 for an unknown tracking number', async () => {
    const err = await rejection(client.getDelivery('99999999'));
    expect(err).toBeInstanceOf(BostaNotFoundError);
    expect(err.errorCode).toBe('1066');
    expect(err.status).toBe(404);
  });

  it('sends numeric error codes when configured; the client still compares strings', async () => {
    sim.control.setSettings({ errors: { errorCodeType: 'number' } });
    const err = await rejection(client.getDelivery('99999999'));
    expect((err as BostaNotFoundError).body).toMatchObject({ errorCode: 1066 });
    expect(err.errorCode).toBe('1066');
  });
});

describe('create', () => {
  it('creates a SEND: 201, 7-8 digit tracking number, 21-char _id, state 10, readable at once', async () => {
    const created = await client.createDelivery(send());
    expect(created.trackingNumber).toMatch(/^\d{7,8}$/);
    expect(created._id).toHaveLength(21);
    expect(created.state).toEqual({ code: 10, value: 'Pickup requested' });
    const m = mapDelivery(await client.getDelivery(created.trackingNumber));
    expect(m).toMatchObject({
      stateCode: 10,
      maskedState: 'Created',
      typeCode: 10,
      codMinor: 345_000,
      businessReference: '#9001',
    });
    expect(m.receiver.phone).toBe('+201012345678');
    expect(m.dropOffAddress).toMatchObject({ cityName: 'Cairo', district: 'ElHay 10', zone: 'Nasr City' });
    const top = await client.searchDeliveries({ page: 1, limit: 1 });
    expect(top.deliveries[0]._id).toBe(created._id);
    expect(top.count).toBe(501);
  });

  it('answers 200 when configured (clients must test res.ok && success)', async () => {
    sim.control.setSettings({ create: { status: 200 } });
    await expect(client.createDelivery(send())).resolves.toHaveProperty('trackingNumber');
  });

  it('creates a CRP with the customer in pickupAddress and a negative refund COD', async () => {
    const created = await client.createDelivery({
      type: 25,
      pickupAddress: { city: 'Cairo', districtId: nasrCity.districtId, firstLine: '12 Street name, Nasr City' },
      returnSpecs: {
        packageType: 'Parcel',
        packageDetails: { itemsCount: 1, description: 'Blender - motor overheats' },
      },
      cod: -1500,
      receiver: { firstName: 'Mona', phone: '+201112345678' },
      uniqueBusinessReference: '#9001-R1',
    });
    const m = mapDelivery(await client.getDelivery(created.trackingNumber));
    expect(m).toMatchObject({
      typeCode: 25,
      typeName: 'CUSTOMER_RETURN_PICKUP',
      codMinor: -150_000,
      paymentMethod: null,
    });
    expect(m.pickupAddress?.district).toBe('ElHay 10');
    expect(m.returnPackageDescription).toContain('Blender');
  });

  it('reproduces the HTTP 500 of a CRP sent with dropOffAddress only', async () => {
    const err = await rejection(
      client.createDelivery({ ...send({ type: 25 }), dropOffAddress: send().dropOffAddress, cod: 0 }),
    );
    expect(err).toBeInstanceOf(BostaUnavailableError);
    expect(err.status).toBe(500);
    expect(err.message).toContain("Cannot read properties of undefined (reading 'city')");
    expect(err.errorCode).toBeUndefined();
  });

  it('validates receiver, addresses and COD with Bosta error codes', async () => {
    const cases: Array<[Partial<BostaCreateDeliveryInput>, string]> = [
      [{ receiver: { firstName: '', phone: '01012345678' } }, '1000'],
      [{ receiver: { firstName: 'A', phone: '12345' } }, '1000'],
      [{ dropOffAddress: { city: 'Atlantis', districtId: nasrCity.districtId, firstLine: '12 Long street' } }, '3001'],
      [{ dropOffAddress: { city: 'Cairo', districtId: 'nope', firstLine: '12 Long street' } }, '3003'],
      [
        { dropOffAddress: { city: 'Cairo', districtName: 'ElHay 10', cityId: 'wrong', firstLine: '12 Long street' } },
        '3002',
      ],
      [{ dropOffAddress: { city: 'Cairo', districtId: nasrCity.districtId, firstLine: 'short' } }, '1000'],
      [{ dropOffAddress: { city: 'Cairo', firstLine: '12 Long street' } }, '1000'],
      [{ cod: 30_001 }, '3007'],
      [{ type: 30, cod: -2_001 }, '3008'],
      [{ type: 15 }, '1000'],
    ];
    for (const [override, code] of cases) {
      const err = await rejection(client.createDelivery(send(override)));
      expect(err, JSON.stringify(override)).toBeInstanceOf(BostaValidationError);
      expect(err.errorCode, JSON.stringify(override)).toBe(code);
    }
  });

  it('accepts districtName + cityId, and a bare city without apiVersion=1', async () => {
    await expect(
      client.createDelivery(
        send({
          dropOffAddress: { city: 'Cairo', districtName: 'ElHay 10', cityId: cairoId, firstLine: '12 Long street' },
        }),
      ),
    ).resolves.toHaveProperty('_id');
    const lenient = await client.createDelivery(
      send({ dropOffAddress: { city: 'Giza', firstLine: '5 Pyramids Rd.' } }),
      {
        apiVersion1: false,
      },
    );
    const m = mapDelivery(await client.getDelivery(lenient.trackingNumber));
    expect(m.dropOffAddress).toMatchObject({ cityName: 'Giza', district: null });
  });

  it('guards uniqueBusinessReference with 11000, against generated and created deliveries', async () => {
    await client.createDelivery(send({ uniqueBusinessReference: 'REF-1' }));
    const dup = await rejection(client.createDelivery(send({ uniqueBusinessReference: 'REF-1' })));
    expect(dup).toBeInstanceOf(BostaDuplicateReferenceError);
    expect(dup.errorCode).toBe('11000');
    expect((dup as BostaDuplicateReferenceError).onRetry).toBe(false);
    const generated = (await client.searchDeliveries({ page: 1, limit: 100, type: ['SEND'] })).deliveries.find(
      (d) => d.uniqueBusinessReference && d.state?.code !== 48,
    );
    const clash = await rejection(
      client.createDelivery(send({ uniqueBusinessReference: String(generated?.uniqueBusinessReference) })),
    );
    expect(clash.errorCode).toBe('11000');
  });

  it('bulk create answers ids only', async () => {
    const ids = await client.createDeliveriesBulk([send(), send({ businessReference: '#9002' })]);
    expect(Array.isArray(ids)).toBe(true);
    expect((ids as string[]).every((id) => typeof id === 'string' && id.length === 21)).toBe(true);
  });
});

describe('update and terminate', () => {
  it('updates by _id and moves the delivery to the top of -updatedAt', async () => {
    const created = await client.createDelivery(send());
    await client.createDelivery(send({ businessReference: '#later' }));
    await client.updateDelivery(created._id, { notes: 'Call first', receiver: { phone: '01598765432' }, cod: 2000 });
    const m = mapDelivery(await client.getDelivery(created.trackingNumber));
    expect(m).toMatchObject({ notes: 'Call first', codMinor: 200_000 });
    expect(m.receiver.phone).toBe('+201598765432');
    expect((await client.searchDeliveries({ page: 1, limit: 1 })).deliveries[0]._id).toBe(created._id);
    expect((await client.searchDeliveries({ page: 1, limit: 5, mobilePhones: '01598765432' })).count).toBe(1);
    await expect(client.updateDelivery('x'.repeat(21), { notes: 'n' })).rejects.toBeInstanceOf(BostaNotFoundError);
  });

  it('terminates to 48, keeps the delivery (keep48) and frees the reference', async () => {
    const created = await client.createDelivery(send({ uniqueBusinessReference: 'REF-T' }));
    await client.terminateDelivery(created.trackingNumber);
    const m = mapDelivery(await client.getDelivery(created.trackingNumber));
    expect(m).toMatchObject({ stateCode: 48, stateName: 'Terminated', isFinal: true });
    await expect(client.createDelivery(send({ uniqueBusinessReference: 'REF-T' }))).resolves.toHaveProperty('_id');
    const again = await rejection(client.terminateDelivery(created.trackingNumber));
    expect(again).toBeInstanceOf(BostaValidationError);
    expect(again.errorCode).toBe('1070');
  });

  it('refuses to terminate late states with 1070', async () => {
    const delivered = (await client.searchDeliveries({ page: 1, limit: 200 })).deliveries.find(
      (d) => d.state?.code === 45,
    );
    const err = await rejection(client.terminateDelivery(String(delivered?.trackingNumber)));
    expect(err.errorCode).toBe('1070');
    expect(err.status).toBe(400);
  });

  it('makes terminated deliveries disappear when configured', async () => {
    sim.control.setSettings({ terminate: { mode: 'disappear' } });
    const created = await client.createDelivery(send());
    const before = (await client.searchDeliveries({ page: 1, limit: 1 })).count;
    await client.terminateDelivery(created.trackingNumber);
    const err = await rejection(client.getDelivery(created.trackingNumber));
    expect(err).toBeInstanceOf(BostaNotFoundError);
    expect(err.status).toBe(400);
    expect((await client.searchDeliveries({ page: 1, limit: 1 })).count).toBe(before - 1);
    expect(sim.control.truth().count).toBe(before - 1);
  });
});
