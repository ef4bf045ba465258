/**
 * Delivery state machine of the simulator (§13): realistic paths per type as data, exceptions with reasons,
 * the switch of a failed SEND into an RTO, and the history a generated delivery went through.
 * Pure: callers pass the random source and the clock.
 */
import type { Rng } from './prng.js';

export interface Step {
  code: number;
  /** Epoch ms of the change. */
  at: number;
  /** Type after this step when it changed (a failed SEND becomes RTO, 20). */
  typeCode?: number;
  exceptionCode?: number;
  exceptionReason?: string;
}

export interface Transition {
  code: number;
  typeCode?: number;
  exceptionCode?: number;
  exceptionReason?: string;
}

export const SEND = 10;
export const RTO = 20;
export const CRP = 25;
export const EXCHANGE = 30;

/** Success path of each type; RTO is the return leg a failed SEND takes after its last exception. */
export const SUCCESS_PATHS: Readonly<Record<number, readonly number[]>> = {
  [SEND]: [10, 21, 24, 30, 41, 45],
  15: [10, 11, 40, 41, 45],
  [RTO]: [30, 41, 46],
  [CRP]: [10, 22, 23, 24, 30, 41, 46],
  [EXCHANGE]: [10, 21, 30, 41, 46],
};

export const TERMINAL_STATES: ReadonlySet<number> = new Set([45, 46, 48, 49, 100, 101]);

/** States that can still be terminated through the API; later ones answer 1070. */
export const TERMINABLE_STATES: ReadonlySet<number> = new Set([10, 11, 20, 21, 22, 24, 47, 105]);

/** Forward (delivery) exception codes and reasons; only code 3's wording is recorded (§7.3). */
export const DELIVERY_EXCEPTIONS: ReadonlyArray<readonly [number, string]> = [
  [1, 'Customer is not answering the phone.'],
  [2, 'Customer refused to receive the shipment.'],
  [3, 'Postponed - the customer requested postponement for another day.'],
  [4, 'Wrong or incomplete address.'],
  [5, 'Customer wants to open the package before paying.'],
  [6, 'Customer is not at the address.'],
  [7, 'Customer does not have the cash amount.'],
  [12, 'The area is not accessible today.'],
  [13, 'Customer asked to change the delivery address.'],
];

/** Return (pickup from consignee) exception codes and reasons. */
export const PICKUP_EXCEPTIONS: ReadonlyArray<readonly [number, string]> = [
  [20, 'Customer is not answering the phone.'],
  [21, 'The item is not ready for pickup.'],
  [22, 'Customer refused to hand over the item.'],
  [23, 'Wrong pickup address.'],
  [24, 'Customer postponed the pickup.'],
  [25, 'The item does not match the description.'],
  [26, 'Customer is not at the address.'],
];

export function isTerminal(code: number): boolean {
  return TERMINAL_STATES.has(code);
}

/** The type in effect after the given steps (an RTO switch overrides the created type). */
export function currentType(initialType: number, steps: readonly Step[]): number {
  for (let k = steps.length - 1; k >= 0; k--) if (steps[k].typeCode !== undefined) return steps[k].typeCode as number;
  return initialType;
}

function exceptionFor(type: number, rng: Rng): Transition {
  const [code, reason] = rng.pick(type === CRP ? PICKUP_EXCEPTIONS : DELIVERY_EXCEPTIONS);
  return { code: 47, exceptionCode: code, exceptionReason: reason };
}

function failures(steps: readonly Step[]): number {
  let n = 0;
  for (const s of steps) if (s.code === 47) n++;
  return n;
}

/** Next code along `path` after the last step that lies on it. */
function nextOnPath(path: readonly number[], steps: readonly Step[]): number | undefined {
  for (let k = steps.length - 1; k >= 0; k--) {
    const idx = path.indexOf(steps[k].code);
    if (idx >= 0) return path[idx + 1];
  }
  return path[0];
}

/** One realistic step forward, with random exceptions and RTO switches; null when the delivery is final. */
export function nextTransition(type: number, steps: readonly Step[], rng: Rng): Transition | null {
  const last = steps[steps.length - 1]?.code ?? 10;
  if (isTerminal(last)) return null;
  const failed = failures(steps);
  if (type === SEND || type === 15) {
    if (last === 47) return failed >= 3 || rng.chance(0.35) ? { code: 30, typeCode: RTO } : { code: 41 };
    if (last === 41) return rng.chance(0.22) ? exceptionFor(type, rng) : { code: 45 };
    if (last === 30 && rng.chance(0.004)) return { code: rng.chance(0.5) ? 100 : 101 };
  } else if (type === RTO) {
    if (last === 47 || last === 24) return { code: 30 };
  } else if (type === CRP) {
    if (last === 47) return failed >= 3 ? { code: 49 } : { code: 22 };
    if (last === 22) return rng.chance(0.2) ? exceptionFor(type, rng) : { code: 23 };
  } else if (type === EXCHANGE) {
    if (last === 47) return failed >= 2 ? { code: 46 } : { code: 41 };
    if (last === 41) return rng.chance(0.15) ? exceptionFor(type, rng) : { code: 46 };
  }
  const next = nextOnPath(SUCCESS_PATHS[type] ?? SUCCESS_PATHS[SEND], steps);
  return next === undefined ? null : { code: next };
}

/**
 * Steps that take a delivery to `target` the way a courier would: along its path (no random exceptions), via an
 * exception and the RTO leg for a SEND sent to 46, or as one direct jump when the target is off the path.
 */
export function transitionsToward(type: number, steps: readonly Step[], target: number, rng: Rng): Transition[] {
  const out: Transition[] = [];
  const last = steps[steps.length - 1]?.code ?? 10;
  if (target === last && target !== 47) return out;
  if (target === 47) return [exceptionFor(type, rng)];
  const walk = (path: readonly number[], from: readonly number[]): boolean => {
    const start = Math.max(...from.map((c) => path.indexOf(c)));
    const end = path.indexOf(target);
    if (start < 0 || end <= start) return false;
    for (let k = start + 1; k <= end; k++) out.push({ code: path[k] });
    return true;
  };
  // Position on the path: the last step that is not an exception.
  const recent = [[...steps].reverse().find((s) => s.code !== 47)?.code ?? 10];
  if ((type === SEND || type === 15) && target === 46) {
    const path = SUCCESS_PATHS[SEND];
    const start = Math.max(...recent.map((c) => path.indexOf(c)));
    for (let k = Math.max(start + 1, 0); k <= path.indexOf(41); k++) out.push({ code: path[k] });
    if (last !== 47) out.push(exceptionFor(type, rng));
    out.push({ code: 30, typeCode: RTO }, { code: 41 }, { code: 46 });
    return out;
  }
  if (walk(SUCCESS_PATHS[type] ?? SUCCESS_PATHS[SEND], recent)) return out;
  if (type === RTO && last === 47 && SUCCESS_PATHS[RTO].includes(target)) {
    return SUCCESS_PATHS[RTO].slice(0, SUCCESS_PATHS[RTO].indexOf(target) + 1).map((code) => ({ code }));
  }
  return [{ code: target }];
}

/** `maskedState` as the dashboard shows it (§4.2–§4.3). */
export function maskedStateOf(type: number, code: number, exchangeFulfilled = true): string {
  switch (code) {
    case 10:
      return 'Created';
    case 41:
      return 'Out for delivery';
    case 45:
      return 'Delivered';
    case 46:
      return type === EXCHANGE && exchangeFulfilled ? 'Fulfilled' : 'Returned';
    case 47:
      return 'Exception';
    case 48:
      return 'Terminated';
    case 49:
      return 'Canceled';
    case 100:
      return 'Lost';
    case 101:
      return 'Damaged';
    default:
      return 'In progress';
  }
}

/**
 * Codes of the history a generated delivery went through to reach `state` after `failed` failed attempts.
 * Exceptions are marked with 47; the RTO switch is the 30 right after the last 47 of a type-20 delivery.
 */
export function generatedPath(type: number, state: number, failed: number): number[] {
  const repeat = (pair: number[], n: number) => Array.from({ length: Math.max(0, n) }, () => pair).flat();
  if (state === 48) return [10, 48];
  if (type === RTO) return [10, 21, 24, 30, 41, ...repeat([47, 41], failed - 1), 47, 30, 41, 46];
  if (type === CRP) {
    const head = [10, 22, ...repeat([47, 22], state === 10 ? 0 : failed - (state === 47 || state === 49 ? 1 : 0))];
    if (state === 47 || state === 49) return [...head, 47, ...(state === 49 ? [49] : [])];
    const path = SUCCESS_PATHS[CRP];
    return state === 10 ? [10] : [...head, ...path.slice(2, path.indexOf(state) + 1)];
  }
  const path = type === EXCHANGE ? SUCCESS_PATHS[EXCHANGE] : SUCCESS_PATHS[SEND];
  const at41 = path.indexOf(41);
  if (state === 49) return [...path.slice(0, 3), 49];
  if (state === 100 || state === 101) return [...path.slice(0, at41), state];
  if (state === 47) return [...path.slice(0, at41 + 1), ...repeat([47, 41], failed - 1), 47];
  const idx = path.indexOf(state);
  if (idx < at41) return path.slice(0, Math.max(idx, 0) + 1);
  return [...path.slice(0, at41 + 1), ...repeat([47, 41], failed), ...path.slice(at41 + 1, idx + 1)];
}

/** Turns generated codes into timed steps between `createdAt` and `lastAt`, with exception reasons. */
export function timeSteps(type: number, codes: readonly number[], createdAt: number, lastAt: number, rng: Rng): Step[] {
  const n = codes.length;
  const gaps: number[] = [];
  let total = 0;
  for (let k = 1; k < n; k++) {
    const g = 0.4 + rng.next();
    gaps.push(g);
    total += g;
  }
  const span = Math.max(0, lastAt - createdAt);
  const steps: Step[] = [];
  let acc = 0;
  let switched = false;
  for (let k = 0; k < n; k++) {
    if (k > 0) acc += gaps[k - 1];
    const at = k === n - 1 ? lastAt : Math.round(createdAt + (total > 0 ? (span * acc) / total : 0));
    const step: Step = { code: codes[k], at: k === 0 ? createdAt : at };
    if (codes[k] === 47) {
      const [code, reason] = rng.pick(type === CRP ? PICKUP_EXCEPTIONS : DELIVERY_EXCEPTIONS);
      step.exceptionCode = code;
      step.exceptionReason = reason;
    }
    if (type === RTO && !switched && codes[k] === 30 && codes[k - 1] === 47 && !codes.slice(k + 1).includes(47)) {
      step.typeCode = RTO;
      switched = true;
    }
    steps.push(step);
  }
  return steps;
}
