/**
 * Sends queued webhook deliveries: signed POSTs, retried with exponential backoff and jitter until a horizon
 * after the delivery was created. Several processes may run a sender on one database: each claims deliveries
 * with a lease (`locked_until`), so one delivery is never sent by two of them at the same time.
 */
import type { ExpressionBuilder, Selectable } from 'kysely';
import type { Logger } from 'pino';
import { Agent, type Dispatcher, request } from 'undici';
import { nonPublicHost, publicOnlyLookup } from '../http/public-address.js';
import type { SecretBox } from '../auth/secret-box.js';
import type { Database } from '../db/connect.js';
import { bool, parseJson } from '../db/dialect.js';
import type { DB } from '../db/schema.js';
import type { Metrics } from '../observability/metrics.js';
import { type WebhookBody, webhookBody, webhookHeaders } from './signature.js';

type DeliveryRow = Selectable<DB['webhook_deliveries']>;

/** When to try again: `firstDelayMs` doubling per failure up to `maxDelayMs`, giving up `horizonMs` after creation. */
export interface RetrySchedule {
  firstDelayMs: number;
  maxDelayMs: number;
  horizonMs: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  firstDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  horizonMs: 24 * 60 * 60_000,
};

/** What the sender needs from HTTP: POST and return the status and (at most) the first bytes of the response. */
export type WebhookTransport = (
  url: string,
  req: { headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ statusCode: number; body: string }>;

export interface WebhookSenderOptions {
  database: Database;
  logger: Logger;
  metrics: Metrics;
  secrets: SecretBox;
  /** Defaults to undici `request` (which never follows redirects). */
  fetchImpl?: WebhookTransport;
  /**
   * Let deliveries reach loopback, private and link-local addresses (default false: a subscriber could
   * otherwise point the server at its own network, e.g. a metadata service). `WEBHOOK_ALLOW_PRIVATE_TARGETS`.
   */
  allowPrivateTargets?: boolean;
  /** Whole-attempt timeout: connect, headers and the response prefix (default 10 s). */
  timeoutMs?: number;
  /** Deliveries in flight at once in this process (default 8). */
  concurrency?: number;
  /** Pause between polls when nothing is due (default 1 s). */
  pollMs?: number;
  retrySchedule?: Partial<RetrySchedule>;
  /** Clock (ms since the epoch); tests move it to cross the horizon. */
  now?: () => number;
  rng?: () => number;
}

/** How much of a receiver's response is kept for the deliveries log. */
export const RESPONSE_PREFIX_BYTES = 2048;
const MAX_ERROR_LENGTH = 500;

/** Delay before retry number `attempt` (1 = after the first failed try): doubling, ±20 % jitter, capped. */
export function webhookRetryDelayMs(attempt: number, schedule: RetrySchedule, rng: () => number = Math.random): number {
  const exp = Math.min(schedule.maxDelayMs, schedule.firstDelayMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  // Jitter spreads out the retries of a burst that failed together (a receiver outage) so they do not return as one.
  return Math.min(schedule.maxDelayMs, Math.max(0, Math.round(exp * (0.8 + 0.4 * rng()))));
}

/** The default transport: undici with keep-alive; reads only the first bytes of the response. */
export function undiciTransport(dispatcher: Dispatcher): WebhookTransport {
  return async (url, req) => {
    const res = await request(url, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
      signal: req.signal,
      dispatcher,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    // Leaving the loop early destroys the stream: a receiver answering with megabytes costs us 2 KB.
    for await (const chunk of res.body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= RESPONSE_PREFIX_BYTES) break;
    }
    return {
      statusCode: res.statusCode,
      body: Buffer.concat(chunks).subarray(0, RESPONSE_PREFIX_BYTES).toString('utf8'),
    };
  };
}

function errorText(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timed out after ${timeoutMs} ms`;
  const e = err as { message?: string; code?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code;
  const message = e?.cause?.message ?? e?.message ?? String(err);
  return (code && !message.includes(code) ? `${code}: ${message}` : message).slice(0, MAX_ERROR_LENGTH);
}

export class WebhookSender {
  readonly #database: Database;
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  readonly #secrets: SecretBox;
  readonly #transport: WebhookTransport;
  readonly #agent: Agent | null;
  readonly #timeoutMs: number;
  readonly #allowPrivate: boolean;
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #schedule: RetrySchedule;
  readonly #now: () => number;
  readonly #rng: () => number;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #started = false;

  constructor(opts: WebhookSenderOptions) {
    this.#database = opts.database;
    this.#logger = opts.logger.child({ component: 'webhook-sender' });
    this.#metrics = opts.metrics;
    this.#secrets = opts.secrets;
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
    this.#allowPrivate = opts.allowPrivateTargets ?? false;
    // undici's own timeouts sit behind ours, so an overrun is reported as our whole-attempt timeout.
    const undiciTimeout = this.#timeoutMs + 1000;
    this.#agent = opts.fetchImpl
      ? null
      : new Agent({
          keepAliveTimeout: 30_000,
          connections: 16,
          headersTimeout: undiciTimeout,
          bodyTimeout: undiciTimeout,
          // Names are resolved once and refused when any address is not public (checked is what is dialled).
          ...(this.#allowPrivate ? {} : { connect: { lookup: publicOnlyLookup } }),
        });
    this.#transport = opts.fetchImpl ?? undiciTransport(this.#agent!);
    this.#concurrency = Math.max(1, opts.concurrency ?? 8);
    this.#pollMs = Math.max(1, opts.pollMs ?? 1000);
    // The lease outlives the attempt's own timeout by a wide margin, so it only expires when a process died.
    this.#leaseMs = this.#timeoutMs + 60_000;
    this.#schedule = { ...DEFAULT_RETRY_SCHEDULE, ...opts.retrySchedule };
    this.#now = opts.now ?? Date.now;
    this.#rng = opts.rng ?? Math.random;
  }

  /** Polls until stop(). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#scheduleTick(0);
  }

  /** Stops polling, waits for the attempts in flight and closes the connection pool. */
  async stop(): Promise<void> {
    this.#started = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
    await this.#agent?.close();
  }

  /** Claims up to `concurrency` due deliveries and attempts each once; returns how many it attempted. */
  async runOnce(): Promise<number> {
    const claimed = await this.#claim();
    if (claimed.length === 0) return 0;
    const subs = await this.#database.db
      .selectFrom('webhook_subscriptions')
      .select(['id', 'url', 'secret_enc', 'active'])
      .where('id', 'in', [...new Set(claimed.map((d) => d.subscription_id))])
      .execute();
    const byId = new Map(subs.map((s) => [s.id, s]));
    await Promise.all(claimed.map((d) => this.#attempt(d, byId.get(d.subscription_id))));
    return claimed.length;
  }

  #scheduleTick(delayMs: number): void {
    if (!this.#started) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#drain().finally(() => {
        this.#running = null;
        this.#scheduleTick(this.#pollMs);
      });
    }, delayMs);
  }

  async #drain(): Promise<void> {
    try {
      while (this.#started && (await this.runOnce()) >= this.#concurrency) {
        // every slot was used: more may be due, go again without sleeping
      }
    } catch (err) {
      this.#logger.error({ err }, 'webhook sending failed; due deliveries are retried on the next poll');
    }
  }

  /**
   * One atomic UPDATE takes the due deliveries and stamps the lease. PostgreSQL: `for update skip locked` lets
   * concurrent senders pass each other; SQLite: the UPDATE holds the write lock across its subquery.
   */
  async #claim(): Promise<DeliveryRow[]> {
    const now = this.#now();
    const nowIso = new Date(now).toISOString();
    const claimable = (eb: ExpressionBuilder<DB, 'webhook_deliveries'>) =>
      eb.and([
        eb('status', '=', 'pending'),
        eb('next_attempt_at', '<=', nowIso),
        eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]),
      ]);
    const db = this.#database.db;
    const next = db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where(claimable)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(this.#concurrency)
      .$if(this.#database.dialect === 'postgres', (q) => q.forUpdate().skipLocked());
    return db
      .updateTable('webhook_deliveries')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), locked_until: new Date(now + this.#leaseMs).toISOString() }))
      .where('id', 'in', next)
      .where(claimable)
      .returningAll()
      .execute();
  }

  async #attempt(
    d: DeliveryRow,
    sub: { url: string; secret_enc: string; active: boolean | number } | undefined,
  ): Promise<void> {
    const log = this.#logger.child({ deliveryId: d.id, subscriptionId: d.subscription_id, eventType: d.event_type });
    if (!sub || !bool(sub.active)) {
      // Not an attempt: nothing was sent, so the claim's increment is undone.
      await this.#finish(d, { status: 'cancelled', attempts: d.attempts - 1, last_error: 'webhook deactivated' });
      this.#metrics.webhookDeliveries.inc({ outcome: 'cancelled' });
      log.info('delivery cancelled: webhook deactivated');
      return;
    }
    const result = await this.#send(d, sub);
    const now = this.#now();
    const nowIso = new Date(now).toISOString();
    const recorded = { last_status_code: result.statusCode, last_error: result.error, last_response: result.response };
    if (result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300) {
      await this.#finish(d, { ...recorded, status: 'delivered', delivered_at: nowIso });
      this.#metrics.webhookDeliveries.inc({ outcome: 'delivered' });
      log.debug({ statusCode: result.statusCode, attempts: d.attempts }, 'webhook delivered');
      return;
    }
    const nextAt = now + webhookRetryDelayMs(d.attempts, this.#schedule, this.#rng);
    if (nextAt > Date.parse(d.created_at) + this.#schedule.horizonMs) {
      await this.#finish(d, { ...recorded, status: 'failed' });
      this.#metrics.webhookDeliveries.inc({ outcome: 'failed' });
      log.warn(
        { statusCode: result.statusCode, error: result.error, attempts: d.attempts },
        'webhook delivery failed for good',
      );
      return;
    }
    await this.#finish(d, { ...recorded, status: 'pending', next_attempt_at: new Date(nextAt).toISOString() });
    this.#metrics.webhookDeliveries.inc({ outcome: 'retrying' });
    log.info(
      { statusCode: result.statusCode, error: result.error, attempts: d.attempts },
      'webhook attempt failed; will retry',
    );
  }

  async #send(
    d: DeliveryRow,
    sub: { url: string; secret_enc: string },
  ): Promise<{ statusCode: number | null; error: string | null; response: string | null }> {
    let secret: string;
    try {
      secret = this.#secrets.decrypt(sub.secret_enc);
    } catch {
      return {
        statusCode: null,
        error: 'the signing secret cannot be decrypted (APP_SECRET changed?)',
        response: null,
      };
    }
    // SQLite hands back the stored text byte for byte; PostgreSQL's jsonb is re-serialised in the documented key order.
    const body =
      typeof d.payload === 'string'
        ? d.payload
        : JSON.stringify(webhookBody(parseJson<WebhookBody>(d.payload, {} as WebhookBody)));
    const headers = webhookHeaders({
      secret,
      timestamp: Math.floor(this.#now() / 1000),
      body,
      eventType: d.event_type,
      deliveryId: d.id,
      eventId: d.event_id,
    });
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeoutMs);
    try {
      // A literal address never reaches the lookup: judged here (subscriptions refuse them too, but a rule
      // or a subscription older than the rule must not get through either).
      const refused = this.#allowPrivate ? null : nonPublicHost(new URL(sub.url));
      if (refused) return { statusCode: null, error: `refused: ${refused}`, response: null };
      const res = await this.#transport(sub.url, { headers, body, signal: controller.signal });
      const redirect = res.statusCode >= 300 && res.statusCode < 400;
      return {
        statusCode: res.statusCode,
        error:
          res.statusCode >= 200 && res.statusCode < 300
            ? null
            : `HTTP ${res.statusCode}${redirect ? ' (redirects are not followed; use the final URL)' : ''}`,
        response: res.body.slice(0, RESPONSE_PREFIX_BYTES),
      };
    } catch (err) {
      return { statusCode: null, error: errorText(err, timedOut, this.#timeoutMs), response: null };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Records the outcome, provided this process still holds the lease (it expired only if we stalled for long). */
  async #finish(
    d: DeliveryRow,
    set: {
      status: string;
      attempts?: number;
      last_status_code?: number | null;
      last_error?: string | null;
      last_response?: string | null;
      delivered_at?: string;
      next_attempt_at?: string;
    },
  ): Promise<void> {
    const res = await this.#database.db
      .updateTable('webhook_deliveries')
      .set({ ...set, locked_until: null })
      .where('id', '=', d.id)
      .where('status', '=', 'pending')
      .where('locked_until', '=', d.locked_until)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) {
      this.#logger.warn({ deliveryId: d.id }, 'delivery changed while being sent (lease expired or webhook deleted)');
    }
  }
}
