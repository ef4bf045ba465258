import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import type { OrderInput } from '../orders/order-input.js';

/** A customer address as a courier needs it; ids are the courier's own when known. */
export interface ShipmentAddress {
  city: string;
  cityId?: string | null;
  zone?: string | null;
  zoneId?: string | null;
  district?: string | null;
  districtId?: string | null;
  firstLine: string;
  secondLine?: string | null;
  buildingNumber?: string | null;
  floor?: string | null;
  apartment?: string | null;
}

export interface ShipmentRequest {
  /** Our reference (the action number plus a suffix): the courier's duplicate guard. */
  reference: string;
  customer: { name: string; phone: string };
  address: ShipmentAddress;
  description: string;
  itemsCount: number;
  /** What the courier collects (positive) or pays out (negative) at the door. */
  codMinor: number;
  notes?: string;
}

/** A delivery the courier created, already as an order ready for ingest. */
export interface CreatedShipment {
  trackingNumber: string;
  order: OrderInput;
}

/** The courier refused the request (validation, address, duplicate): shown to the user as is. */
export class CourierRefusedError extends Error {
  constructor(
    message: string,
    readonly courierCode: string | null,
  ) {
    super(message);
    this.name = 'CourierRefusedError';
  }
}

/**
 * What the after-sales cycle needs from a courier. Modules never import an integration: the composition
 * root hands a concrete gateway (Bosta) to the routes and flows.
 */
export interface CourierGateway {
  readonly provider: string;
  /** A pickup at the customer's address bringing the product back (Bosta type 25). */
  createReturnPickup(ctx: TenantCtx, r: ShipmentRequest): Promise<CreatedShipment>;
  /** A delivery to the customer (repaired product or replacement). */
  createOutboundDelivery(ctx: TenantCtx, r: ShipmentRequest): Promise<CreatedShipment>;
  /** Cancels a shipment while the courier still allows it; false with a reason when it does not. */
  cancelShipment(ctx: TenantCtx, trackingNumber: string): Promise<{ cancelled: boolean; reason?: string }>;
  /** The customer address of a stored order of this courier, with the courier's ids, or null. */
  addressFromOrder(order: {
    raw: unknown;
    city: string | null;
    zone: string | null;
    district: string | null;
    address: string | null;
  }): ShipmentAddress | null;
}
