import { toNational } from '../../lib/phone.js';
import { nowIso } from '../../lib/time.js';
import type { AppContext } from '../../platform/context.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import {
  type CourierGateway,
  CourierRefusedError,
  type CreatedShipment,
  type ShipmentAddress,
  type ShipmentRequest,
} from '../../modules/service/courier.js';
import type { BostaClient } from './client.js';
import { clientFor, requireBostaConnection } from './connection.js';
import { BostaAuthError, BostaNotFoundError, BostaValidationError } from './errors.js';
import { mapDelivery } from './mapper.js';
import { deliveryToOrderInput } from './to-order-input.js';
import type { BostaCityDistricts, BostaCreateAddress, BostaCreateDeliveryInput, BostaDelivery } from './types.js';

const TYPE_SEND = 10;
const TYPE_CUSTOMER_RETURN_PICKUP = 25;
const norm = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

/** Bosta as the after-sales cycle's courier: return pickups (type 25), deliveries back (type 10), terminate. */
export class BostaCourier implements CourierGateway {
  readonly provider = 'bosta';
  #districts: { at: number; list: BostaCityDistricts[] } | null = null;

  constructor(private readonly app: AppContext) {}

  async createReturnPickup(ctx: TenantCtx, r: ShipmentRequest): Promise<CreatedShipment> {
    return this.#create(ctx, r, TYPE_CUSTOMER_RETURN_PICKUP);
  }

  async createOutboundDelivery(ctx: TenantCtx, r: ShipmentRequest): Promise<CreatedShipment> {
    return this.#create(ctx, r, TYPE_SEND);
  }

  async cancelShipment(ctx: TenantCtx, trackingNumber: string): Promise<{ cancelled: boolean; reason?: string }> {
    return this.#withClient(ctx, async (client) => {
      try {
        await client.terminateDelivery(trackingNumber);
        return { cancelled: true };
      } catch (e) {
        if (e instanceof BostaValidationError || e instanceof BostaNotFoundError)
          return { cancelled: false, reason: e.message };
        throw e;
      }
    });
  }

  addressFromOrder(order: {
    raw: unknown;
    city: string | null;
    zone: string | null;
    district: string | null;
    address: string | null;
  }): ShipmentAddress | null {
    try {
      const raw = typeof order.raw === 'string' ? JSON.parse(order.raw) : order.raw;
      if (raw && typeof raw === 'object' && '_id' in (raw as object)) {
        const m = mapDelivery(raw as BostaDelivery);
        const a =
          m.typeCode === TYPE_CUSTOMER_RETURN_PICKUP
            ? (m.pickupAddress ?? m.dropOffAddress)
            : (m.dropOffAddress ?? m.pickupAddress);
        if (a?.cityName && a.firstLine) {
          return {
            city: a.cityName,
            cityId: a.cityId,
            zone: a.zone,
            zoneId: a.zoneId,
            district: a.district,
            districtId: a.districtId,
            firstLine: a.firstLine,
            secondLine: a.secondLine,
            buildingNumber: a.buildingNumber,
            floor: a.floor,
            apartment: a.apartment,
          };
        }
      }
    } catch {
      // fall back to the stored text columns
    }
    if (!order.city || !order.address) return null;
    return { city: order.city, zone: order.zone, district: order.district, firstLine: order.address };
  }

  async #create(ctx: TenantCtx, r: ShipmentRequest, type: number): Promise<CreatedShipment> {
    return this.#withClient(ctx, async (client) => {
      const address = await this.#bostaAddress(client, r.address);
      const [firstName, ...rest] = r.customer.name.trim().split(/\s+/);
      const input: BostaCreateDeliveryInput = {
        type,
        cod: r.codMinor / 100,
        receiver: {
          firstName: firstName || 'Customer',
          lastName: rest.join(' ') || undefined,
          phone: toNational(r.customer.phone),
        },
        businessReference: r.reference,
        uniqueBusinessReference: r.reference,
        notes: r.notes,
        ...(type === TYPE_CUSTOMER_RETURN_PICKUP
          ? {
              pickupAddress: address,
              returnSpecs: { packageDetails: { itemsCount: r.itemsCount, description: r.description } },
            }
          : {
              dropOffAddress: address,
              specs: { packageDetails: { itemsCount: r.itemsCount, description: r.description } },
            }),
      };
      try {
        const res = await client.createDelivery(input, { apiVersion1: Boolean(address.districtId || address.cityId) });
        const full = await client.getDelivery(res.trackingNumber);
        return { trackingNumber: String(res.trackingNumber), order: deliveryToOrderInput(mapDelivery(full), nowIso()) };
      } catch (e) {
        if (e instanceof BostaValidationError || e instanceof BostaAuthError) {
          throw new CourierRefusedError(
            `Bosta refused the ${type === TYPE_SEND ? 'delivery' : 'return pickup'}: ${e.message}`,
            e.errorCode ?? null,
          );
        }
        throw e;
      }
    });
  }

  /** Bosta wants a district id (or name plus city id): resolve names through its public geography when needed. */
  async #bostaAddress(client: BostaClient, a: ShipmentAddress): Promise<BostaCreateAddress> {
    const out: BostaCreateAddress = {
      city: a.city,
      firstLine: a.firstLine.length > 5 ? a.firstLine : `${a.firstLine}, ${a.district ?? a.city}`,
      ...(a.secondLine ? { secondLine: a.secondLine } : {}),
      ...(a.buildingNumber ? { buildingNumber: a.buildingNumber } : {}),
      ...(a.floor ? { floor: a.floor } : {}),
      ...(a.apartment ? { apartment: a.apartment } : {}),
      ...(a.zoneId ? { zoneId: a.zoneId } : {}),
    };
    if (a.districtId) return { ...out, districtId: a.districtId };
    try {
      if (!this.#districts || Date.now() - this.#districts.at > 3_600_000)
        this.#districts = { at: Date.now(), list: await client.listAllDistricts() };
      const city = this.#districts.list.find((c) =>
        [c.cityName, c.cityOtherName].some((n) => norm(n) === norm(a.city)),
      );
      const district = city?.districts.find((d) =>
        [d.districtName, d.districtOtherName, d.zoneName].some(
          (n) => n && (norm(n) === norm(a.district) || norm(n) === norm(a.zone)),
        ),
      );
      if (city && district) return { ...out, city: city.cityName, districtId: district.districtId };
      if (city && a.district) return { ...out, city: city.cityName, districtName: a.district, cityId: city.cityId };
    } catch {
      // geography unavailable: the lenient create below still accepts city + first line
    }
    return out;
  }

  async #withClient<T>(ctx: TenantCtx, fn: (c: BostaClient) => Promise<T>): Promise<T> {
    const client = clientFor(this.app, await requireBostaConnection(this.app, ctx), {
      timeoutMs: 15_000,
      maxRetries: 3,
    });
    try {
      return await fn(client);
    } finally {
      await client.close();
    }
  }
}
