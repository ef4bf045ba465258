/**
 * Test and demo control of a running simulator: move deliveries along their paths, add or change deliveries,
 * switch settings and faults, point webhooks somewhere, and read the ground truth to compare a sync against.
 * The same object backs the `/__control` HTTP routes.
 */
import type { BostaDelivery } from '../types.js';
import type { SimulatorEngine } from './engine.js';
import type { FaultKind } from './faults.js';
import { addGeneratedDeliveries } from './population.js';
import type { SimulatorSettings, SimulatorSettingsPatch } from './settings.js';
import { isTerminal, nextTransition, type Transition, transitionsToward } from './state-machine.js';
import type { AccountWebhook, WebhookRecord } from './webhooks.js';

export interface AdvanceResult {
  trackingNumber: string;
  /** Codes the delivery went through, in order (empty when it was already final). */
  states: number[];
  stateCode: number;
}

export interface TruthDelivery {
  trackingNumber: string;
  externalId: string;
  stateCode: number;
  typeCode: number;
  /** ISO at second precision, as the wire's `Date.toString()` carries it. */
  updatedAt: string;
  updatedAtMs: number;
  codMinor: number;
}

export interface SimulatorTruth {
  count: number;
  byState: Record<string, number>;
  /** Sum of the deliveries' own COD per state, in piasters. */
  codMinorByState: Record<string, number>;
  codMinorTotal: number;
  deliveries?: TruthDelivery[];
}

export interface BostaSimulatorControl {
  /** One delivery one realistic step forward, or along its path to `toState`. */
  advance(trackingNumber: string, toState?: number): AdvanceResult;
  /** `count` random in-flight deliveries one step each. */
  advanceRandom(count: number): AdvanceResult[];
  /** Adds `count` new deliveries (state 10, created now); returns their tracking numbers. */
  addDeliveries(count: number): string[];
  /** Changes `count` random deliveries: a step forward when in flight, otherwise a touch of updatedAt. */
  changeDeliveries(count: number): string[];
  getSettings(): SimulatorSettings;
  setSettings(patch: SimulatorSettingsPatch): SimulatorSettings;
  /** The next API requests fail with these faults, in order. */
  queueFaults(kinds: FaultKind[]): void;
  setWebhook(target: AccountWebhook | null): void;
  truth(options?: { list?: boolean }): SimulatorTruth;
  /** Full document of a delivery as the detail endpoint returns it, or undefined. */
  getDelivery(trackingNumber: string): BostaDelivery | undefined;
  /** Awaits every pending webhook send (releasing a held out-of-order event). */
  flush(): Promise<void>;
  webhookLog(): WebhookRecord[];
  reset(): void;
}

export class SimulatorControl implements BostaSimulatorControl {
  constructor(private readonly engine: SimulatorEngine) {}

  advance(trackingNumber: string, toState?: number): AdvanceResult {
    const store = this.engine.store;
    const slot = store.slotOfTrackingNumber(String(trackingNumber));
    if (slot < 0 || !store.isVisible(slot)) throw new RangeError(`unknown tracking number ${trackingNumber}`);
    const steps = store.stepsOf(slot);
    const type = store.type[slot];
    let transitions: Transition[];
    if (toState === undefined) {
      const next = nextTransition(type, steps, this.engine.rng);
      transitions = next ? [next] : [];
    } else transitions = transitionsToward(type, steps, Number(toState), this.engine.rng);
    const applied = transitions.length > 0 ? store.applyTransitions(slot, transitions) : [];
    return {
      trackingNumber: store.trackingNumberOf(slot),
      states: applied.map((s) => s.code),
      stateCode: store.state[slot],
    };
  }

  advanceRandom(count: number): AdvanceResult[] {
    const out: AdvanceResult[] = [];
    const store = this.engine.store;
    const rng = this.engine.rng;
    for (let k = 0; k < count; k++) {
      let slot = -1;
      for (let tries = 0; tries < 200 && slot < 0; tries++) {
        const s = rng.int(store.size);
        if (store.isVisible(s) && !isTerminal(store.state[s])) slot = s;
      }
      if (slot < 0) break;
      out.push(this.advance(store.trackingNumberOf(slot)));
    }
    return out;
  }

  addDeliveries(count: number): string[] {
    const store = this.engine.store;
    return addGeneratedDeliveries(store, Math.max(0, Math.floor(count)), this.engine.rng).map((s) =>
      store.trackingNumberOf(s),
    );
  }

  changeDeliveries(count: number): string[] {
    const store = this.engine.store;
    const rng = this.engine.rng;
    const changed: string[] = [];
    for (let k = 0; k < count && store.size > 0; k++) {
      let slot = rng.int(store.size);
      for (let tries = 0; tries < 20 && !store.isVisible(slot); tries++) slot = rng.int(store.size);
      if (!store.isVisible(slot)) continue;
      const next = isTerminal(store.state[slot]) ? null : nextTransition(store.type[slot], store.stepsOf(slot), rng);
      if (next) store.applyTransitions(slot, [next]);
      else store.touch(slot);
      changed.push(store.trackingNumberOf(slot));
    }
    return changed;
  }

  /** What `mutateDuringSync` does before each search: mostly changes, sometimes a new delivery. */
  mutate(count: number): void {
    for (let k = 0; k < count; k++) {
      if (this.engine.rng.chance(0.2)) this.addDeliveries(1);
      else this.changeDeliveries(1);
    }
  }

  getSettings(): SimulatorSettings {
    return structuredClone(this.engine.settings);
  }

  setSettings(patch: SimulatorSettingsPatch): SimulatorSettings {
    return structuredClone(this.engine.patchSettings(patch));
  }

  queueFaults(kinds: FaultKind[]): void {
    this.engine.faults.enqueue(kinds);
  }

  setWebhook(target: AccountWebhook | null): void {
    this.engine.account = target ?? undefined;
  }

  truth(options: { list?: boolean } = {}): SimulatorTruth {
    const store = this.engine.store;
    const byState: Record<string, number> = {};
    const codMinorByState: Record<string, number> = {};
    let count = 0;
    let codMinorTotal = 0;
    const list: TruthDelivery[] | undefined = options.list ? [] : undefined;
    for (let slot = 0; slot < store.size; slot++) {
      if (!store.isVisible(slot)) continue;
      const state = store.state[slot];
      const cod = store.codMinor[slot];
      count++;
      byState[state] = (byState[state] ?? 0) + 1;
      codMinorByState[state] = (codMinorByState[state] ?? 0) + cod;
      codMinorTotal += cod;
      if (list) {
        const ms = store.updatedAt[slot];
        list.push({
          trackingNumber: store.trackingNumberOf(slot),
          externalId: store.idOf(slot),
          stateCode: state,
          typeCode: store.type[slot],
          updatedAt: new Date(Math.floor(ms / 1000) * 1000).toISOString(),
          updatedAtMs: ms,
          codMinor: cod,
        });
      }
    }
    return { count, byState, codMinorByState, codMinorTotal, ...(list ? { deliveries: list } : {}) };
  }

  getDelivery(trackingNumber: string): BostaDelivery | undefined {
    const slot = this.engine.store.slotOfTrackingNumber(String(trackingNumber));
    return slot >= 0 && this.engine.store.isVisible(slot) ? this.engine.view(slot) : undefined;
  }

  flush(): Promise<void> {
    return this.engine.webhooks.flush();
  }

  webhookLog(): WebhookRecord[] {
    return [...this.engine.webhooks.log];
  }

  reset(): void {
    this.engine.reset();
  }
}
