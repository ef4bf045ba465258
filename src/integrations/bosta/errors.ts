/** Typed errors of the Bosta client and mapper. None of them ever carries the API key. */

export interface BostaErrorDetails {
  status?: number;
  errorCode?: string;
  method?: string;
  path?: string;
  body?: unknown;
  cause?: unknown;
  /** Every `message` of an array-shaped error body, or the envelope message. */
  messages?: string[];
}

export class BostaError extends Error {
  readonly status?: number;
  /** Always a string, whatever type the server used. */
  readonly errorCode?: string;
  readonly method?: string;
  readonly path?: string;
  readonly body?: unknown;
  readonly messages: string[];

  constructor(message: string, details: BostaErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.method = details.method;
    this.path = details.path;
    this.body = details.body;
    this.messages = details.messages ?? [message];
  }
}

/** 401/403: wrong or missing key, `Bearer <key>`, disabled key. Never retried. */
export class BostaAuthError extends BostaError {}

/** 404, or errorCode 1066 ("Delivery not found") whatever the status. */
export class BostaNotFoundError extends BostaError {}

/** Other 4xx answers with a message and usually an errorCode (3001–3008, 1070, …). */
export class BostaValidationError extends BostaError {}

/**
 * errorCode 11000: the `uniqueBusinessReference` already exists. `onRetry` is true when it came back on a
 * retried create, which usually means an earlier try of the same call did create the delivery.
 */
export class BostaDuplicateReferenceError extends BostaValidationError {
  readonly onRetry: boolean;
  constructor(message: string, details: BostaErrorDetails & { onRetry: boolean }) {
    super(message, details);
    this.onRetry = details.onRetry;
  }
}

/** 429 still answered after every retry, or a Retry-After longer than the wait budget. */
export class BostaRateLimitError extends BostaError {
  readonly retryAfterMs?: number;
  constructor(message: string, details: BostaErrorDetails & { retryAfterMs?: number }) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** 5xx, timeouts or network failures after retries (or on a call that must not be retried). */
export class BostaUnavailableError extends BostaError {}

/** The connection itself is unusable as configured: a base URL the client may not dial (`publicOnly`). */
export class BostaConfigurationError extends BostaError {}

/** A 2xx answer that is not JSON, or `success: false` under a 2xx status. */
export class BostaProtocolError extends BostaError {}

/** A delivery or webhook object the mapper cannot use (no `_id`, no tracking number, not an object). */
export class BostaMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BostaMappingError';
  }
}
