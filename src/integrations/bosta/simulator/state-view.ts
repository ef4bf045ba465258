/**
 * The parts of a delivery document derived from its history, as JSON text: the `state` object with its `*Time`
 * fields and exceptions, and the `timeline` template with done steps dated and future ones undated (§4.1–§4.3).
 */
import { BOSTA_STATES } from '../codes.js';
import { q } from './json-text.js';
import { cairoEndOfDay, iso } from './sim-time.js';
import { CRP, EXCHANGE, RTO, type Step } from './state-machine.js';

export interface Hub {
  _id: string;
  name: string;
  nameAr: string;
  type: string;
  json: string;
}

function hub(_id: string, name: string, nameAr: string): Hub {
  return { _id, name, nameAr, type: 'HUB', json: JSON.stringify({ _id, name, nameAr, type: 'HUB' }) };
}

const HUBS: Hub[] = [
  hub('whMostorod', 'Mostorod Hub', 'مستودع مسطرد'),
  hub('whAlexSmouha', 'Alexandria Hub', 'مستودع الإسكندرية'),
  hub('whTantaDelta', 'Delta Hub', 'مستودع الدلتا'),
  hub('whAssiutUpper', 'Upper Egypt Hub', 'مستودع الصعيد'),
];

export function hubForSector(sector: number): Hub {
  return HUBS[Math.min(HUBS.length - 1, Math.max(0, sector - 1))];
}

export interface Courier {
  _id: string;
  name: string;
  phone: string;
}

export function first(steps: readonly Step[], codes: readonly number[], from = 0): Step | undefined {
  for (let k = from; k < steps.length; k++) if (codes.includes(steps[k].code)) return steps[k];
  return undefined;
}

export function last(steps: readonly Step[], code: number): Step | undefined {
  for (let k = steps.length - 1; k >= 0; k--) if (steps[k].code === code) return steps[k];
  return undefined;
}

/** Index of the step where a SEND turned into an RTO, or -1. */
export function rtoSwitchIndex(steps: readonly Step[]): number {
  return steps.findIndex((s) => s.typeCode === RTO);
}

function courierJson(c: Courier): string {
  return `{"_id":${q(c._id)},"name":${q(c.name)},"phone":${q(c.phone)}}`;
}

function exceptionsJson(steps: readonly Step[], type: number, star: Courier): { json: string; lastCode?: number } {
  const items: string[] = [];
  let lastCode: number | undefined;
  for (const s of steps) {
    if (s.code !== 47) continue;
    lastCode = s.exceptionCode;
    items.push(
      `{"reason":${q(s.exceptionReason ?? '')},"code":${s.exceptionCode ?? null},"time":"${iso(s.at)}","scheduledAt":"${cairoEndOfDay(
        s.at,
        1,
      )}","attemptType":"${type === CRP ? 'pickup' : 'delivery'}","fakeAttempt":false,"cached":false,"routeId":null,"returnGroupId":null,"user":${courierJson(star)}}`,
    );
  }
  return { json: `[${items.join(',')}]`, lastCode };
}

/** The `state` object of §4.1 as JSON text. `actualAddress` is [lat, lng] as one recorded sample had it. */
export function stateJson(
  steps: readonly Step[],
  type: number,
  hubAt: Hub,
  star: Courier,
  actualAddress: number[],
): string {
  const code = steps[steps.length - 1]?.code ?? 10;
  let out = `{"code":${code},"value":${q((BOSTA_STATES as Record<number, string>)[code] ?? 'Unknown')},"childState":null`;
  const pickedUp = first(steps, [21, 23]);
  if (pickedUp) out += `,"pickedUpTime":"${iso(pickedUp.at)}"`;
  const warehouse = first(steps, [24, 30]);
  if (warehouse)
    out += `,"receivedAtWarehouse":{"time":"${iso(warehouse.at)}","location":null,"warehouse":${hubAt.json}}`;
  const delivered = last(steps, 45);
  if (delivered) {
    out += `,"delivering":{"time":"${iso(delivered.at - 2000)}","actualAddress":[${actualAddress.join(',')}],"cached":false}`;
    out += `,"deliveryTime":"${iso(delivered.at)}"`;
  }
  const returned = last(steps, 46);
  out += `,"returnedToBusiness":${returned ? `"${iso(returned.at)}"` : 'null'}`;
  const exceptions = exceptionsJson(steps, type, star);
  out += `,"exception":${exceptions.json}`;
  if (exceptions.lastCode !== undefined) out += `,"lastExceptionCode":${exceptions.lastCode}`;
  return `${out},"waitingForBusinessAction":${code === 47 && type === CRP}}`;
}

type Template = Array<[value: string, code: number, at: (steps: readonly Step[]) => number | undefined]>;

const at = (codes: number[], from?: (steps: readonly Step[]) => number) => (steps: readonly Step[]) =>
  first(steps, codes, from ? from(steps) : 0)?.at;
const beforeSwitch = (codes: number[]) => (steps: readonly Step[]) => {
  const sw = rtoSwitchIndex(steps);
  const found = first(steps, codes);
  return found && (sw < 0 || steps.indexOf(found) < sw) ? found.at : undefined;
};
const afterSwitch = (codes: number[]) => at(codes, (steps) => Math.max(0, rtoSwitchIndex(steps)));

const TEMPLATES: Record<number, Template> = {
  10: [
    ['new', 10, at([10])],
    ['picked_up', 21, at([21])],
    ['in_transit', 30, at([24, 30])],
    ['out_for_delivery', 41, at([41])],
    ['delivered', 45, at([45])],
  ],
  [RTO]: [
    ['new', 10, at([10])],
    ['picked_up', 21, at([21])],
    ['in_transit', 30, beforeSwitch([24, 30])],
    ['out_for_delivery', 41, beforeSwitch([41])],
    ['out_for_return', 41, (steps) => (rtoSwitchIndex(steps) < 0 ? undefined : afterSwitch([41])(steps))],
    ['returned', 46, at([46])],
  ],
  [CRP]: [
    ['ready_for_pickup', 10, at([10])],
    ['picked_up', 23, at([23])],
    ['in_transit', 30, at([24, 30])],
    ['out_for_return', 41, at([41])],
    ['returned', 46, at([46])],
  ],
  [EXCHANGE]: [
    ['new', 10, at([10])],
    ['picked_up', 21, at([21])],
    ['in_transit', 30, at([24, 30])],
    ['out_for_exchange', 41, at([41])],
    [
      'out_for_return',
      46,
      (steps) => {
        const back = last(steps, 46);
        const out = last(steps, 41);
        return back && out ? Math.round((out.at + back.at) / 2) : undefined;
      },
    ],
    ['exchanged_returned', 46, at([46])],
  ],
};

const TERMINAL_ENTRIES: Record<number, string> = { 48: 'terminated', 49: 'canceled', 100: 'lost', 101: 'damaged' };

const NEXT_ACTIONS: Record<string, string> = {
  picked_up: 'Bosta will pick up the package',
  in_transit: 'Package will be sorted at the hub',
  out_for_delivery: 'Courier will deliver the package',
  out_for_return: 'Courier will return the package to you',
};

/** The `timeline` array as JSON text: done steps with dates, the next one with a `nextAction`. */
export function timelineJson(steps: readonly Step[], type: number): string {
  const template = TEMPLATES[type] ?? TEMPLATES[10];
  const items: string[] = [];
  let pendingMarked = false;
  for (const [value, code, dateOf] of template) {
    const ms = dateOf(steps);
    if (ms !== undefined) items.push(`{"value":"${value}","code":${code},"done":true,"date":"${iso(ms)}"}`);
    else {
      const next = !pendingMarked && NEXT_ACTIONS[value] ? `,"nextAction":"${NEXT_ACTIONS[value]}"` : '';
      pendingMarked = true;
      items.push(`{"value":"${value}","code":${code},"done":false${next}}`);
    }
  }
  const final = steps[steps.length - 1];
  if (final && TERMINAL_ENTRIES[final.code]) {
    items.push(
      `{"value":"${TERMINAL_ENTRIES[final.code]}","code":${final.code},"done":true,"date":"${iso(final.at)}"}`,
    );
  }
  return `[${items.join(',')}]`;
}
