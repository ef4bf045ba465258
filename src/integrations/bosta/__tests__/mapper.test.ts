import { describe, expect, it } from 'vitest';
import { parseBostaTime } from '../dates.js';
import { BostaMappingError } from '../errors.js';
import { mapDelivery, mapWebhook } from '../mapper.js';
import { interpretResponse } from '../response.js';
import { SimulatorEngine } from '../simulator/engine.js';
import { defaultSimulatorSettings } from '../simulator/settings.js';
import type { BostaDelivery } from '../types.js';

const delivered: BostaDelivery = {
  _id: 'Qm3xT9vLk2PzR8wYbN4aE',
  trackingNumber: '57640001',
  type: { code: 10, value: 'Send' },
  state: {
    code: 45,
    value: 'Delivered',
    pickedUpTime: '2025-07-20T10:22:53.520Z',
    receivedAtWarehouse: { time: '2025-07-20T18:08:32.236Z', warehouse: { name: 'Mostorod Hub' } },
    deliveryTime: '2025-07-21T13:40:12.120Z',
    returnedToBusiness: null,
    exception: [
      {
        reason: 'Postponed - the customer requested postponement for another day.',
        code: 3,
        time: '2025-07-20T15:00:00.000Z',
      },
    ],
  },
  maskedState: 'Delivered',
  cod: 1450,
  shipmentFees: 54,
  paymentMethod: 'COD',
  notes: '1 * product description for courier',
  businessReference: '#10001',
  uniqueBusinessReference: '10001',
  isConfirmedDelivery: true,
  receiver: {
    firstName: 'Ahmed',
    lastName: 'Ali',
    fullName: 'Ahmed Ali',
    phone: '+201012345678',
    secondPhone: '01112345678',
  },
  star: { _id: 's1', name: 'Courier Name', phone: '+201100000000' },
  dropOffAddress: {
    city: { _id: 'FceDyHXwpSYYF9zGW', name: 'Cairo', nameAr: 'القاهره' },
    zone: { _id: 'qWckBs-T7', name: 'Nasr City', nameAr: 'مدينه نصر' },
    district: { _id: 'Iy7-lFD0BE0', name: 'ElHay 10', nameAr: 'الحي العاشر' },
    firstLine: '12 Street name, building',
    secondLine: 'Near landmark',
    buildingNumber: '1',
    floor: '1',
    apartment: '1',
    geoLocation: [31.34, 30.06],
  },
  specs: { packageType: 'Parcel', packageDetails: { itemsCount: 1, description: '1 * product name (SKU)' } },
  timeline: [
    { value: 'new', code: 10, done: true, date: '2025-07-20T09:45:51.763Z' },
    { value: 'picked_up', code: 21, done: true, date: '2025-07-20T10:22:53.520Z' },
    { value: 'picked_up', code: 21, done: true, date: '2025-07-20T10:22:53.520Z' },
    { value: 'in_transit', code: 30, done: true, date: '2025-07-20T18:08:32.236Z' },
    { value: 'out_for_delivery', code: 41, done: true, date: '2025-07-21T08:00:00.000Z' },
    { value: 'delivered', code: 45, done: true, date: '2025-07-21T13:40:12.120Z' },
  ],
  createdAt: 'Sun Jul 20 2025 09:45:51 GMT+0000 (Coordinated Universal Time)',
  updatedAt: 'Mon Jul 21 2025 21:43:38 GMT+0300 (Eastern European Summer Time)',
  creationTimestamp: 1753004751763,
  attemptsCount: 1,
  callsNumber: 3,
  smsNumber: 0,
  wallet: { cashCycle: { cod: '1450.00', bosta_fees: '61.56', deposited_amt: 1388.44 } },
  deliveryPromiseDate: '21-07-2025',
};

describe('mapDelivery', () => {
  it('maps the reference delivery (§4.1) into a flat record', () => {
    const m = mapDelivery(delivered);
    expect(m).toMatchObject({
      externalId: 'Qm3xT9vLk2PzR8wYbN4aE',
      trackingNumber: '57640001',
      typeCode: 10,
      typeName: 'SEND',
      stateCode: 45,
      stateName: 'Delivered',
      isFinal: true,
      cod: 1450,
      codMinor: 145_000,
      shipmentFeesMinor: 5_400,
      bostaFeesMinor: 6_156,
      depositedAmountMinor: 138_844,
      businessReference: '#10001',
      uniqueBusinessReference: '10001',
      packageDescription: '1 * product name (SKU)',
      itemsCount: 1,
      attempts: 1,
      callsNumber: 3,
      isConfirmedDelivery: true,
      deliveryPromiseDate: '2025-07-21',
      createdAt: '2025-07-20T09:45:51.000Z',
      updatedAt: '2025-07-21T18:43:38.000Z',
      pickedUpAt: '2025-07-20T10:22:53.520Z',
      receivedAtWarehouseAt: '2025-07-20T18:08:32.236Z',
      deliveredAt: '2025-07-21T13:40:12.120Z',
      returnedAt: null,
      starName: 'Courier Name',
      exceptionReason: null,
    });
    expect(m.receiver).toEqual({
      firstName: 'Ahmed',
      lastName: 'Ali',
      fullName: 'Ahmed Ali',
      phone: '+201012345678',
      secondPhone: '01112345678',
    });
    expect(m.dropOffAddress).toMatchObject({
      cityName: 'Cairo',
      cityId: 'FceDyHXwpSYYF9zGW',
      zone: 'Nasr City',
      district: 'ElHay 10',
      floor: '1',
    });
    expect(m.timeline).toHaveLength(5);
    expect(m.raw).toBe(delivered);
  });

  it('tolerates the quirks of §4.3/§11', () => {
    const m = mapDelivery({
      _id: 'x1',
      trackingNumber: 5108002,
      type: { code: '25', value: 'Customer Return Pickup' },
      state: { code: '47', value: 'Exception', exception: [{ reason: 'Customer not answering', code: '20' }] },
      cod: '-1,500.50',
      shipmentFees: null,
      receiver: null,
      dropOffAddress: { city: null },
      specs: null,
      timeline: [
        { value: 'ready_for_pickup', code: 10, date: 'not a date' },
        { value: 'picked_up', code: 23, done: false },
      ],
      createdAt: 'garbage',
      creationTimestamp: '1753004751763',
      attemptsCount: '2',
      wallet: {},
    } as unknown as BostaDelivery);
    expect(m).toMatchObject({
      trackingNumber: '5108002',
      typeCode: 25,
      typeName: 'CUSTOMER_RETURN_PICKUP',
      stateCode: 47,
      isFinal: false,
      cod: -1500.5,
      codMinor: -150_050,
      shipmentFeesMinor: null,
      bostaFeesMinor: null,
      attempts: 2,
      exceptionReason: 'Customer not answering',
      exceptionCode: 20,
      createdAt: '2025-07-20T09:45:51.763Z',
      updatedAt: '2025-07-20T09:45:51.763Z',
      timeline: [],
    });
    expect(m.receiver.phone).toBeNull();
    expect(m.dropOffAddress?.cityName).toBeNull();
    expect(
      mapDelivery({ _id: 'y', trackingNumber: '1', type: { code: 99, value: 'Exchange' } } as BostaDelivery).typeName,
    ).toBe('EXCHANGE');
  });

  it('throws BostaMappingError without identity', () => {
    expect(() => mapDelivery({ trackingNumber: '1' } as BostaDelivery)).toThrow(BostaMappingError);
    expect(() => mapDelivery({ _id: 'a' } as BostaDelivery)).toThrow(/trackingNumber/);
    expect(() => mapDelivery(null as unknown as BostaDelivery)).toThrow(BostaMappingError);
  });

  it('maps every type and state the simulator produces, in every search shape', () => {
    const engine = new SimulatorEngine({
      deliveries: 3_000,
      seed: 71,
      anchorMs: Date.parse('2025-06-01T00:00:00Z'),
      settings: defaultSimulatorSettings(),
    });
    const seen = new Set<string>();
    for (const shape of ['detail', 'full', 'reduced'] as const) {
      engine.settings.search.itemShape = shape;
      for (let page = 1; page <= 15; page++) {
        const body = JSON.parse(String(engine.searchDeliveries({ page, limit: 200 }).body));
        for (const d of body.data.deliveries as BostaDelivery[]) {
          const m = mapDelivery(d);
          seen.add(`${m.typeCode}/${m.stateCode}`);
          expect(m.createdAt).not.toBeNull();
          expect(m.updatedAt).not.toBeNull();
          expect(m.codMinor).toBe(Math.round(Number(d.cod) * 100));
          expect(m.typeName).not.toBeNull();
          if (m.stateCode === 45) expect(m.deliveredAt).not.toBeNull();
          if (m.stateCode === 46) expect(m.returnedAt).not.toBeNull();
          if (m.stateCode === 47) expect(m.exceptionReason).not.toBeNull();
          expect(m.typeCode === 25 ? m.pickupAddress?.cityName : m.dropOffAddress?.cityName).toBeTruthy();
        }
      }
    }
    for (const combo of ['10/45', '10/48', '20/46', '25/46', '30/46', '10/10', '10/47']) expect(seen).toContain(combo);
  });
});

describe('mapWebhook', () => {
  it('maps the §8.2 payload, accepting numeric strings', () => {
    const e = mapWebhook({
      _id: 'Qm3x',
      trackingNumber: 48089608,
      state: '45',
      type: 'send',
      cod: '1450',
      timeStamp: '1689252908261',
      numberOfAttempts: '1',
      description: 'Delivered',
      businessReference: '#10001',
      deliveryPromiseDate: '13-07-2023',
      eventType: 'STATUS_UPDATE',
    });
    expect(e).toMatchObject({
      externalId: 'Qm3x',
      trackingNumber: '48089608',
      stateCode: 45,
      typeName: 'SEND',
      codMinor: 145_000,
      at: '2023-07-13T12:55:08.261Z',
      atMs: 1689252908261,
      numberOfAttempts: 1,
      description: 'Delivered',
      deliveryPromiseDate: '2023-07-13',
      exceptionReason: null,
    });
  });

  it('keeps cod only at 45 and exception fields as sent', () => {
    const e = mapWebhook({
      _id: 'a',
      trackingNumber: '1',
      state: 47,
      cod: 100,
      timeStamp: 1,
      exceptionReason: 'No answer',
      exceptionCode: '1',
    });
    expect(e).toMatchObject({ codMinor: null, exceptionReason: 'No answer', exceptionCode: 1 });
    expect(() => mapWebhook({ trackingNumber: '1', state: 45, timeStamp: 1 } as never)).toThrow(BostaMappingError);
    expect(() => mapWebhook({ _id: 'a', trackingNumber: '1', state: 'delivered', timeStamp: 1 })).toThrow(
      /numeric state/,
    );
  });
});

describe('time and response parsing', () => {
  it('reads Date.toString(), ISO, zone-less and epoch forms as UTC', () => {
    expect(parseBostaTime('Wed Aug 13 2025 09:45:51 GMT+0000 (Coordinated Universal Time)')).toBe(
      '2025-08-13T09:45:51.000Z',
    );
    expect(parseBostaTime('Wed Aug 13 2025 12:45:51 GMT+0300')).toBe('2025-08-13T09:45:51.000Z');
    expect(parseBostaTime('2025-08-13T09:45:51.123Z')).toBe('2025-08-13T09:45:51.123Z');
    expect(parseBostaTime('2025-08-13 09:45:51')).toBe('2025-08-13T09:45:51.000Z');
    expect(parseBostaTime(1755078351123)).toBe('2025-08-13T09:45:51.123Z');
    expect(parseBostaTime('1755078351')).toBe('2025-08-13T09:45:51.000Z');
    expect(parseBostaTime('')).toBeUndefined();
    expect(parseBostaTime('soon')).toBeUndefined();
  });

  it('normalises error codes to strings and reads array-shaped errors', () => {
    const numeric = interpretResponse(400, undefined, '{"success":false,"message":"COD too high","errorCode":3007}', {
      method: 'POST',
      path: '/deliveries',
      attempt: 0,
    });
    expect(numeric.ok === false && numeric.failure.error.errorCode).toBe('3007');
    const array = interpretResponse(
      422,
      undefined,
      '[{"message":"firstLine is required"},{"message":"city is required"}]',
      { method: 'POST', path: '/deliveries', attempt: 0 },
    );
    expect(array.ok === false && array.failure.error.messages).toEqual(['firstLine is required', 'city is required']);
    const created = interpretResponse(201, undefined, '{"success":true,"data":{"_id":"a"}}', {
      method: 'POST',
      path: '/deliveries',
      attempt: 0,
    });
    expect(created).toMatchObject({ ok: true, data: { _id: 'a' } });
    const falseOk = interpretResponse(200, undefined, '{"success":false,"message":"nope"}', {
      method: 'GET',
      path: '/x',
      attempt: 0,
    });
    expect(falseOk.ok === false && falseOk.failure.error.name).toBe('BostaProtocolError');
  });
});
