/**
 * Webhook sender of the simulator (§8): on each state change POST the §8.2 payload to the account webhook or
 * the delivery's own `webhookUrl`, with the configured header(s) and no signature. Knobs reproduce duplicates,
 * out-of-order arrival and delay; failed sends are retried a little. `flush()` awaits everything pending.
 */
import { Agent, request } from 'undici';
import { BOSTA_STATES, BOSTA_TYPE_NAME_BY_CODE, type BostaTypeCode } from '../codes.js';
import type { BostaWebhookPayload } from '../types.js';
import { partiesOf } from './parties.js';
import { hash32, Rng } from './prng.js';
import type { WebhookSettings } from './settings.js';
import type { Step } from './state-machine.js';
import type { DeliveryStore } from './store.js';

export interface WebhookTarget {
  url: string;
  headers: Record<string, string>;
}

/** The account-wide webhook as configured in the dashboard: a URL and one optional custom header. */
export interface AccountWebhook {
  url: string;
  headerName?: string;
  headerValue?: string;
}

export interface WebhookRecord {
  url: string;
  payload: BostaWebhookPayload;
  status?: number;
  error?: string;
  tries: number;
  sentAt: number;
}

const LOG_LIMIT = 10_000;
const viewRng = new Rng();

/** The §8.2 payload of one state change. */
export function webhookPayload(
  store: DeliveryStore,
  slot: number,
  step: Step,
  settings: WebhookSettings,
): BostaWebhookPayload {
  viewRng.reseed(hash32(store.seed, 0xde7a, slot));
  const parties = partiesOf(store, slot, viewRng);
  const tn = store.trackingNumberOf(slot);
  const type = store.type[slot] as BostaTypeCode;
  const payload: BostaWebhookPayload = {
    _id: store.idOf(slot),
    trackingNumber: settings.trackingNumberType === 'number' ? Number(tn) : tn,
    state: step.code,
    type: BOSTA_TYPE_NAME_BY_CODE[type] ?? 'SEND',
    timeStamp: step.at,
  };
  if (step.code === 45) {
    payload.cod = store.codMinor[slot] / 100;
    payload.isConfirmedDelivery = hash32(store.seed, slot, 0xc0f) % 10 < 7;
  } else payload.isConfirmedDelivery = false;
  const promise = new Date(store.createdAt[slot] + 2 * 86_400_000);
  payload.deliveryPromiseDate = `${String(promise.getUTCDate()).padStart(2, '0')}-${String(promise.getUTCMonth() + 1).padStart(2, '0')}-${promise.getUTCFullYear()}`;
  if (step.code === 47) {
    payload.exceptionReason = step.exceptionReason;
    payload.exceptionCode = step.exceptionCode;
  }
  if (parties.businessReference) payload.businessReference = parties.businessReference;
  payload.numberOfAttempts = store.attempts[slot];
  if (settings.includeDescription)
    payload.description = (BOSTA_STATES as Record<number, string>)[step.code] ?? 'Unknown';
  if (settings.includeEventType) payload.eventType = 'STATUS_UPDATE';
  return payload;
}

/** Where a delivery's events go: its own `webhookUrl` (with custom headers) or the account webhook. */
export function webhookTargetOf(
  store: DeliveryStore,
  slot: number,
  account: AccountWebhook | undefined,
): WebhookTarget | undefined {
  const live = store.live.get(slot);
  const own = (live?.patch?.webhookUrl as string | undefined) ?? live?.created?.input.webhookUrl;
  if (own) return { url: own, headers: { ...(live?.created?.input.webhookCustomHeaders ?? {}) } };
  if (!account?.url) return undefined;
  const headers: Record<string, string> = {};
  if (account.headerName && account.headerValue !== undefined)
    headers[account.headerName.toLowerCase()] = account.headerValue;
  return { url: account.url, headers };
}

export class WebhookDispatcher {
  readonly log: WebhookRecord[] = [];
  readonly stats = { enqueued: 0, sent: 0, failed: 0, duplicated: 0, reordered: 0 };
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private held?: { target: WebhookTarget; payload: BostaWebhookPayload };
  private readonly rng: Rng;
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 8 });
  private closed = false;

  constructor(
    private readonly settings: () => WebhookSettings,
    seed: number,
  ) {
    this.rng = new Rng(hash32(seed, 0x3eb));
  }

  /** Queues one event; it may be duplicated, held back behind the next one, and delayed per the knobs. */
  enqueue(target: WebhookTarget, payload: BostaWebhookPayload): void {
    if (this.closed) return;
    const s = this.settings();
    this.stats.enqueued++;
    if (this.held) {
      const held = this.held;
      this.held = undefined;
      this.schedule(target, payload, s);
      this.schedule(held.target, held.payload, s);
      return;
    }
    if (s.reorderRate > 0 && this.rng.chance(s.reorderRate)) {
      this.stats.reordered++;
      this.held = { target, payload };
      return;
    }
    this.schedule(target, payload, s);
  }

  /** Releases a held event and resolves once every queued send finished (successfully or not). */
  async flush(): Promise<void> {
    if (this.held) {
      const held = this.held;
      this.held = undefined;
      this.schedule(held.target, held.payload, this.settings());
    }
    while (this.pending > 0) await this.chain;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.held = undefined;
    // Abort in-flight sends so a slow receiver cannot hold the simulator open.
    await this.agent.destroy();
    await this.chain.catch(() => undefined);
  }

  private schedule(target: WebhookTarget, payload: BostaWebhookPayload, s: WebhookSettings): void {
    const copies = s.duplicateRate > 0 && this.rng.chance(s.duplicateRate) ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    const dueAt = Date.now() + s.delayMs;
    for (let k = 0; k < copies; k++) {
      this.pending++;
      this.chain = this.chain
        .then(async () => {
          const wait = dueAt - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          await this.send(target, payload, s);
        })
        .catch(() => undefined)
        .finally(() => {
          this.pending--;
        });
    }
  }

  private async send(target: WebhookTarget, payload: BostaWebhookPayload, s: WebhookSettings): Promise<void> {
    const record: WebhookRecord = { url: target.url, payload, tries: 0, sentAt: Date.now() };
    for (let attempt = 0; attempt <= s.retries && !this.closed; attempt++) {
      record.tries++;
      try {
        const res = await request(target.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Bosta-Webhooks/1.0', ...target.headers },
          body: JSON.stringify(payload),
          dispatcher: this.agent,
          headersTimeout: s.timeoutMs,
          bodyTimeout: s.timeoutMs,
        });
        await res.body.dump();
        record.status = res.statusCode;
        record.error = undefined;
        if (res.statusCode >= 200 && res.statusCode < 300) break;
      } catch (err) {
        record.error = (err as Error).message;
      }
      if (attempt < s.retries) await new Promise((r) => setTimeout(r, s.retryDelayMs * 2 ** attempt));
    }
    record.sentAt = Date.now();
    if (record.status !== undefined && record.status >= 200 && record.status < 300) this.stats.sent++;
    else this.stats.failed++;
    this.log.push(record);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
  }
}
