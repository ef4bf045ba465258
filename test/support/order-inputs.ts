import type { OrderInput } from '../../src/modules/orders/order-input.js';

/**
 * One courier delivery as the ingest flow receives it: a COD parcel (type 10) to `phone`, delivered unless
 * `state` says otherwise, updated an hour after `createdAt` unless `updatedAt` is given.
 */
export function orderInput(
  externalId: string,
  phone: string,
  o: { createdAt: string; updatedAt?: string; state?: number; cod?: number; timeline?: boolean },
): OrderInput {
  const state = o.state ?? 45;
  const updated = o.updatedAt ?? new Date(Date.parse(o.createdAt) + 3_600_000).toISOString();
  return {
    source: 'bosta',
    externalId,
    trackingNumber: `T${externalId}`,
    businessReference: null,
    typeCode: 10,
    typeName: 'Send',
    stateCode: state,
    stateName: String(state),
    maskedState: null,
    codMinor: o.cod ?? 150_000,
    feesMinor: 6_000,
    receiverName: `Receiver ${phone.slice(-4)}`,
    receiverPhoneRaw: phone,
    secondPhone: null,
    city: 'Cairo',
    zone: 'Nasr City',
    district: null,
    address: '1 Street',
    packageDescription: 'Air fryer',
    itemsCount: 1,
    courierNotes: null,
    attempts: 1,
    calls: 0,
    paymentMethod: 'COD',
    exceptionReason: null,
    exceptionCode: null,
    createdAt: o.createdAt,
    updatedAt: updated,
    deliveredAt: state === 45 ? updated : null,
    returnedAt: state === 46 ? updated : null,
    timeline: o.timeline ? [{ code: state, name: String(state), at: updated }] : [],
    raw: { _id: externalId },
  };
}
