/**
 * Renders the Bosta delivery document (§4.1) of one slot on demand, as JSON text: identity and times from the
 * store, parties from the customer story or the create input, state and timeline from the history, wallet after
 * the cash cycle. Nothing is cached, so memory stays flat whatever the number of deliveries.
 */
import { BOSTA_TYPE_VALUES } from '../codes.js';
import { formatBostaDateString } from '../dates.js';
import { SIM_BUSINESS } from './addresses.js';
import { shipmentFeeFor } from './geography.js';
import { q, qn, type TextSink } from './json-text.js';
import { LAST_NAMES, MALE_FIRST_NAMES } from './names.js';
import { type Parties, partiesOf } from './parties.js';
import { hash32, ID_ALPHABET, Rng } from './prng.js';
import { cairoEndOfDay, iso } from './sim-time.js';
import { CRP, EXCHANGE, maskedStateOf, RTO, SEND, type Step } from './state-machine.js';
import { type Courier, hubForSector, stateJson, timelineJson } from './state-view.js';
import type { DeliveryStore } from './store.js';

export interface ViewOptions {
  /** `detail` = everything; `full` = all but detail-only extras (log, attempts, …); `reduced` = what clients read. */
  shape: 'detail' | 'full' | 'reduced';
  /** Format of `createdAt`/`updatedAt`: JS `Date.toString()` (Bosta's) or ISO. */
  dateFormat: 'toString' | 'iso';
}

const SENDER_JSON = JSON.stringify(SIM_BUSINESS);
const OPERATOR_JSON = '{"_id":"usrOps0001","name":"Hub operator","phone":"+201100000001","role":"OPERATOR"}';
const INSURANCE_JSON =
  '{"id":"basic","name":"Basic","rank":1,"orderValueFeePercentage":0,"isInsuranceNotApplied":true,"orderMinimumFees":0}';
const DAY = 86_400_000;
const rng = new Rng();

const money = (n: number) => n.toFixed(2);

function walletJson(
  store: DeliveryStore,
  slot: number,
  steps: readonly Step[],
  cod: number,
  fees: number,
  allowOpen: boolean,
) {
  const final = steps[steps.length - 1];
  if (!final || (final.code !== 45 && final.code !== 46)) return '{}';
  // Delivered: the COD was collected; returned: only a refund paid at the door moved money.
  const collected = final.code === 45 ? cod : Math.min(cod, 0);
  const bostaFees = Math.round(fees * 114) / 100;
  const deposited = Math.round((collected - bostaFees) * 100) / 100;
  const depositedAt = iso(Math.min(final.at + 2 * DAY, Math.max(final.at, store.updatedAt[slot])));
  const cycleId = 100_000 + (hash32(store.seed, 0xca5, slot) % 900_000);
  const zero = '"0.00"';
  return (
    `{"cashCycle":{"_id":${cycleId},"size":"${fees > 60 ? 'Large' : 'Normal'}","cod":"${money(collected)}","bosta_fees":"${money(bostaFees)}",` +
    `"shipping_fees":"${money(fees)}","collection_fees":${zero},"cod_fees":${zero},"pos_fees":${zero},"insurance_fees":${zero},` +
    `"expedite_fees":${zero},"opening_package_fees":"${allowOpen ? '7.00' : '0.00'}","flex_ship_fees":${zero},"rto_discount":${zero},` +
    `"promotion_discount_amount":${zero},"vat":"${money(Math.round(fees * 14) / 100)}","bosta_credits_consumed":0,` +
    `"deposited_at":"${depositedAt}","deposited_amt":${deposited}},` +
    `"cashout":{"transaction_id":"tx${cycleId}","amount":"${money(deposited)}","transaction_date":"${depositedAt}","next_cashout_date":null},"compensation":null}`
  );
}

function promiseDate(ms: number): string {
  const d = new Date(ms + 2 * DAY);
  return `${String(d.getUTCDate()).padStart(2, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${d.getUTCFullYear()}`;
}

function courierOf(): Courier {
  return {
    _id: `star${rng.chars(8, ID_ALPHABET)}`,
    name: `${rng.pick(MALE_FIRST_NAMES)[0]} ${rng.pick(LAST_NAMES)[0]}`,
    phone: `+2011${rng.digits(8)}`,
  };
}

/** The delivery document of a slot as JSON text, as the detail endpoint (`detail`) and search items show it. */
export function renderDelivery(store: DeliveryStore, slot: number, options: ViewOptions): string {
  const out: string[] = [];
  writeDelivery(store, slot, options, out);
  return out.join('');
}

/**
 * Appends the document's JSON text in pieces to `out`. A page joins all pieces once, which is much cheaper than
 * flattening deeply concatenated strings.
 */
export function writeDelivery(store: DeliveryStore, slot: number, options: ViewOptions, out: TextSink): void {
  rng.reseed(hash32(store.seed, 0xde7a, slot));
  const parties = partiesOf(store, slot, rng);
  const star = courierOf();
  const steps = store.stepsOf(slot);
  const type = store.type[slot];
  const initialType = store.initialTypeOf(slot);
  const code = store.state[slot];
  const trackingNumber = store.trackingNumberOf(slot);
  const createdMs = store.createdAt[slot];
  const updatedMs = store.updatedAt[slot];
  const cod = store.codMinor[slot] / 100;
  const fees = parties.city ? shipmentFeeFor(parties.city, initialType) : 65;
  const hub = hubForSector(parties.city?.sector ?? 3);
  const reachedCourier = steps.some((s) => s.code === 41 || s.code === 22);
  // An exchange that came back straight after an exception returned the new unit: "Returned", not "Fulfilled".
  const exchangeFulfilled = steps[steps.length - 2]?.code !== 47;
  const dateText = options.dateFormat === 'iso' ? iso : formatBostaDateString;
  const calls = (code === 10 ? 0 : 1 + rng.int(3)) + (store.live.get(slot)?.touches ?? 0);
  const attempts = store.attempts[slot];
  const lastException = code === 47 ? steps[steps.length - 1] : undefined;
  const delivered = steps.find((s) => s.code === 45);
  const confirmed = delivered !== undefined && hash32(store.seed, slot, 0xc0f) % 10 < 7;
  const full = options.shape !== 'reduced';
  const typeValue = BOSTA_TYPE_VALUES[type as keyof typeof BOSTA_TYPE_VALUES] ?? 'Send';

  out.push(
    `{"_id":${q(store.idOf(slot))},"trackingNumber":"${trackingNumber}","type":{"code":${type},"value":"${typeValue}"}`,
  );
  out.push(`,"state":${stateJson(steps, type, hub, star, [parties.geo[1], parties.geo[0]])}`);
  if (steps.length > 1) out.push(`,"state_before":${steps[steps.length - 2].code}`);
  out.push(`,"maskedState":"${maskedStateOf(type, code, exchangeFulfilled)}","cod":${cod},"shipmentFees":${fees}`);
  out.push(`,"paymentMethod":${initialType === CRP ? 'null' : '"COD"'}`);
  if (parties.notes) out.push(`,"notes":${q(parties.notes)}`);
  if (parties.businessReference) out.push(`,"businessReference":${q(parties.businessReference)}`);
  if (parties.uniqueBusinessReference) out.push(`,"uniqueBusinessReference":${q(parties.uniqueBusinessReference)}`);
  out.push(`,"allowToOpenPackage":${parties.allowToOpenPackage},"isConfirmedDelivery":${confirmed}`);
  if (confirmed && delivered) out.push(`,"confirmedDeliveryAt":"${iso(delivered.at + 3_600_000)}"`);
  out.push(`,"receiver":${parties.receiverJson}`);
  if (full) {
    out.push(
      `,"sender":${SENDER_JSON},"holder":${
        reachedCourier
          ? `{"_id":${q(star._id)},"name":${q(star.name)},"phone":${q(star.phone)},"role":"STAR"}`
          : OPERATOR_JSON
      }`,
    );
  }
  if (reachedCourier) out.push(`,"star":{"_id":${q(star._id)},"name":${q(star.name)},"phone":${q(star.phone)}}`);
  out.push(addressesJson(parties, initialType, full));
  if (parties.specsJson) out.push(`,"specs":${parties.specsJson}`);
  out.push(`,"returnSpecs":${parties.returnSpecsJson ?? 'null'}`);
  if (full && parties.goodsAmount !== undefined) out.push(`,"goodsInfo":{"amount":${parties.goodsAmount}}`);
  out.push(`,"timeline":${timelineJson(steps, type === RTO ? RTO : initialType)}`);
  out.push(
    `,"createdAt":"${dateText(createdMs)}","updatedAt":"${dateText(updatedMs)}","creationTimestamp":${createdMs}`,
  );
  out.push(`,"scheduledAt":"${cairoEndOfDay(createdMs, 1)}"`);
  if (code !== 10) out.push(`,"latestAWBPrintDate":"${iso(createdMs + 1_800_000)}"`);
  if (calls > 0) out.push(`,"lastCallTime":"${iso(Math.max(createdMs, updatedMs - 3_600_000))}"`);
  out.push(`,"attemptsCount":${attempts},"numberOfAttempts":${attempts}`);
  out.push(
    `,"deliveryAttemptsLength":${initialType === CRP ? 0 : attempts},"returnAttemptsLength":${type === RTO ? 1 : 0}`,
  );
  out.push(
    `,"pickupAttemptsLength":${initialType === CRP ? attempts : 0},"callsNumber":${calls},"smsNumber":${code === 10 ? 0 : rng.int(2)}`,
  );
  if (full) out.push(`,"sla":${slaJson(createdMs, updatedMs, code)}`);
  out.push(`,"wallet":${walletJson(store, slot, steps, cod, fees, parties.allowToOpenPackage)}`);
  if (full) out.push(`,"assignedHub":{"_id":"${hub._id}","name":"${hub.name}","forcedAssignment":false}`);
  out.push(`,"creationSrc":"${parties.creationSrc}","deliveryPromiseDate":"${promiseDate(createdMs)}"`);
  out.push(
    `,"exceptionReason":${qn(lastException?.exceptionReason)},"exceptionCode":${lastException?.exceptionCode ?? null}`,
  );
  if (initialType === CRP) {
    const requestId = 100_000_000_000 + (hash32(store.seed, slot, 0x9e) % 899_999_999_999);
    out.push(`,"pickupRequestId":"${requestId}","pickupRequestType":"Customer Return Pickup"`);
  }
  if (initialType === EXCHANGE) out.push(`,"parcels":${parcelsJson(trackingNumber, parties, code === 46)}`);
  else if (full) out.push(`,"parcels":null`);
  if (options.shape === 'detail')
    out.push(detailOnlyJson(steps, store.idOf(slot), trackingNumber, cod, star, initialType, code));
  out.push('}');
}

/** CRP: the customer is the pickup. Otherwise the business location is the pickup (left out of `reduced`). */
function addressesJson(parties: Parties, initialType: number, full: boolean): string {
  const returnAddress = full ? `,"returnAddress":${parties.businessAddressJson}` : '';
  if (initialType === CRP) return `,"pickupAddress":${parties.customerAddressJson}${returnAddress}`;
  const pickup = full ? `,"pickupAddress":${parties.businessAddressJson}` : '';
  return `${pickup},"dropOffAddress":${parties.customerAddressJson}${returnAddress}`;
}

function slaJson(createdMs: number, updatedMs: number, code: number): string {
  const slaAt = cairoEndOfDay(createdMs, 3);
  const e2eAt = cairoEndOfDay(createdMs, 5);
  const late = (stamp: string) => updatedMs > Date.parse(stamp) && code !== 48;
  return `{"orderSla":{"isExceededOrderSla":${late(slaAt)},"orderSlaTimestamp":"${slaAt}"},"e2eSla":{"isExceededE2ESla":${late(e2eAt)},"e2eSlaTimestamp":"${e2eAt}"}}`;
}

function parcelsJson(trackingNumber: string, parties: Parties, done: boolean): string {
  return (
    `{"forward":{"trackingNumber":"${trackingNumber}","type":"Forward","desc":${qn(parties.description)},"state":"${done ? 'Delivered' : 'In progress'}"},` +
    `"crp":{"trackingNumber":"${trackingNumber}1","type":"CRP","desc":${qn(parties.returnDescription)},"state":"${done ? 'Returned' : 'In progress'}"}}`
  );
}

/** Only the detail endpoint carries the per-attempt records, the audit log and the other extras. */
function detailOnlyJson(
  steps: readonly Step[],
  id: string,
  trackingNumber: string,
  cod: number,
  star: Courier,
  initialType: number,
  code: number,
): string {
  const pickedUp = steps.find((s) => s.code === 21 || s.code === 23);
  const warehouse = steps.find((s) => s.code === 24 || s.code === 30);
  const starJson = `{"_id":${q(star._id)},"name":${q(star.name)},"phone":${q(star.phone)}}`;
  const attempts = steps
    .filter((s) => s.code === 47 || s.code === 45 || (s.code === 23 && initialType === CRP))
    .map((s, k) => {
      const exception =
        s.code === 47
          ? `,"exception":{"reason":${qn(s.exceptionReason)},"code":${s.exceptionCode ?? null},"time":"${iso(s.at)}"}`
          : '';
      return `{"_id":"${id.slice(0, 12)}a${k}","deliveryId":${q(id)},"trackingNumber":"${trackingNumber}","type":"${
        initialType === CRP ? 'pickup' : 'delivery'
      }","state":${s.code === 47 ? 4 : 3},"attemptDate":"${iso(s.at)}","codAmount":${cod},"star":${starJson}${exception}}`;
    });
  const log = steps.slice(1).map((s, k) => {
    const role = s.code === 41 || s.code === 45 || s.code === 47 ? 'STAR' : 'OPERATOR';
    return `{"actionLevel":"Verbose","actionType":"UPDATE","actionsList":{"state_code":{"before":${steps[k].code},"after":${s.code}}},"takenBy":{"userRole":"${role}"},"time":"${iso(s.at)}"}`;
  });
  let out = `,"firstHub":${warehouse ? `{"scanType":null,"time":"${iso(warehouse.at)}"}` : 'null'}`;
  out += `,"insurancePlanInfo":${INSURANCE_JSON},"POSDelivery":false,"isPudoOrder":false,"payWithBostaCredits":false,"ticketCount":0`;
  if (pickedUp) out += `,"collectedFromBusiness":"${iso(pickedUp.at)}"`;
  out += `,"pendingPickup":"${iso(steps[0]?.at ?? 0)}","finalDeliveryGeoLocation":[],"starProofOfReturnedPackages":[]`;
  if (initialType === SEND && code === 45)
    out += `,"whatsAppLastMileActions":{"sentReceivedAtFirstWarehouseMessage":true}`;
  return `${out},"attempts":[${attempts.join(',')}],"log":[${log.join(',')}],"history":[]`;
}
