import type { SecretBox } from '../../platform/auth/secret-box.js';
import { inTransaction, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { validEventPattern } from '../../platform/events/event-filter.js';
import { PING_EVENT_TYPE, webhookBody } from '../../platform/events/signature.js';
import { badRequest, conflict, notFound, unprocessable } from '../../platform/http/errors.js';
import { nonPublicHost } from '../../platform/http/public-address.js';
import { randomToken } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';
import { findTenantById } from '../tenants/tenants.repo.js';
import {
  deleteWebhookAndDeliveries,
  findDelivery,
  findWebhook,
  insertDelivery,
  insertWebhook,
  requeueFailedDelivery,
  updateWebhook,
  type Webhook,
  type WebhookDelivery,
} from './webhooks.repo.js';
import { MAX_EVENT_PATTERNS, MAX_URL_LENGTH, type NewWebhook, type WebhookPatch } from './webhooks.schemas.js';

/** Where a subscription may point: the public internet only, unless the deployment allows its own networks. */
export interface WebhookTargets {
  allowPrivate: boolean;
}

function checkUrl(raw: string, targets: WebhookTargets): string {
  const url = raw.trim();
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw badRequest('invalid_url', 'The webhook URL is not a valid absolute URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw badRequest('invalid_url', `The webhook URL must use http or https, not "${u.protocol.replace(/:$/, '')}"`);
  }
  // Credentials in the URL would be stored and shown in clear; receivers authenticate us by the signature.
  if (u.username || u.password)
    throw badRequest('invalid_url', 'The webhook URL must not contain a user name or password');
  if (url.length > MAX_URL_LENGTH)
    throw badRequest('invalid_url', `The webhook URL is longer than ${MAX_URL_LENGTH} characters`);
  const refused = targets.allowPrivate ? null : nonPublicHost(u);
  if (refused) {
    throw unprocessable('webhook_url_not_public', `The webhook URL must reach the public internet: ${refused}`);
  }
  return url;
}

function checkPatterns(patterns: string[]): string[] {
  const unique = [...new Set(patterns)];
  const bad = unique.filter((p) => !validEventPattern(p));
  if (bad.length) {
    throw badRequest('invalid_event_type', `Invalid event type pattern "${bad[0]}": use order.created, order.* or *`, {
      patterns: bad,
    });
  }
  if (unique.length === 0 || unique.length > MAX_EVENT_PATTERNS) {
    throw badRequest('invalid_event_type', `Give between 1 and ${MAX_EVENT_PATTERNS} event type patterns`);
  }
  return unique;
}

/** A new signing secret: `whsec_` and 256 random bits. */
function newSecret(): string {
  return `whsec_${randomToken(32)}`;
}

/** Creates a subscription; its signing secret is returned here and stored only encrypted. */
export async function createWebhook(
  ctx: TenantCtx,
  secrets: SecretBox,
  input: NewWebhook,
  targets: WebhookTargets,
): Promise<{ webhook: Webhook; secret: string }> {
  const secret = newSecret();
  const webhook = await insertWebhook(ctx, {
    url: checkUrl(input.url, targets),
    eventTypes: checkPatterns(input.eventTypes),
    description: input.description?.trim() || null,
    active: input.active ?? true,
    secretEnc: secrets.encrypt(secret),
    now: nowIso(),
  });
  return { webhook, secret };
}

export async function getWebhook(ctx: TenantCtx, id: number): Promise<Webhook> {
  const w = await findWebhook(ctx, id);
  if (!w) throw notFound('webhook');
  return w;
}

/** A field's value before and after a change, for the audit log. */
export type WebhookChanges = Partial<Record<keyof WebhookPatch, { from: unknown; to: unknown }>>;

/** Changes URL, filter, description or status; returns the result and what actually changed. */
export async function changeWebhook(
  ctx: TenantCtx,
  id: number,
  patch: WebhookPatch,
  targets: WebhookTargets,
): Promise<{ webhook: Webhook; changes: WebhookChanges }> {
  const before = await getWebhook(ctx, id);
  await updateWebhook(ctx, id, {
    url: patch.url !== undefined ? checkUrl(patch.url, targets) : undefined,
    eventTypes: patch.eventTypes !== undefined ? checkPatterns(patch.eventTypes) : undefined,
    description: patch.description === undefined ? undefined : patch.description?.trim() || null,
    active: patch.active,
    now: nowIso(),
  });
  const webhook = await getWebhook(ctx, id);
  const changes: WebhookChanges = {};
  for (const key of ['url', 'eventTypes', 'description', 'active'] as const) {
    if (JSON.stringify(before[key]) !== JSON.stringify(webhook[key]))
      changes[key] = { from: before[key], to: webhook[key] };
  }
  return { webhook, changes };
}

/**
 * Deletes a subscription and its delivery log outright (the audit log keeps the fact). Pending deliveries go
 * with it, which is their cancellation; a send already in flight finishes, and its result is discarded.
 */
export async function deleteWebhook(ctx: TenantCtx, id: number): Promise<Webhook> {
  const webhook = await getWebhook(ctx, id);
  await inTransaction(ctx, (tx) => deleteWebhookAndDeliveries(tx, id));
  return webhook;
}

/** Replaces the signing secret at once (deliveries sent from now on use the new one); returns it this once. */
export async function rotateWebhookSecret(
  ctx: TenantCtx,
  secrets: SecretBox,
  id: number,
): Promise<{ webhook: Webhook; secret: string }> {
  await getWebhook(ctx, id);
  const secret = newSecret();
  await updateWebhook(ctx, id, { secretEnc: secrets.encrypt(secret), now: nowIso() });
  return { webhook: await getWebhook(ctx, id), secret };
}

/** Queues a `webhook.ping` delivery to the subscription, sent by the next sender poll. */
export async function queuePing(ctx: TenantCtx, id: number): Promise<WebhookDelivery> {
  const webhook = await getWebhook(ctx, id);
  if (!webhook.active) throw unprocessable('webhook_inactive', 'Activate the webhook before sending it a test ping');
  const tenant = await findTenantById(ctx.db, ctx.tenantId);
  const now = nowIso();
  const body = webhookBody({
    id: null,
    type: PING_EVENT_TYPE,
    occurredAt: now,
    tenant: tenant?.slug,
    data: {
      webhookId: webhook.id,
      message: 'Test ping from Orderloop: your endpoint is reachable and the signature verifies.',
    },
  });
  return insertDelivery(ctx, {
    webhookId: webhook.id,
    eventId: null,
    eventType: PING_EVENT_TYPE,
    body: JSON.stringify(body),
    now,
  });
}

/**
 * Re-queues a failed delivery for one more attempt now. Its 24-hour retry window counts from creation, so
 * if that attempt fails too the delivery is failed again rather than retried for another day.
 */
export async function retryDelivery(ctx: TenantCtx, deliveryId: number): Promise<WebhookDelivery> {
  const delivery = await findDelivery(ctx, deliveryId);
  if (!delivery) throw notFound('webhook_delivery');
  if (delivery.status !== 'failed') {
    throw conflict('delivery_not_retryable', `Only failed deliveries can be retried; this one is ${delivery.status}`);
  }
  const webhook = await getWebhook(ctx, delivery.webhookId);
  if (!webhook.active) throw unprocessable('webhook_inactive', 'Activate the webhook before retrying its deliveries');
  if (!(await requeueFailedDelivery(ctx, deliveryId, nowIso()))) {
    throw conflict('delivery_not_retryable', 'The delivery changed meanwhile; reload it');
  }
  return (await findDelivery(ctx, deliveryId))!;
}
