/**
 * HTTP client of the Bosta API v2 (reference §2–§5). Raw `Authorization: <key>`, keep-alive through undici,
 * a timeout per try, bounded retries with full-jitter backoff that honour Retry-After, an optional request
 * budget, and typed errors. Only reads (and create with a uniqueBusinessReference) are retried on 5xx/timeouts.
 */
import { Agent, type Dispatcher, request } from 'undici';
import { withRetries } from '../../lib/retry.js';
import { nonPublicHost, publicOnlyLookup } from '../../platform/http/public-address.js';
import { BostaConfigurationError, BostaError, BostaUnavailableError } from './errors.js';
import { RateBudget } from './rate-budget.js';
import { type AttemptFailure, interpretResponse, type RetryClass } from './response.js';
import { BOSTA_EGYPT_COUNTRY_ID } from './codes.js';
import type {
  BostaCity,
  BostaCityDistricts,
  BostaCreateDeliveryInput,
  BostaCreateDeliveryResult,
  BostaDelivery,
  BostaDistrict,
  BostaPickupLocation,
  BostaSearchRequest,
  BostaSearchResponse,
  BostaUpdateDeliveryPatch,
} from './types.js';

/** pino-compatible subset; the client never passes headers or the key to it. */
export interface BostaClientLogger {
  debug?: (obj: Record<string, unknown>, msg: string) => void;
  warn?: (obj: Record<string, unknown>, msg: string) => void;
}

export interface BostaClientOptions {
  /** API base including the version, e.g. `https://app.bosta.co/api/v2` or a simulator's `url`. */
  baseUrl: string;
  apiKey: string;
  /** Per-try timeout (headers and body), default 15 s. */
  timeoutMs?: number;
  /** Retries after the first try, default 4. */
  maxRetries?: number;
  /** Average requests per second allowed (token bucket); unlimited when omitted. */
  rateBudget?: number;
  dispatcher?: Dispatcher;
  /**
   * Only dial public internet addresses (default false): a base URL whose host is a loopback, private or
   * link-local literal fails every call at once, and a name is refused when it resolves to such an
   * address (checked once per connection, and what is checked is what is dialled). For base URLs a tenant gave.
   * Ignored with a caller-supplied dispatcher, which dials as it was built to.
   */
  publicOnly?: boolean;
  /** First backoff cap (ms), default 250. */
  retryBaseMs?: number;
  /** Largest single backoff (ms), default 8 s. */
  retryMaxMs?: number;
  /** Give up rather than wait more than this in total across retries (ms), default 30 s. */
  maxTotalWaitMs?: number;
  logger?: BostaClientLogger;
}

/** A client's options without the parts that cannot cross threads, and the logger its copy reports to. */
export interface PortableBostaClient {
  options: Omit<BostaClientOptions, 'dispatcher' | 'logger'>;
  logger?: BostaClientLogger;
}

export interface BostaSearchParams {
  page: number;
  limit: number;
  sortBy?: string;
  type?: string[];
  mobilePhones?: string | string[];
  trackingNumbers?: Array<string | number>;
  searchTerm?: string;
}

export interface BostaCallOptions {
  signal?: AbortSignal;
}

export type BostaConnectionCheck = { ok: true; count: number } | { ok: false; error: BostaError };

type Mode = 'idempotent' | 'safe-only';

interface CallSpec {
  method: Dispatcher.HttpMethod;
  path: string;
  body?: unknown;
  mode: Mode;
  auth?: boolean;
  successFlagOptional?: boolean;
  signal?: AbortSignal;
}

/** Connection errors raised before the request could reach the server: safe to retry even for a create. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH']);

const failures = new WeakMap<BostaError, AttemptFailure>();

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

export class BostaClient {
  private readonly origin: string;
  private readonly basePath: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly maxTotalWaitMs: number;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly budget?: RateBudget;
  private readonly logger?: BostaClientLogger;
  /** Why every call fails at once (`publicOnly` and a literal non-public host), or null. */
  private readonly refusedHost: string | null;

  readonly #portable: PortableBostaClient | null;

  constructor(options: BostaClientOptions) {
    const { dispatcher, logger, ...plain } = options;
    this.#portable = dispatcher === undefined ? { options: plain, logger } : null;
    const url = new URL(options.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxRetries = options.maxRetries ?? 4;
    this.retryBaseMs = options.retryBaseMs ?? 250;
    this.retryMaxMs = options.retryMaxMs ?? 8_000;
    this.maxTotalWaitMs = options.maxTotalWaitMs ?? 30_000;
    this.refusedHost = options.publicOnly && !options.dispatcher ? nonPublicHost(url) : null;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        keepAliveTimeout: 30_000,
        connections: 16,
        ...(options.publicOnly ? { connect: { lookup: publicOnlyLookup } } : {}),
      });
    this.budget = options.rateBudget ? new RateBudget(options.rateBudget) : undefined;
    this.logger = options.logger;
  }

  /** `POST /deliveries/search`: one page, newest update first by default. A read, so it is retried. */
  async searchDeliveries(params: BostaSearchParams, options: BostaCallOptions = {}): Promise<BostaSearchResponse> {
    const body: BostaSearchRequest = { page: params.page, limit: params.limit, sortBy: params.sortBy ?? '-updatedAt' };
    if (params.type?.length) body.type = params.type;
    if (params.mobilePhones !== undefined) body.mobilePhones = params.mobilePhones;
    if (params.trackingNumbers?.length) body.trackingNumbers = params.trackingNumbers.map(String);
    if (params.searchTerm) body.searchTerm = params.searchTerm;
    const data = await this.call<Partial<BostaSearchResponse> | null>({
      method: 'POST',
      path: '/deliveries/search',
      body,
      mode: 'idempotent',
      signal: options.signal,
    });
    const deliveries = Array.isArray(data?.deliveries) ? data.deliveries : [];
    const count = Number(data?.count ?? deliveries.length);
    return {
      deliveries,
      count: Number.isFinite(count) ? count : deliveries.length,
      limit: data?.limit === undefined ? undefined : Number(data.limit),
      page: data?.page === undefined ? undefined : Number(data.page),
    };
  }

  /** `GET /deliveries/business/{trackingNumber}`: the full delivery. */
  getDelivery(trackingNumber: string | number, options: BostaCallOptions = {}): Promise<BostaDelivery> {
    return this.call<BostaDelivery>({
      method: 'GET',
      path: `/deliveries/business/${encodeURIComponent(String(trackingNumber))}`,
      mode: 'idempotent',
      signal: options.signal,
    });
  }

  /**
   * `POST /deliveries[?apiVersion=1]`. Retried on 5xx/timeouts only when `uniqueBusinessReference` guards
   * against duplicates; an 11000 then surfaces as BostaDuplicateReferenceError with `onRetry` set.
   */
  async createDelivery(
    input: BostaCreateDeliveryInput,
    options: BostaCallOptions & { apiVersion1?: boolean } = {},
  ): Promise<BostaCreateDeliveryResult> {
    const query = options.apiVersion1 === false ? '' : '?apiVersion=1';
    const data = await this.call<BostaCreateDeliveryResult>({
      method: 'POST',
      path: `/deliveries${query}`,
      body: input,
      mode: input.uniqueBusinessReference ? 'idempotent' : 'safe-only',
      signal: options.signal,
    });
    return { ...data, trackingNumber: String(data?.trackingNumber ?? '') };
  }

  /** `POST /deliveries/bulk?apiVersion=1`: answers ids only (or created/failed lists). Not retried on 5xx. */
  createDeliveriesBulk(inputs: BostaCreateDeliveryInput[], options: BostaCallOptions = {}): Promise<unknown> {
    return this.call<unknown>({
      method: 'POST',
      path: '/deliveries/bulk?apiVersion=1',
      body: { deliveries: inputs, deleteFailedDeliveries: false },
      mode: 'safe-only',
      signal: options.signal,
    });
  }

  /** `DELETE /deliveries/business/{tn}/terminate`. 1070 (late state) surfaces as BostaValidationError. */
  terminateDelivery(trackingNumber: string | number, options: BostaCallOptions = {}): Promise<{ _id?: string }> {
    return this.call<{ _id?: string }>({
      method: 'DELETE',
      path: `/deliveries/business/${encodeURIComponent(String(trackingNumber))}/terminate`,
      mode: 'safe-only',
      signal: options.signal,
    });
  }

  /** `PUT /deliveries/{_id}` (by `_id`, not tracking number). A PUT is idempotent, so it is retried. */
  updateDelivery(
    id: string,
    patch: BostaUpdateDeliveryPatch,
    options: BostaCallOptions = {},
  ): Promise<{ _id?: string }> {
    return this.call<{ _id?: string }>({
      method: 'PUT',
      path: `/deliveries/${encodeURIComponent(id)}`,
      body: patch,
      mode: 'idempotent',
      successFlagOptional: true,
      signal: options.signal,
    });
  }

  /** `GET /cities?countryId=` (public). */
  async listCities(countryId: string = BOSTA_EGYPT_COUNTRY_ID, options: BostaCallOptions = {}): Promise<BostaCity[]> {
    const data = await this.call<{ list?: BostaCity[] } | BostaCity[]>({
      method: 'GET',
      path: `/cities?countryId=${encodeURIComponent(countryId)}`,
      mode: 'idempotent',
      auth: false,
      signal: options.signal,
    });
    return Array.isArray(data) ? data : (data?.list ?? []);
  }

  /** `GET /cities/{cityId}/districts` (public). */
  async listDistricts(cityId: string, options: BostaCallOptions = {}): Promise<BostaDistrict[]> {
    const data = await this.call<BostaDistrict[] | { list?: BostaDistrict[] }>({
      method: 'GET',
      path: `/cities/${encodeURIComponent(cityId)}/districts`,
      mode: 'idempotent',
      auth: false,
      signal: options.signal,
    });
    return Array.isArray(data) ? data : (data?.list ?? []);
  }

  /** `GET /cities/getAllDistricts?countryId=` (public). */
  async listAllDistricts(
    countryId: string = BOSTA_EGYPT_COUNTRY_ID,
    options: BostaCallOptions = {},
  ): Promise<BostaCityDistricts[]> {
    const data = await this.call<BostaCityDistricts[] | { list?: BostaCityDistricts[] }>({
      method: 'GET',
      path: `/cities/getAllDistricts?countryId=${encodeURIComponent(countryId)}`,
      mode: 'idempotent',
      auth: false,
      signal: options.signal,
    });
    return Array.isArray(data) ? data : (data?.list ?? []);
  }

  /** `GET /pickup-locations`. */
  async listPickupLocations(options: BostaCallOptions = {}): Promise<BostaPickupLocation[]> {
    const data = await this.call<{ list?: BostaPickupLocation[] } | BostaPickupLocation[]>({
      method: 'GET',
      path: '/pickup-locations',
      mode: 'idempotent',
      signal: options.signal,
    });
    return Array.isArray(data) ? data : (data?.list ?? []);
  }

  /** A cheap authenticated call (search, limit 1). Never throws for Bosta errors. */
  async testConnection(options: BostaCallOptions = {}): Promise<BostaConnectionCheck> {
    try {
      const page = await this.searchDeliveries({ page: 1, limit: 1, sortBy: '-updatedAt' }, options);
      return { ok: true, count: page.count };
    } catch (error) {
      if (error instanceof BostaError) return { ok: false, error };
      throw error;
    }
  }

  /**
   * What another thread needs to make the same client (its API key included: never log it), or null when
   * the caller gave a dispatcher of its own, which cannot cross threads.
   */
  portable(): PortableBostaClient | null {
    return this.#portable;
  }

  /** Closes the keep-alive connections the client opened itself. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private call<T>(spec: CallSpec): Promise<T> {
    if (this.refusedHost) {
      const reason = `The Bosta base URL is refused: ${this.refusedHost}`;
      return Promise.reject(new BostaConfigurationError(reason, { method: spec.method, path: spec.path }));
    }
    return withRetries((attempt) => this.attempt<T>(spec, attempt), {
      retries: this.maxRetries,
      baseMs: this.retryBaseMs,
      maxMs: this.retryMaxMs,
      maxTotalWaitMs: this.maxTotalWaitMs,
      signal: spec.signal,
      shouldRetry: (error) => {
        const failure = error instanceof BostaError ? failures.get(error) : undefined;
        if (!failure || !allowed(failure.retry, spec.mode)) return false;
        return failure.retryAfterMs === undefined ? true : { delayMs: failure.retryAfterMs };
      },
      onRetry: ({ attempt, delayMs, error }) =>
        this.logger?.warn?.(
          { method: spec.method, path: spec.path, attempt: attempt + 1, delayMs, status: (error as BostaError).status },
          'bosta request retry',
        ),
    });
  }

  private async attempt<T>(spec: CallSpec, attempt: number): Promise<T> {
    await this.budget?.acquire(spec.signal);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, this.timeoutMs);
    const onOuterAbort = () => controller.abort(spec.signal?.reason);
    spec.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const started = Date.now();
    const headers: Record<string, string> = { accept: 'application/json', 'x-requested-by': 'orderloop' };
    if (spec.auth !== false) headers.authorization = this.apiKey;
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const res = await request(`${this.origin}${this.basePath}${spec.path}`, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        dispatcher: this.dispatcher,
        signal: controller.signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const text = await res.body.text();
      this.logger?.debug?.(
        { method: spec.method, path: spec.path, status: res.statusCode, attempt, ms: Date.now() - started },
        'bosta request',
      );
      const outcome = interpretResponse<T>(res.statusCode, res.headers['retry-after'], text, {
        method: spec.method,
        path: spec.path,
        attempt,
        successFlagOptional: spec.successFlagOptional,
      });
      if (outcome.ok) return outcome.data;
      failures.set(outcome.failure.error, outcome.failure);
      throw outcome.failure.error;
    } catch (err) {
      if (err instanceof BostaError) throw err;
      if (spec.signal?.aborted) throw spec.signal.reason ?? err;
      throw this.transportFailure(err, spec, timedOut);
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  private transportFailure(err: unknown, spec: CallSpec, timedOut: boolean): BostaError {
    const code = timedOut ? 'TIMEOUT' : errorCode(err);
    if (code === 'ENONPUBLIC') {
      // The base URL's name resolved to a non-public address (publicOnly): the same on every try.
      const error = new BostaConfigurationError(`The Bosta base URL is refused: ${(err as Error).message}`, {
        method: spec.method,
        path: spec.path,
        cause: err,
      });
      failures.set(error, { error, retry: 'never' });
      return error;
    }
    const notSent = code !== undefined && NOT_SENT_CODES.has(code);
    const what = timedOut ? `timed out after ${this.timeoutMs} ms` : `failed (${code ?? 'network error'})`;
    const error = new BostaUnavailableError(`Bosta ${spec.method} ${spec.path} ${what}`, {
      method: spec.method,
      path: spec.path,
      cause: err,
    });
    failures.set(error, { error, retry: notSent ? 'always' : 'idempotent' });
    return error;
  }
}

function allowed(retry: RetryClass, mode: Mode): boolean {
  if (retry === 'never') return false;
  if (retry === 'always') return true;
  return mode === 'idempotent';
}
