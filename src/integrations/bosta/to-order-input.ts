import type { OrderInput } from '../../modules/orders/order-input.js';
import type { MappedAddress, MappedDelivery } from './mapper.js';

function addressLine(a: MappedAddress | null): string | null {
  if (!a) return null;
  const parts = [
    a.firstLine,
    a.secondLine,
    a.buildingNumber && `bldg ${a.buildingNumber}`,
    a.floor && `floor ${a.floor}`,
    a.apartment && `apt ${a.apartment}`,
  ];
  const s = parts.filter(Boolean).join(', ');
  return s || null;
}

/**
 * A Bosta delivery as an order. The customer's address is the drop-off for sends and exchanges and the
 * pickup for customer return pickups (where Bosta collects from the customer).
 */
export function deliveryToOrderInput(d: MappedDelivery, now: string): OrderInput {
  const customerAddress =
    d.typeCode === 25 ? (d.pickupAddress ?? d.dropOffAddress) : (d.dropOffAddress ?? d.pickupAddress);
  const createdAt = d.createdAt ?? d.updatedAt ?? now;
  return {
    source: 'bosta',
    externalId: d.externalId,
    trackingNumber: d.trackingNumber,
    businessReference: d.businessReference,
    typeCode: d.typeCode ?? 0,
    typeName: d.typeValue ?? d.typeName ?? 'Unknown',
    stateCode: d.stateCode ?? 0,
    stateName: d.stateName ?? 'Unknown',
    maskedState: d.maskedState,
    codMinor: d.codMinor,
    feesMinor: d.shipmentFeesMinor ?? 0,
    receiverName:
      d.receiver.fullName ?? ([d.receiver.firstName, d.receiver.lastName].filter(Boolean).join(' ') || null),
    receiverPhoneRaw: d.receiver.phone,
    secondPhone: d.receiver.secondPhone,
    city: customerAddress?.cityName ?? null,
    zone: customerAddress?.zone ?? null,
    district: customerAddress?.district ?? null,
    address: addressLine(customerAddress),
    packageDescription: d.packageDescription ?? d.returnPackageDescription,
    itemsCount: d.itemsCount,
    courierNotes: d.notes,
    attempts: d.attempts,
    calls: d.callsNumber,
    paymentMethod: d.paymentMethod,
    exceptionReason: d.exceptionReason,
    exceptionCode: d.exceptionCode === null ? null : String(d.exceptionCode),
    createdAt,
    updatedAt: d.updatedAt ?? createdAt,
    deliveredAt: d.deliveredAt,
    returnedAt: d.returnedAt,
    timeline: d.timeline.map((t) => ({ code: t.code, name: t.value, at: t.at })),
    raw: d.raw,
  };
}
