/**
 * Bosta API v2 wire format (reference: shared/reference/bosta-api-v2.md §2–§8).
 * Everything the real API may omit is optional; numbers that are sometimes strings are typed as both.
 * Codes and names (states, types) live in codes.ts.
 */
import type { BostaTypeName } from './codes.js';

// ---------------------------------------------------------------------------------------------------------------
// Envelope and errors
// ---------------------------------------------------------------------------------------------------------------

export interface BostaEnvelope<T> {
  success: boolean;
  message?: string;
  data: T;
}

/** Error envelope (§2.4). `errorCode` is documented as a string but numbers occur. */
export interface BostaErrorEnvelope {
  success: false;
  message?: string;
  errorCode?: string | number;
  data?: null;
}

/** Validation errors sometimes come back as a bare array (WooCommerce reads `body[0].message`). */
export type BostaErrorArray = Array<{ message?: string; [key: string]: unknown }>;

// ---------------------------------------------------------------------------------------------------------------
// Geography
// ---------------------------------------------------------------------------------------------------------------

export interface BostaCity {
  _id: string;
  name: string;
  nameAr?: string;
  alias?: string;
  code?: string;
  sector?: number;
  dropOffAvailability?: boolean;
  pickupAvailability?: boolean;
}

export interface BostaZoneRef {
  _id: string;
  name: string;
  nameAr?: string;
}

export interface BostaDistrictRef {
  _id: string;
  name: string;
  nameAr?: string;
  fmCode?: string;
}

/** One row of `GET /cities/{id}/districts`. */
export interface BostaDistrict {
  zoneId: string;
  zoneName: string;
  zoneOtherName?: string;
  districtId: string;
  districtName: string;
  districtOtherName?: string;
  pickupAvailability?: boolean;
  dropOffAvailability?: boolean;
  coverage?: string;
}

/** One row of `GET /cities/getAllDistricts`. */
export interface BostaCityDistricts {
  cityId: string;
  cityName: string;
  cityOtherName?: string;
  cityCode?: string;
  dropOffAvailability?: boolean;
  districts: BostaDistrict[];
}

// ---------------------------------------------------------------------------------------------------------------
// The delivery object (§4.1)
// ---------------------------------------------------------------------------------------------------------------

export interface BostaCountryRef {
  _id: string;
  name: string;
  code?: string;
}

export interface BostaAddress {
  country?: BostaCountryRef;
  city?: { _id?: string; name?: string; nameAr?: string; sector?: number } | null;
  zone?: BostaZoneRef | null;
  district?: BostaDistrictRef | null;
  firstLine?: string;
  secondLine?: string;
  buildingNumber?: string;
  floor?: string;
  apartment?: string;
  isWorkAddress?: boolean;
  locationName?: string;
  /** [lng, lat] (GeoJSON order). */
  geoLocation?: number[];
  userEnteredGeoLocation?: boolean;
  businessLocationId?: string | null;
}

export interface BostaPerson {
  _id?: string;
  name?: string;
  phone?: string;
}

export interface BostaReceiver {
  _id?: string;
  firstName?: string;
  lastName?: string;
  fullName?: string;
  /** `+201XXXXXXXXX` as stored by Bosta. */
  phone?: string;
  /** Kept as sent (often local `01…`). */
  secondPhone?: string | null;
  email?: string;
}

export interface BostaPackageDetails {
  itemsCount?: number | string;
  description?: string;
}

export interface BostaSpecs {
  packageType?: string;
  size?: string;
  weight?: number | string;
  packageDetails?: BostaPackageDetails;
}

export interface BostaStateException {
  reason?: string;
  code?: number | string;
  time?: string;
  scheduledAt?: string;
  attemptType?: string;
  fakeAttempt?: boolean;
  actualAddress?: number[];
  cached?: boolean;
  routeId?: string | null;
  returnGroupId?: string | null;
  user?: BostaPerson;
  [key: string]: unknown;
}

export interface BostaDeliveryState {
  code: number | string;
  value?: string;
  childState?: unknown;
  pickedUpTime?: string | null;
  receivedAtWarehouse?: {
    time?: string;
    location?: unknown;
    warehouse?: { _id?: string; name?: string; nameAr?: string; type?: string };
  } | null;
  delivering?: { time?: string; actualAddress?: number[]; cached?: boolean; signature?: string } | null;
  deliveryTime?: string | null;
  /** An ISO time in real data; an object in some old samples. */
  returnedToBusiness?: string | { time?: string } | null;
  exception?: BostaStateException[];
  lastExceptionCode?: number | string | null;
  waitingForBusinessAction?: boolean;
}

export interface BostaTimelineEntry {
  value: string;
  code: number | string;
  done?: boolean;
  date?: string | null;
  desc?: string;
  nextAction?: string;
}

/** `wallet.cashCycle`: amounts are strings except `_id`, `deposited_amt` and credits (§4.3). */
export interface BostaCashCycle {
  _id?: number;
  size?: string;
  cod?: string;
  bosta_fees?: string;
  shipping_fees?: string;
  vat?: string;
  deposited_at?: string | null;
  deposited_amt?: number;
  [key: string]: unknown;
}

export interface BostaWallet {
  cashCycle?: BostaCashCycle;
  cashout?: { transaction_id?: string; amount?: string; transaction_date?: string; next_cashout_date?: string | null };
  compensation?: unknown;
}

export interface BostaParcel {
  trackingNumber?: string;
  type?: string;
  desc?: string;
  state?: string;
}

export interface BostaDelivery {
  _id: string;
  /** A 7–8 digit string in real data; a number in some examples. */
  trackingNumber: string | number;
  type?: { code: number | string; value?: string };
  state?: BostaDeliveryState;
  state_before?: number;
  maskedState?: string;
  cod?: number | string | null;
  shipmentFees?: number | string | null;
  paymentMethod?: string | null;
  notes?: string | null;
  returnNotes?: string | null;
  businessReference?: string | null;
  uniqueBusinessReference?: string | null;
  allowToOpenPackage?: boolean;
  isConfirmedDelivery?: boolean;
  confirmedDeliveryAt?: string | null;
  receiver?: BostaReceiver | null;
  sender?: BostaPerson & { type?: string; subAccountId?: string | null };
  holder?: BostaPerson & { role?: string };
  star?: BostaPerson | null;
  dropOffAddress?: BostaAddress | null;
  pickupAddress?: BostaAddress | null;
  returnAddress?: BostaAddress | null;
  specs?: BostaSpecs | null;
  returnSpecs?: BostaSpecs | null;
  goodsInfo?: { amount?: number | string } | null;
  timeline?: BostaTimelineEntry[];
  /** JS `Date.toString()` form, not ISO (§4.3). */
  createdAt?: string;
  /** JS `Date.toString()` form, not ISO (§4.3). */
  updatedAt?: string;
  /** Epoch milliseconds. */
  creationTimestamp?: number | string;
  scheduledAt?: string | null;
  latestAWBPrintDate?: string | null;
  lastCallTime?: string | null;
  lastSmsTime?: string | null;
  attemptsCount?: number | string;
  numberOfAttempts?: number | string;
  deliveryAttemptsLength?: number | string;
  returnAttemptsLength?: number | string;
  pickupAttemptsLength?: number | string;
  callsNumber?: number | string;
  smsNumber?: number | string;
  sla?: {
    orderSla?: { isExceededOrderSla?: boolean; orderSlaTimestamp?: string };
    e2eSla?: { isExceededE2ESla?: boolean; e2eSlaTimestamp?: string };
  };
  wallet?: BostaWallet;
  assignedHub?: { _id?: string; name?: string; forcedAssignment?: boolean };
  creationSrc?: string;
  pickupRequestId?: string;
  pickupRequestType?: string;
  parcels?: { forward?: BostaParcel; crp?: BostaParcel } | null;
  /** `DD-MM-YYYY`; the format is not guaranteed. */
  deliveryPromiseDate?: string | null;
  exceptionReason?: string | null;
  exceptionCode?: number | string | null;
  webhookUrl?: string;
  attempts?: Array<Record<string, unknown>>;
  log?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Search, create, update
// ---------------------------------------------------------------------------------------------------------------

export interface BostaSearchRequest {
  page: number;
  limit: number;
  sortBy?: string;
  type?: BostaTypeName[] | string[];
  /** Bosta's accepted forms are unconfirmed: a string or an array; matched on the last 10 digits. */
  mobilePhones?: string | string[];
  trackingNumbers?: string[];
  searchTerm?: string;
}

export interface BostaSearchResponse {
  deliveries: BostaDelivery[];
  count: number;
  limit?: number;
  page?: number;
}

/** Address as sent on create (§5.2). `city` is a city name; one of districtId or (districtName + cityId). */
export interface BostaCreateAddress {
  city: string;
  firstLine: string;
  districtId?: string;
  districtName?: string;
  cityId?: string;
  zoneId?: string;
  secondLine?: string;
  buildingNumber?: string;
  floor?: string;
  apartment?: string;
  isWorkAddress?: boolean;
  geoLocation?: number[];
  locationName?: string;
}

export interface BostaCreateSpecs {
  packageType?: 'Parcel' | 'Document' | 'Light Bulky' | 'Heavy Bulky' | string;
  size?: 'SMALL' | 'MEDIUM' | 'LARGE' | string;
  weight?: number;
  packageDetails?: { itemsCount?: number; description?: string };
}

export interface BostaCreateDeliveryInput {
  type: 10 | 15 | 25 | 30 | number;
  specs?: BostaCreateSpecs;
  returnSpecs?: BostaCreateSpecs;
  cod?: number;
  goodsInfo?: { amount: number };
  receiver: {
    firstName: string;
    lastName?: string;
    fullName?: string;
    phone: string;
    secondPhone?: string;
    email?: string;
  };
  dropOffAddress?: BostaCreateAddress;
  pickupAddress?: BostaCreateAddress;
  returnAddress?: BostaCreateAddress;
  businessLocationId?: string;
  businessReference?: string;
  uniqueBusinessReference?: string;
  notes?: string;
  returnNotes?: string;
  allowToOpenPackage?: boolean;
  flexShippingInfo?: { isOrderEligible: boolean; amountToBeCollected: number };
  webhookUrl?: string;
  webhookCustomHeaders?: Record<string, string>;
}

export interface BostaCreateDeliveryResult {
  _id: string;
  trackingNumber: string;
  message?: string;
  state?: { code: number; value: string };
  businessReference?: string;
  creationSrc?: string;
  sender?: BostaPerson & { type?: string };
}

export interface BostaUpdateDeliveryPatch {
  receiver?: Partial<BostaCreateDeliveryInput['receiver']>;
  pickUpAddress?: BostaCreateAddress;
  dropOffAddress?: BostaCreateAddress;
  returnAddress?: BostaCreateAddress;
  notes?: string;
  businessReference?: string;
  webhookUrl?: string;
  cod?: number;
}

export interface BostaPickupLocation {
  _id: string;
  locationName: string;
  isDefault: boolean;
  contactPerson?: { name?: string; phone?: string; secPhone?: string; email?: string };
  address?: BostaAddress;
  [key: string]: unknown;
}

export interface BostaLoginResult {
  token: string;
  refreshToken?: string;
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Webhooks (§8.2)
// ---------------------------------------------------------------------------------------------------------------

export interface BostaWebhookPayload {
  _id: string;
  trackingNumber: string | number;
  /** Numeric state code; numeric strings occur. */
  state: number | string;
  type?: BostaTypeName | string;
  /** Present only at 45 (Delivered). */
  cod?: number | string;
  /** Epoch ms of the state change. */
  timeStamp: number | string;
  isConfirmedDelivery?: boolean;
  deliveryPromiseDate?: string;
  /** Present only at 47 (Exception). */
  exceptionReason?: string;
  exceptionCode?: number | string;
  businessReference?: string;
  numberOfAttempts?: number | string;
  description?: string;
  eventType?: string;
  [key: string]: unknown;
}
