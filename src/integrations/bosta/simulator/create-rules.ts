/**
 * Validation of `POST /deliveries` as Bosta answers it (§5, §13): receiver and address rules, the CRP address
 * trap (HTTP 500), COD range (3007/3008), uniqueBusinessReference clashes (11000), known pickup locations.
 */
import type { BostaAddress, BostaCreateAddress, BostaCreateDeliveryInput } from '../types.js';
import { isAddressProblem, isKnownPickupLocation, resolveCreateAddress } from './addresses.js';
import { nationalKey } from './identifiers.js';
import { CRP, EXCHANGE, SEND } from './state-machine.js';
import type { CreatedDelivery, DeliveryStore } from './store.js';

export const MAX_COD = 30_000;
export const MIN_REFUND_COD = -2_000;

export interface CreateRefusal {
  status: number;
  /** Absent for the CRP HTTP 500, which carries no errorCode. */
  errorCode?: string;
  message: string;
}

export interface CreateAccepted {
  input: BostaCreateDeliveryInput;
  addresses: Pick<CreatedDelivery, 'dropOffAddress' | 'pickupAddress' | 'returnAddress'>;
}

function refuse(errorCode: string, message: string, status = 400): CreateRefusal {
  return { status, errorCode, message };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function resolve(address: unknown, strict: boolean, field: string): BostaAddress | CreateRefusal {
  if (!isObject(address)) return refuse('1000', `"${field}" must be an object`);
  const resolved = resolveCreateAddress(address as unknown as BostaCreateAddress, strict);
  return isAddressProblem(resolved) ? refuse(resolved.errorCode, `${field}: ${resolved.message}`) : resolved;
}

function isRefusal(value: unknown): value is CreateRefusal {
  return isObject(value) && typeof value.status === 'number' && typeof value.message === 'string';
}

/** Checks one create body; `store` is consulted for uniqueBusinessReference clashes. */
export function checkCreate(body: unknown, apiVersion1: boolean, store: DeliveryStore): CreateAccepted | CreateRefusal {
  if (!isObject(body)) return refuse('1000', 'Request body must be a JSON object');
  const type = Number(body.type);
  if (![SEND, CRP, EXCHANGE].includes(type)) return refuse('1000', '"type" must be one of [10, 25, 30]');
  const receiver = body.receiver;
  if (!isObject(receiver) || typeof receiver.firstName !== 'string' || receiver.firstName.trim() === '') {
    return refuse('1000', '"receiver.firstName" is required');
  }
  if (typeof receiver.phone !== 'string' && typeof receiver.phone !== 'number') {
    return refuse('1000', '"receiver.phone" is required');
  }
  if (!/^1[0125]\d{8}$/.test(nationalKey(String(receiver.phone)))) {
    return refuse('1000', '"receiver.phone" must be a valid Egyptian mobile number');
  }

  const addresses: CreateAccepted['addresses'] = {};
  if (type === CRP) {
    if (!isObject(body.pickupAddress)) {
      // Measured live: a CRP with the customer in dropOffAddress crashes Bosta's handler.
      if (isObject(body.dropOffAddress))
        return { status: 500, message: "Cannot read properties of undefined (reading 'city')" };
      return refuse('1000', '"pickupAddress" is required for a Customer Return Pickup');
    }
    const pickup = resolve(body.pickupAddress, apiVersion1, 'pickupAddress');
    if (isRefusal(pickup)) return pickup;
    addresses.pickupAddress = pickup;
  } else {
    if (!isObject(body.dropOffAddress)) return refuse('1000', '"dropOffAddress" is required');
    const dropOff = resolve(body.dropOffAddress, apiVersion1, 'dropOffAddress');
    if (isRefusal(dropOff)) return dropOff;
    addresses.dropOffAddress = dropOff;
  }
  if (body.returnAddress !== undefined) {
    const back = resolve(body.returnAddress, false, 'returnAddress');
    if (isRefusal(back)) return back;
    addresses.returnAddress = back;
  }

  const codProblem = checkCod(body.cod, type);
  if (codProblem) return codProblem;
  if (body.businessLocationId !== undefined && !isKnownPickupLocation(String(body.businessLocationId))) {
    return refuse('1000', 'Business location not found');
  }
  for (const field of ['businessReference', 'uniqueBusinessReference', 'notes', 'webhookUrl'] as const) {
    if (body[field] !== undefined && typeof body[field] !== 'string')
      return refuse('1000', `"${field}" must be a string`);
  }
  if (typeof body.uniqueBusinessReference === 'string' && store.isReferenceTaken(body.uniqueBusinessReference)) {
    return refuse(
      '11000',
      `E11000 duplicate key error collection: deliveries index: uniqueBusinessReference_1 dup key: { uniqueBusinessReference: "${body.uniqueBusinessReference}" }`,
    );
  }
  const input = { ...body, type, cod: body.cod === undefined ? 0 : Number(body.cod) } as BostaCreateDeliveryInput;
  return { input, addresses };
}

/** COD rules: ≤ 30,000 (3007); negative only for CRP/Exchange and not below −2,000 (3008). */
export function checkCod(value: unknown, type: number): CreateRefusal | undefined {
  if (value === undefined || value === null) return undefined;
  const cod = typeof value === 'number' ? value : Number.NaN;
  if (!Number.isFinite(cod)) return refuse('1000', '"cod" must be a number');
  if (cod > MAX_COD) return refuse('3007', `COD amount should be less than or equal ${MAX_COD} EGP`);
  if (cod < 0 && type === SEND) return refuse('1000', '"cod" must be greater than or equal to 0 for a delivery');
  if (cod < MIN_REFUND_COD)
    return refuse('3008', `The Refund COD amount should be less than or equal ${MIN_REFUND_COD} EGP`);
  return undefined;
}

export function isCreateRefusal(value: CreateAccepted | CreateRefusal): value is CreateRefusal {
  return isRefusal(value);
}
