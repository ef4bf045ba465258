/**
 * Pure mapping of Bosta deliveries and webhook payloads into flat camelCase records (§4, §8.2).
 * Tolerates every quirk of §4.3/§11: numbers as strings, missing objects, non-ISO createdAt/updatedAt,
 * numeric tracking numbers. COD always comes from the delivery's own `cod`, never from the wallet.
 */
import { parseBostaTime, parseBostaTimeMs } from './dates.js';
import { BostaMappingError } from './errors.js';
import {
  BOSTA_FINAL_STATES,
  BOSTA_STATES,
  BOSTA_TYPE_NAME_BY_CODE,
  type BostaTypeCode,
  type BostaTypeName,
} from './codes.js';
import type { BostaAddress, BostaDelivery, BostaWebhookPayload } from './types.js';

export interface MappedAddress {
  cityName: string | null;
  cityNameAr: string | null;
  cityId: string | null;
  zone: string | null;
  zoneAr: string | null;
  zoneId: string | null;
  district: string | null;
  districtAr: string | null;
  districtId: string | null;
  firstLine: string | null;
  secondLine: string | null;
  buildingNumber: string | null;
  floor: string | null;
  apartment: string | null;
  /** [lng, lat] as sent; the order is unverified (§4.3), do not use for maps. */
  geoLocation: number[] | null;
}

export interface MappedReceiver {
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  /** As Bosta sent it (normally `+201XXXXXXXXX`); normalising is the caller's job. */
  phone: string | null;
  secondPhone: string | null;
}

export interface MappedTimelineEntry {
  code: number;
  value: string;
  at: string;
}

export interface MappedDelivery {
  externalId: string;
  trackingNumber: string;
  typeCode: number | null;
  typeName: BostaTypeName | null;
  typeValue: string | null;
  stateCode: number | null;
  stateName: string | null;
  maskedState: string | null;
  isFinal: boolean;
  /** EGP from the delivery's own `cod` (negative = refund paid at the door). */
  cod: number;
  codMinor: number;
  shipmentFeesMinor: number | null;
  /** From `wallet.cashCycle` once the cash cycle ran; null before. */
  bostaFeesMinor: number | null;
  depositedAmountMinor: number | null;
  paymentMethod: string | null;
  businessReference: string | null;
  uniqueBusinessReference: string | null;
  receiver: MappedReceiver;
  dropOffAddress: MappedAddress | null;
  pickupAddress: MappedAddress | null;
  returnAddress: MappedAddress | null;
  packageDescription: string | null;
  itemsCount: number | null;
  packageType: string | null;
  packageSize: string | null;
  returnPackageDescription: string | null;
  returnItemsCount: number | null;
  notes: string | null;
  attempts: number;
  callsNumber: number;
  smsNumber: number;
  isConfirmedDelivery: boolean;
  allowToOpenPackage: boolean | null;
  exceptionReason: string | null;
  exceptionCode: number | null;
  /** `YYYY-MM-DD` read from Bosta's `DD-MM-YYYY`, or null. */
  deliveryPromiseDate: string | null;
  pickupRequestId: string | null;
  starName: string | null;
  starPhone: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  scheduledAt: string | null;
  pickedUpAt: string | null;
  receivedAtWarehouseAt: string | null;
  deliveredAt: string | null;
  returnedAt: string | null;
  confirmedDeliveryAt: string | null;
  lastCallAt: string | null;
  /** Done steps only (entries with a date), deduplicated, oldest first. */
  timeline: MappedTimelineEntry[];
  raw: BostaDelivery;
}

export interface MappedWebhookEvent {
  externalId: string;
  trackingNumber: string;
  stateCode: number;
  stateName: string | null;
  typeName: string | null;
  /** Only at 45 (Delivered); null otherwise. */
  codMinor: number | null;
  /** ISO from `timeStamp` (ms), or null when unreadable. */
  at: string | null;
  atMs: number | null;
  exceptionReason: string | null;
  exceptionCode: number | null;
  numberOfAttempts: number;
  description: string | null;
  businessReference: string | null;
  isConfirmedDelivery: boolean | null;
  deliveryPromiseDate: string | null;
  eventType: string | null;
}

type Loose = Record<string, unknown>;

function obj(value: unknown): Loose | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : undefined;
}

function str(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.length > 0 ? value : null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(String(value).replace(/,/g, '').trim());
  return Number.isFinite(n) ? n : null;
}

function int(value: unknown, fallback = 0): number {
  const n = num(value);
  return n === null ? fallback : Math.trunc(n);
}

function minor(value: unknown): number | null {
  const n = num(value);
  return n === null ? null : Math.round(n * 100);
}

function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 1) return true;
  if (value === 'false' || value === 0) return false;
  return null;
}

function mapAddress(value: BostaAddress | null | undefined): MappedAddress | null {
  const a = obj(value);
  if (!a) return null;
  const city = obj(a.city);
  const zone = obj(a.zone);
  const district = obj(a.district);
  const geo = Array.isArray(a.geoLocation) ? (a.geoLocation as unknown[]).map(Number).filter(Number.isFinite) : [];
  return {
    cityName: str(city?.name ?? (typeof a.city === 'string' ? a.city : undefined)),
    cityNameAr: str(city?.nameAr),
    cityId: str(city?._id),
    zone: str(zone?.name ?? (typeof a.zone === 'string' ? a.zone : undefined)),
    zoneAr: str(zone?.nameAr),
    zoneId: str(zone?._id),
    district: str(district?.name ?? (typeof a.district === 'string' ? a.district : undefined)),
    districtAr: str(district?.nameAr),
    districtId: str(district?._id),
    firstLine: str(a.firstLine),
    secondLine: str(a.secondLine),
    buildingNumber: str(a.buildingNumber),
    floor: str(a.floor),
    apartment: str(a.apartment),
    geoLocation: geo.length === 2 ? geo : null,
  };
}

const TYPE_BY_VALUE: Array<[RegExp, BostaTypeName]> = [
  [/exchange/i, 'EXCHANGE'],
  [/return\s*pickup|customer.?return/i, 'CUSTOMER_RETURN_PICKUP'],
  [/return to origin|^rto$/i, 'RTO'],
  [/cash.?collection/i, 'CASH_COLLECTION'],
  [/^send$|deliver|forward/i, 'SEND'],
];

function typeNameOf(code: number | null, value: string | null): BostaTypeName | null {
  if (code !== null && code in BOSTA_TYPE_NAME_BY_CODE) return BOSTA_TYPE_NAME_BY_CODE[code as BostaTypeCode];
  if (value) for (const [pattern, name] of TYPE_BY_VALUE) if (pattern.test(value)) return name;
  return null;
}

function stateNameOf(code: number | null, value: unknown): string | null {
  return str(value) ?? (code !== null ? ((BOSTA_STATES as Record<number, string>)[code] ?? null) : null);
}

function mapTimeline(value: unknown): MappedTimelineEntry[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  const out: Array<MappedTimelineEntry & { ms: number }> = [];
  for (const item of value) {
    const e = obj(item);
    if (!e) continue;
    const ms = parseBostaTimeMs(e.date);
    const code = num(e.code);
    if (ms === undefined || code === null) continue;
    const entry = { code, value: str(e.value) ?? String(code), at: new Date(ms).toISOString(), ms };
    const key = `${entry.code}|${entry.value}|${entry.at}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
  }
  out.sort((a, b) => a.ms - b.ms);
  return out.map(({ code, value: v, at }) => ({ code, value: v, at }));
}

function lastAt(timeline: MappedTimelineEntry[], codes: number[]): string | null {
  for (let i = timeline.length - 1; i >= 0; i--) if (codes.includes(timeline[i].code)) return timeline[i].at;
  return null;
}

function firstAt(timeline: MappedTimelineEntry[], codes: number[]): string | null {
  for (const e of timeline) if (codes.includes(e.code)) return e.at;
  return null;
}

/** `DD-MM-YYYY` (or ISO) → `YYYY-MM-DD`; null when unreadable. */
function promiseDate(value: unknown): string | null {
  const text = str(value);
  if (!text) return null;
  const dmy = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(text.trim());
  if (dmy) return `${dmy[3]}-${dmy[2].padStart(2, '0')}-${dmy[1].padStart(2, '0')}`;
  const iso = parseBostaTime(text);
  return iso ? iso.slice(0, 10) : null;
}

function requireIdentity(source: Loose, what: string): { externalId: string; trackingNumber: string } {
  const externalId = str(source._id);
  const trackingNumber = str(source.trackingNumber);
  if (!externalId) throw new BostaMappingError(`Bosta ${what} has no _id (trackingNumber ${trackingNumber ?? '?'})`);
  if (!trackingNumber) throw new BostaMappingError(`Bosta ${what} ${externalId} has no trackingNumber`);
  return { externalId, trackingNumber };
}

/** Maps one delivery (search item or detail) into a flat record; throws BostaMappingError without identity. */
export function mapDelivery(d: BostaDelivery): MappedDelivery {
  const source = obj(d);
  if (!source) throw new BostaMappingError('Bosta delivery is not an object');
  const { externalId, trackingNumber } = requireIdentity(source, 'delivery');
  const type = obj(source.type);
  const state = obj(source.state);
  const typeCode = num(type?.code);
  const typeValue = str(type?.value);
  const stateCode = num(state?.code ?? (typeof source.state === 'number' ? source.state : undefined));
  const receiver = obj(source.receiver);
  const specs = obj(source.specs);
  const returnSpecs = obj(source.returnSpecs);
  const details = obj(specs?.packageDetails);
  const returnDetails = obj(returnSpecs?.packageDetails);
  const cashCycle = obj(obj(source.wallet)?.cashCycle);
  const star = obj(source.star);
  const timeline = mapTimeline(source.timeline);
  const exceptions = Array.isArray(state?.exception) ? (state.exception as unknown[]).map(obj).filter(Boolean) : [];
  const lastException = exceptions[exceptions.length - 1];
  const returned = state?.returnedToBusiness;
  const cod = num(source.cod) ?? 0;

  return {
    externalId,
    trackingNumber,
    typeCode,
    typeName: typeNameOf(typeCode, typeValue),
    typeValue,
    stateCode,
    stateName: stateNameOf(stateCode, state?.value),
    maskedState: str(source.maskedState),
    isFinal: stateCode !== null && BOSTA_FINAL_STATES.has(stateCode),
    cod,
    codMinor: Math.round(cod * 100),
    shipmentFeesMinor: minor(source.shipmentFees),
    bostaFeesMinor: minor(cashCycle?.bosta_fees),
    depositedAmountMinor: minor(cashCycle?.deposited_amt),
    paymentMethod: str(source.paymentMethod),
    businessReference: str(source.businessReference),
    uniqueBusinessReference: str(source.uniqueBusinessReference),
    receiver: {
      firstName: str(receiver?.firstName),
      lastName: str(receiver?.lastName),
      fullName:
        str(receiver?.fullName) ??
        ([str(receiver?.firstName), str(receiver?.lastName)].filter(Boolean).join(' ') || null),
      phone: str(receiver?.phone),
      secondPhone: str(receiver?.secondPhone),
    },
    dropOffAddress: mapAddress(source.dropOffAddress as BostaAddress),
    pickupAddress: mapAddress(source.pickupAddress as BostaAddress),
    returnAddress: mapAddress(source.returnAddress as BostaAddress),
    packageDescription: str(details?.description),
    itemsCount: num(details?.itemsCount),
    packageType: str(specs?.packageType),
    packageSize: str(specs?.size),
    returnPackageDescription: str(returnDetails?.description),
    returnItemsCount: num(returnDetails?.itemsCount),
    notes: str(source.notes),
    attempts: int(source.attemptsCount ?? source.numberOfAttempts ?? source.deliveryAttemptsLength),
    callsNumber: int(source.callsNumber),
    smsNumber: int(source.smsNumber),
    isConfirmedDelivery: bool(source.isConfirmedDelivery) ?? false,
    allowToOpenPackage: bool(source.allowToOpenPackage),
    exceptionReason: str(source.exceptionReason) ?? (stateCode === 47 ? str(lastException?.reason) : null),
    exceptionCode: num(source.exceptionCode) ?? (stateCode === 47 ? num(lastException?.code) : null),
    deliveryPromiseDate: promiseDate(source.deliveryPromiseDate),
    pickupRequestId: str(source.pickupRequestId),
    starName: str(star?.name),
    starPhone: str(star?.phone),
    createdAt:
      parseBostaTime(source.createdAt) ??
      parseBostaTime(source.creationTimestamp) ??
      (timeline.length > 0 ? timeline[0].at : null),
    updatedAt:
      parseBostaTime(source.updatedAt) ??
      (timeline.length > 0 ? timeline[timeline.length - 1].at : null) ??
      parseBostaTime(source.creationTimestamp) ??
      null,
    scheduledAt: parseBostaTime(source.scheduledAt) ?? null,
    pickedUpAt: parseBostaTime(state?.pickedUpTime) ?? firstAt(timeline, [21, 23]),
    receivedAtWarehouseAt: parseBostaTime(obj(state?.receivedAtWarehouse)?.time) ?? null,
    deliveredAt: parseBostaTime(state?.deliveryTime) ?? lastAt(timeline, [45]),
    returnedAt: parseBostaTime(obj(returned)?.time ?? returned) ?? (stateCode === 46 ? lastAt(timeline, [46]) : null),
    confirmedDeliveryAt: parseBostaTime(source.confirmedDeliveryAt) ?? null,
    lastCallAt: parseBostaTime(source.lastCallTime) ?? null,
    timeline,
    raw: d,
  };
}

/** Maps a §8.2 webhook payload; throws BostaMappingError without `_id`, tracking number or a numeric state. */
export function mapWebhook(p: BostaWebhookPayload): MappedWebhookEvent {
  const source = obj(p);
  if (!source) throw new BostaMappingError('Bosta webhook payload is not an object');
  const { externalId, trackingNumber } = requireIdentity(source, 'webhook');
  const stateCode = num(source.state ?? obj(source.state)?.code);
  if (stateCode === null) throw new BostaMappingError(`Bosta webhook for ${trackingNumber} has no numeric state`);
  const atMs = parseBostaTimeMs(source.timeStamp) ?? null;
  return {
    externalId,
    trackingNumber,
    stateCode,
    stateName: str(source.description) ?? stateNameOf(stateCode, undefined),
    typeName: str(source.type)?.toUpperCase() ?? null,
    codMinor: stateCode === 45 ? minor(source.cod) : null,
    at: atMs === null ? null : new Date(atMs).toISOString(),
    atMs,
    exceptionReason: str(source.exceptionReason),
    exceptionCode: num(source.exceptionCode),
    numberOfAttempts: int(source.numberOfAttempts),
    description: str(source.description),
    businessReference: str(source.businessReference),
    isConfirmedDelivery: bool(source.isConfirmedDelivery),
    deliveryPromiseDate: promiseDate(source.deliveryPromiseDate),
    eventType: str(source.eventType),
  };
}
