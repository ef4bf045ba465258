/**
 * The wire format of an outgoing webhook: the JSON body, the headers and the HMAC signature a receiver checks.
 * Pure (the caller passes the clock), so the same code documents and verifies the format in tests.
 *
 * Signature: `Orderloop-Signature: v1=<hex HMAC-SHA256(secret, "<Orderloop-Timestamp>.<raw body>")>`, where the
 * key is the whole secret string as shown at creation (`whsec_…`) and the timestamp is in unix seconds.
 */
import { hmacSha256Hex, safeEqual } from '../auth/keys.js';

export const SIGNATURE_HEADER = 'Orderloop-Signature';
export const TIMESTAMP_HEADER = 'Orderloop-Timestamp';
export const EVENT_HEADER = 'Orderloop-Event';
export const DELIVERY_HEADER = 'Orderloop-Delivery';
export const EVENT_ID_HEADER = 'Orderloop-Event-Id';
export const WEBHOOK_USER_AGENT = 'Orderloop-Webhooks/1';
export const PING_EVENT_TYPE = 'webhook.ping';

/** What every delivery POSTs. `id` is the outbox event id (null for a test ping, which is no stored event). */
export interface WebhookBody {
  id: number | null;
  type: string;
  occurredAt: string;
  tenant?: string;
  data: unknown;
}

/** Builds the body with its keys in the documented order. */
export function webhookBody(e: {
  id: number | null;
  type: string;
  occurredAt: string;
  tenant?: string | null;
  data: unknown;
}): WebhookBody {
  const data = e.data ?? null;
  return e.tenant
    ? { id: e.id, type: e.type, occurredAt: e.occurredAt, tenant: e.tenant, data }
    : { id: e.id, type: e.type, occurredAt: e.occurredAt, data };
}

/** `v1=<hex>`: the signature of `<timestamp>.<body>` under the subscription's secret. */
export function signWebhook(secret: string, timestamp: number | string, body: string): string {
  return `v1=${hmacSha256Hex(secret, `${timestamp}.${body}`)}`;
}

/** The headers of one delivery attempt (`timestamp` in unix seconds, taken at send time). */
export function webhookHeaders(a: {
  secret: string;
  timestamp: number;
  body: string;
  eventType: string;
  deliveryId: number;
  eventId: number | null;
}): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': WEBHOOK_USER_AGENT,
    [SIGNATURE_HEADER.toLowerCase()]: signWebhook(a.secret, a.timestamp, a.body),
    [TIMESTAMP_HEADER.toLowerCase()]: String(a.timestamp),
    [EVENT_HEADER.toLowerCase()]: a.eventType,
    [DELIVERY_HEADER.toLowerCase()]: String(a.deliveryId),
  };
  if (a.eventId !== null) headers[EVENT_ID_HEADER.toLowerCase()] = String(a.eventId);
  return headers;
}

/**
 * Checks a received delivery: the timestamp is within `toleranceSeconds` of `now` (ms since the epoch), and one
 * of the `v1=` signatures in the header (comma-separated) matches. Constant-time in the signature comparison.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  timestamp: string | number | null | undefined,
  body: string,
  opts: { now: number; toleranceSeconds?: number },
): boolean {
  if (!header || timestamp === null || timestamp === undefined) return false;
  const ts = String(timestamp).trim();
  if (!/^\d{1,12}$/.test(ts)) return false;
  const tolerance = opts.toleranceSeconds ?? 300;
  if (Math.abs(opts.now / 1000 - Number(ts)) > tolerance) return false;
  const expected = signWebhook(secret, ts, body);
  let ok = false;
  // Every candidate is compared (no early exit) so timing does not reveal which one matched.
  for (const candidate of header.split(',')) {
    if (safeEqual(candidate.trim(), expected)) ok = true;
  }
  return ok;
}
