/**
 * Who, what and where of a simulated delivery: receiver, customer address, package specs, notes and
 * references — generated from the customer's story, or taken from the create input of an API delivery.
 * Objects are given as JSON text (see json-text.ts) because search pages render hundreds of them.
 */
import type { BostaAddress, BostaReceiver, BostaSpecs } from '../types.js';
import { businessAddressJson, DEFAULT_PICKUP_LOCATION_ID } from './addresses.js';
import { RETURN_REASONS, SIM_PRODUCTS, type SimProduct } from './catalogue.js';
import { type CustomerProfile, customerProfile } from './customers.js';
import { findCityById, type SimCity } from './geography.js';
import { locationFragment, q } from './json-text.js';
import { saleDetails } from './population.js';
import { ID_ALPHABET, type Rng } from './prng.js';
import { CRP } from './state-machine.js';
import { type DeliveryStore, ROLE } from './store.js';

export interface Parties {
  receiver: BostaReceiver;
  receiverJson: string;
  /** The customer's address: drop-off for SEND/Exchange/RTO, pickup for CRP. */
  customerAddressJson: string;
  businessAddressJson: string;
  /** [lng, lat] of the customer. */
  geo: [number, number];
  city?: SimCity;
  specsJson?: string;
  returnSpecsJson?: string;
  description?: string;
  returnDescription?: string;
  notes?: string;
  businessReference?: string;
  uniqueBusinessReference?: string;
  creationSrc: string;
  allowToOpenPackage: boolean;
  goodsAmount?: number;
}

const ARABIC = /[\u0600-\u06ff]/;

/** Local `01XXXXXXXXX` or any other form → Bosta's stored `+201XXXXXXXXX`. */
export function storedPhone(phone: string): string {
  const digits = String(phone).replace(/\D/g, '');
  return digits.length >= 10 ? `+20${digits.slice(-10)}` : String(phone);
}

function receiverJson(r: BostaReceiver): string {
  let out = `{"_id":${q(r._id ?? '')},"firstName":${q(r.firstName ?? '')}`;
  if (r.lastName) out += `,"lastName":${q(r.lastName)}`;
  out += `,"fullName":${q(r.fullName ?? '')},"phone":${q(r.phone ?? '')}`;
  if (r.secondPhone) out += `,"secondPhone":${q(r.secondPhone)}`;
  if (r.email) out += `,"email":${q(r.email)}`;
  return `${out}}`;
}

function customerAddressJson(p: CustomerProfile): string {
  let out = `{${locationFragment(p.location)},"firstLine":${q(p.firstLine)}`;
  if (p.secondLine) out += `,"secondLine":${q(p.secondLine)}`;
  out += `,"buildingNumber":"${p.buildingNumber}","floor":"${p.floor}","apartment":"${p.apartment}"`;
  out += `,"isWorkAddress":${p.isWorkAddress},"locationName":"${p.isWorkAddress ? 'Work' : 'Home'}"`;
  out += `,"geoLocation":[${p.geoLocation[0]},${p.geoLocation[1]}],"userEnteredGeoLocation":false,"businessLocationId":null}`;
  return out;
}

function specsJson(product: SimProduct, qty: number, description: string): string {
  return `{"packageType":"${product.packageType}","size":"${product.size}","weight":${product.weightKg},"packageDetails":{"itemsCount":${qty},"description":${q(description)}}}`;
}

function generated(store: DeliveryStore, slot: number, rng: Rng): Parties {
  const profile = customerProfile(store.seed, store.ids, store.customer[slot]);
  const arabic = ARABIC.test(profile.firstName);
  const say = (en: string, ar: string) => (arabic ? ar : en);
  const product = SIM_PRODUCTS[store.product[slot]];
  const name = arabic ? product.nameAr : product.nameEn;
  const item = (qty: number, extra = '') => `${qty} * ${name} (${product.sku})${extra}`;
  const [reasonEn, reasonAr] = rng.pick(RETURN_REASONS);
  const reason = arabic ? reasonAr : reasonEn;
  const role = store.role[slot];
  let description: string | undefined;
  let returnDescription: string | undefined;
  let itemsCount = 1;
  let notes: string | undefined;
  switch (role) {
    case ROLE.SALE:
      itemsCount = saleDetails(store.seed, slot).quantity;
      description = item(itemsCount);
      notes = rng.pick([
        undefined,
        undefined,
        say('Call before delivery', 'اتصل قبل التوصيل'),
        say('Deliver after 5 pm', 'التوصيل بعد الساعة 5'),
        say('Fragile, handle with care', 'قابل للكسر'),
      ]);
      break;
    case ROLE.RETURN_PICKUP:
      returnDescription = item(1, ` - ${say('reason', 'السبب')}: ${reason}`);
      notes = say('Return for maintenance', 'استرجاع للصيانة');
      break;
    case ROLE.MAINTENANCE:
      description = item(1, ` - ${say('repaired unit', 'بعد الصيانة')}`);
      notes = say('Repaired unit, collect the repair fee', 'جهاز بعد الصيانة - تحصيل رسوم الصيانة');
      break;
    case ROLE.SERVICE:
      description = `1 * ${arabic ? product.partAr : product.partEn} - ${name} (${product.sku})`;
      notes = say('Free replacement part under warranty', 'قطعة غيار مجانية بالضمان');
      break;
    case ROLE.REFUND:
      returnDescription = item(1, ` - ${say('refund, reason', 'استرداد، السبب')}: ${reason}`);
      notes = say('Refund paid at the door', 'رد المبلغ عند الاستلام');
      break;
    default:
      description = item(1, ` - ${say('replacement unit', 'جهاز بديل')}`);
      returnDescription = item(1, ` - ${say('faulty unit', 'الجهاز المعيب')}: ${reason}`);
      notes = say('Exchange, collect the old unit', 'استبدال - استلام الجهاز القديم');
  }
  const withReference = store.hasGeneratedReference(slot);
  const receiver: BostaReceiver = {
    _id: `rcv${rng.chars(19, ID_ALPHABET)}`,
    firstName: profile.firstName,
    lastName: profile.lastName,
    fullName: profile.fullName,
    phone: profile.phone,
    ...(profile.secondPhone ? { secondPhone: profile.secondPhone } : {}),
  };
  return {
    receiver,
    receiverJson: receiverJson(receiver),
    customerAddressJson: customerAddressJson(profile),
    businessAddressJson: businessAddressJson(DEFAULT_PICKUP_LOCATION_ID),
    geo: profile.geoLocation,
    city: profile.location.city,
    specsJson: description === undefined ? undefined : specsJson(product, itemsCount, description),
    returnSpecsJson: returnDescription === undefined ? undefined : specsJson(product, 1, returnDescription),
    description,
    returnDescription,
    notes,
    businessReference: withReference
      ? `#${store.ids.orderNumber(role === ROLE.SALE ? slot : store.parentOf(slot))}`
      : undefined,
    uniqueBusinessReference: withReference ? `#${store.ids.orderNumber(slot)}` : undefined,
    creationSrc: withReference ? 'API' : 'BUSINESS_DASHBOARD',
    allowToOpenPackage: rng.chance(0.3),
    goodsAmount: product.price,
  };
}

function specsText(specs: BostaSpecs | undefined): string | undefined {
  return specs ? JSON.stringify(specs) : undefined;
}

function fromCreate(store: DeliveryStore, slot: number, rng: Rng): Parties {
  const created = store.live.get(slot)?.created;
  if (!created) throw new Error(`slot ${slot} was not created through the API`);
  const input = created.input;
  const r = input.receiver;
  const customerAddress = (input.type === CRP ? created.pickupAddress : created.dropOffAddress) ?? {};
  const cityId = customerAddress.city?._id;
  const receiver: BostaReceiver = {
    _id: `rcv${rng.chars(19, ID_ALPHABET)}`,
    firstName: r.firstName,
    ...(r.lastName ? { lastName: r.lastName } : {}),
    fullName: r.fullName ?? [r.firstName, r.lastName].filter(Boolean).join(' '),
    phone: storedPhone(r.phone),
    ...(r.secondPhone ? { secondPhone: r.secondPhone } : {}),
  };
  const geo = customerAddress.geoLocation;
  return {
    receiver,
    receiverJson: receiverJson(receiver),
    customerAddressJson: JSON.stringify(customerAddress),
    businessAddressJson: created.returnAddress
      ? JSON.stringify(created.returnAddress)
      : businessAddressJson(input.businessLocationId),
    geo: geo && geo.length === 2 ? [geo[0], geo[1]] : [31.24, 30.05],
    city: cityId ? findCityById(cityId) : undefined,
    specsJson: specsText(input.specs),
    returnSpecsJson: specsText(input.returnSpecs),
    description: input.specs?.packageDetails?.description,
    returnDescription: input.returnSpecs?.packageDetails?.description,
    notes: input.notes,
    businessReference: input.businessReference,
    uniqueBusinessReference: input.uniqueBusinessReference,
    creationSrc: 'API',
    allowToOpenPackage: input.allowToOpenPackage ?? false,
    goodsAmount: input.goodsInfo?.amount,
  };
}

/** Parties of a delivery, with any PUT patch applied on top. */
export function partiesOf(store: DeliveryStore, slot: number, rng: Rng): Parties {
  const live = store.live.get(slot);
  const parties = live?.created ? fromCreate(store, slot, rng) : generated(store, slot, rng);
  const patch = live?.patch;
  if (!patch) return parties;
  if (patch.receiver && typeof patch.receiver === 'object') {
    const r = patch.receiver as Record<string, string>;
    const receiver: BostaReceiver = { ...parties.receiver, ...r, ...(r.phone ? { phone: storedPhone(r.phone) } : {}) };
    if (r.firstName || r.lastName)
      receiver.fullName = [receiver.firstName, receiver.lastName].filter(Boolean).join(' ');
    parties.receiver = receiver;
    parties.receiverJson = receiverJson(receiver);
  }
  if (typeof patch.notes === 'string') parties.notes = patch.notes;
  if (typeof patch.businessReference === 'string') parties.businessReference = patch.businessReference;
  const address = (patch.dropOffAddress ?? patch.pickUpAddress) as BostaAddress | undefined;
  if (address) parties.customerAddressJson = JSON.stringify(address);
  if (patch.returnAddress) parties.businessAddressJson = JSON.stringify(patch.returnAddress);
  return parties;
}
