/**
 * The simulator's engine: owns the store, settings, search, faults and webhooks, and implements the Bosta API
 * operations as plain functions returning `{status, body}` so routes stay thin and tests can call them directly.
 */
import type { BostaDelivery } from '../types.js';
import { isAddressProblem, resolveCreateAddress, SIM_BUSINESS } from './addresses.js';
import { checkCod, checkCreate, isCreateRefusal } from './create-rules.js';
import { renderDelivery, type ViewOptions, writeDelivery } from './delivery-view.js';
import { FaultInjector } from './faults.js';
import { Utf8Sink } from './json-text.js';
import { populate } from './population.js';
import { hash32, Rng } from './prng.js';
import { SearchEngine } from './search.js';
import { applySettingsPatch, cloneSettings, type SimulatorSettings, type SimulatorSettingsPatch } from './settings.js';
import { isTerminal, TERMINABLE_STATES } from './state-machine.js';
import { DeliveryStore } from './store.js';
import { type AccountWebhook, WebhookDispatcher, webhookPayload, webhookTargetOf } from './webhooks.js';

export interface ApiAnswer {
  status: number;
  /** An object, or ready JSON text or bytes (search pages and details are rendered directly). */
  body: unknown;
  headers?: Record<string, string>;
}

export interface EngineOptions {
  deliveries: number;
  seed: number;
  anchorMs: number;
  settings: SimulatorSettings;
  webhook?: AccountWebhook;
}

export class SimulatorEngine {
  store!: DeliveryStore;
  search!: SearchEngine;
  settings: SimulatorSettings;
  readonly faults: FaultInjector;
  readonly webhooks: WebhookDispatcher;
  account?: AccountWebhook;
  readonly rng: Rng;
  private readonly initialSettings: SimulatorSettings;
  private readonly initialWebhook?: AccountWebhook;

  constructor(private readonly options: EngineOptions) {
    this.settings = cloneSettings(options.settings);
    this.initialSettings = cloneSettings(options.settings);
    this.account = options.webhook;
    this.initialWebhook = options.webhook;
    this.faults = new FaultInjector(options.seed);
    this.rng = new Rng(hash32(options.seed, 0xe9));
    this.webhooks = new WebhookDispatcher(() => this.settings.webhook, options.seed);
    this.populate();
  }

  private populate(): void {
    this.store = new DeliveryStore(this.options.seed, this.options.anchorMs);
    populate(this.store, this.options.deliveries);
    this.store.onStep = (slot, step) => {
      const target = webhookTargetOf(this.store, slot, this.account);
      if (target) this.webhooks.enqueue(target, webhookPayload(this.store, slot, step, this.settings.webhook));
    };
    this.search = new SearchEngine(this.store);
  }

  /** Back to the generated data, the initial settings and webhook; queued faults are dropped. */
  reset(): void {
    this.settings = cloneSettings(this.initialSettings);
    this.account = this.initialWebhook;
    this.faults.clear();
    this.populate();
  }

  patchSettings(patch: SimulatorSettingsPatch): SimulatorSettings {
    return applySettingsPatch(this.settings, patch);
  }

  fail(status: number, errorCode: string | undefined, message: string): ApiAnswer {
    const body: Record<string, unknown> = { success: false, message };
    if (errorCode !== undefined) {
      body.errorCode = this.settings.errors.errorCodeType === 'number' ? Number(errorCode) : errorCode;
    }
    body.data = null;
    return { status, body };
  }

  /** JSON text of a delivery: search items follow `search.itemShape`, the detail endpoint shows everything. */
  render(slot: number, forSearch: boolean): string {
    return renderDelivery(this.store, slot, this.viewOptions(forSearch));
  }

  private viewOptions(forSearch: boolean): ViewOptions {
    const s = this.settings.search;
    return forSearch
      ? { shape: s.itemShape, dateFormat: s.createdAtFormat }
      : { shape: 'detail', dateFormat: 'toString' };
  }

  /** The detail document of a slot as an object (control API and tests). */
  view(slot: number): BostaDelivery {
    return JSON.parse(this.render(slot, false)) as BostaDelivery;
  }

  searchDeliveries(body: unknown): ApiAnswer {
    const query = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const result = this.search.run(query, this.settings.search);
    if ('errorCode' in result) return this.fail(result.status, result.errorCode, result.message);
    const options = this.viewOptions(true);
    const sink = new Utf8Sink(Math.max(64 * 1024, result.slots.length * 8 * 1024));
    sink.push('{"success":true,"message":"Deliveries found.","data":{"deliveries":[');
    result.slots.forEach((slot, k) => {
      if (k > 0) sink.push(',');
      writeDelivery(this.store, slot, options, sink);
    });
    sink.push(`],"count":${result.count},"limit":${result.limit},"page":${result.page}}}`);
    return { status: 200, body: sink.bytes() };
  }

  detail(trackingNumber: string): ApiAnswer {
    const slot = this.store.slotOfTrackingNumber(trackingNumber);
    if (slot < 0) return this.fail(404, '1066', 'Delivery not found');
    // Measured live after a terminate: "400 Delivery not found." (§3.1.1).
    if (!this.store.isVisible(slot)) return this.fail(400, '1066', 'Delivery not found.');
    return { status: 200, body: `{"success":true,"message":"Delivery found.","data":${this.render(slot, false)}}` };
  }

  create(body: unknown, apiVersion1: boolean): ApiAnswer {
    const checked = checkCreate(body, apiVersion1, this.store);
    if (isCreateRefusal(checked)) return this.fail(checked.status, checked.errorCode, checked.message);
    const slot = this.store.addCreated(checked.input, apiVersion1, checked.addresses);
    const data = {
      _id: this.store.idOf(slot),
      trackingNumber: this.store.trackingNumberOf(slot),
      message: 'Delivery created successfully!',
      state: { code: 10, value: 'Pickup requested' },
      ...(checked.input.businessReference ? { businessReference: checked.input.businessReference } : {}),
      creationSrc: 'API',
      sender: { _id: SIM_BUSINESS._id, phone: SIM_BUSINESS.phone, name: SIM_BUSINESS.name, type: SIM_BUSINESS.type },
    };
    return { status: this.settings.create.status, body: { success: true, message: 'Done successfully.', data } };
  }

  /** Bulk create answers ids only (api.yaml), or created/failed lists when some failed (WooCommerce plugin). */
  bulkCreate(body: unknown, apiVersion1: boolean): ApiAnswer {
    const list = (body as { deliveries?: unknown } | null)?.deliveries;
    if (!Array.isArray(list) || list.length === 0)
      return this.fail(400, '1000', '"deliveries" must be a non-empty array');
    if (list.length > 100) return this.fail(400, '1000', '"deliveries" must contain at most 100 items');
    const ids: string[] = [];
    const failed: Array<{ errorMessage: string; businessReference?: unknown }> = [];
    for (const item of list) {
      const checked = checkCreate(item, apiVersion1, this.store);
      if (isCreateRefusal(checked)) {
        failed.push({
          errorMessage: checked.message,
          businessReference: (item as Record<string, unknown>)?.businessReference,
        });
        continue;
      }
      ids.push(this.store.idOf(this.store.addCreated(checked.input, apiVersion1, checked.addresses)));
    }
    const data = failed.length === 0 ? ids : { createdDeliveriesIds: ids, failedDeliveries: failed };
    return { status: this.settings.create.status, body: { success: true, message: 'Done successfully.', data } };
  }

  update(id: string, body: unknown): ApiAnswer {
    const slot = this.store.slotOfId(id);
    if (slot < 0 || !this.store.isVisible(slot)) return this.fail(404, '1066', 'Delivery not found');
    if (isTerminal(this.store.state[slot]))
      return this.fail(400, '1000', "Delivery can't be updated in its current state");
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return this.fail(400, '1000', 'Request body must be a JSON object');
    const input = body as Record<string, unknown>;
    const fields: Record<string, unknown> = {};
    for (const key of ['receiver', 'notes', 'businessReference', 'webhookUrl'] as const)
      if (input[key] !== undefined) fields[key] = input[key];
    if (input.cod !== undefined) {
      const problem = checkCod(input.cod, this.store.type[slot]);
      if (problem) return this.fail(problem.status, problem.errorCode, problem.message);
      fields.cod = input.cod;
    }
    for (const key of ['dropOffAddress', 'pickUpAddress', 'returnAddress'] as const) {
      if (input[key] === undefined) continue;
      const resolved = resolveCreateAddress(input[key] as never, false);
      if (isAddressProblem(resolved)) return this.fail(400, resolved.errorCode, `${key}: ${resolved.message}`);
      fields[key] = resolved;
    }
    this.store.patch(slot, fields);
    return {
      status: 200,
      body: { success: true, message: 'Delivery updated successfully.', _id: id, data: { _id: id } },
    };
  }

  terminate(trackingNumber: string): ApiAnswer {
    const slot = this.store.slotOfTrackingNumber(trackingNumber);
    if (slot < 0 || !this.store.isVisible(slot)) return this.fail(404, '1066', 'Delivery not found');
    if (!TERMINABLE_STATES.has(this.store.state[slot])) {
      return this.fail(400, '1070', "Delivery can't be terminated in its current state");
    }
    this.store.applyTransitions(slot, [{ code: 48 }]);
    this.store.releaseReference(slot);
    if (this.settings.terminate.mode === 'disappear') this.store.hide(slot);
    return {
      status: 200,
      body: {
        success: true,
        message: 'Delivery has been terminated successfully.',
        data: { _id: this.store.idOf(slot) },
      },
    };
  }
}
