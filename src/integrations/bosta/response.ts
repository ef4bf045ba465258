/**
 * Turns one raw HTTP answer from Bosta into either the payload or a typed error with its retry class.
 * Pure: no IO, so the rules of §2.4 (envelope, string/number error codes, array errors) are tested directly.
 */
import { parseRetryAfter } from '../../lib/retry.js';
import {
  BostaAuthError,
  BostaDuplicateReferenceError,
  type BostaError,
  type BostaErrorDetails,
  BostaNotFoundError,
  BostaProtocolError,
  BostaRateLimitError,
  BostaUnavailableError,
  BostaValidationError,
} from './errors.js';

/** How a failed attempt may be retried: `always` (not processed: 429), `idempotent` (5xx, bad body), `never`. */
export type RetryClass = 'always' | 'idempotent' | 'never';

export interface AttemptFailure {
  error: BostaError;
  retry: RetryClass;
  retryAfterMs?: number;
}

export type ResponseOutcome<T> = { ok: true; data: T; body: unknown } | { ok: false; failure: AttemptFailure };

export interface ResponseContext {
  method: string;
  path: string;
  /** Index of this try (0 = first); an 11000 on a later try is flagged as such. */
  attempt: number;
  /** PUT answers `{_id, message}` at the top level without `success` (PySDK). */
  successFlagOptional?: boolean;
  now?: number;
}

const MAX_BODY_IN_ERROR = 2000;

function errorCodeOf(body: unknown): string | undefined {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const code = (body as Record<string, unknown>).errorCode;
    if (code !== undefined && code !== null && code !== '') return String(code);
  }
  return undefined;
}

function messagesOf(body: unknown): string[] {
  if (Array.isArray(body)) {
    return body
      .map((item) => (item && typeof item === 'object' ? (item as Record<string, unknown>).message : item))
      .filter((m): m is string => typeof m === 'string' && m.length > 0);
  }
  if (body && typeof body === 'object') {
    const message = (body as Record<string, unknown>).message;
    if (typeof message === 'string' && message.length > 0) return [message];
  }
  return [];
}

function trimmedBody(body: unknown, text: string): unknown {
  return body === undefined ? text.slice(0, MAX_BODY_IN_ERROR) : body;
}

/** Classifies a response (status, Retry-After header and body text). */
export function interpretResponse<T>(
  status: number,
  retryAfterHeader: string | string[] | undefined,
  text: string,
  ctx: ResponseContext,
): ResponseOutcome<T> {
  let body: unknown;
  let parsed = true;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = false;
  }
  const errorCode = errorCodeOf(body);
  const messages = messagesOf(body);
  const details: BostaErrorDetails = {
    status,
    errorCode,
    method: ctx.method,
    path: ctx.path,
    body: trimmedBody(body, text),
    messages: messages.length > 0 ? messages : undefined,
  };
  const summary = messages[0] ?? `HTTP ${status}`;
  const where = `${ctx.method} ${ctx.path}`;

  if (status >= 200 && status < 300) {
    if (!parsed || body === undefined || typeof body !== 'object' || body === null) {
      const error = new BostaProtocolError(`Bosta answered ${where} with a body that is not JSON`, details);
      return { ok: false, failure: { error, retry: 'idempotent' } };
    }
    const record = body as Record<string, unknown>;
    if (record.success === true) return { ok: true, data: record.data as T, body };
    if (ctx.successFlagOptional && record.success === undefined) {
      return { ok: true, data: (record.data ?? record) as T, body };
    }
    const error = new BostaProtocolError(
      `Bosta answered ${where} with HTTP ${status} but success=false: ${summary}`,
      details,
    );
    return { ok: false, failure: { error, retry: 'never' } };
  }

  if (status === 429) {
    const retryAfterMs = parseRetryAfter(retryAfterHeader, ctx.now);
    const error = new BostaRateLimitError(`Bosta rate limit on ${where}`, { ...details, retryAfterMs });
    return { ok: false, failure: { error, retry: 'always', retryAfterMs } };
  }
  if (status === 401 || status === 403) {
    return {
      ok: false,
      failure: {
        error: new BostaAuthError(`Bosta refused the credentials on ${where}: ${summary}`, details),
        retry: 'never',
      },
    };
  }
  if (status === 404 || errorCode === '1066') {
    return {
      ok: false,
      failure: { error: new BostaNotFoundError(`Not found on ${where}: ${summary}`, details), retry: 'never' },
    };
  }
  if (status >= 500) {
    const retryAfterMs = status === 503 ? parseRetryAfter(retryAfterHeader, ctx.now) : undefined;
    const error = new BostaUnavailableError(`Bosta failed on ${where} with HTTP ${status}: ${summary}`, details);
    return { ok: false, failure: { error, retry: 'idempotent', retryAfterMs } };
  }
  if (errorCode === '11000') {
    const error = new BostaDuplicateReferenceError(`Duplicate uniqueBusinessReference on ${where}: ${summary}`, {
      ...details,
      onRetry: ctx.attempt > 0,
    });
    return { ok: false, failure: { error, retry: 'never' } };
  }
  const error = new BostaValidationError(`Bosta rejected ${where}: ${summary}`, details);
  return { ok: false, failure: { error, retry: 'never' } };
}
