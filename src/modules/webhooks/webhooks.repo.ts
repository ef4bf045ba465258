import type { Selectable } from 'kysely';
import { bool, parseJson } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import type { DeliveryStatus } from './webhooks.schemas.js';

export interface Webhook {
  id: number;
  url: string;
  description: string | null;
  eventTypes: string[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDelivery {
  id: number;
  webhookId: number;
  eventId: number | null;
  eventType: string;
  status: string;
  attempts: number;
  /** Null once the delivery is settled (delivered, failed, cancelled). */
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastResponse: string | null;
  payload: unknown;
  createdAt: string;
  deliveredAt: string | null;
}

/** The secret never leaves this file in a read: it is written encrypted and only the sender decrypts it. */
const WEBHOOK_COLUMNS = ['id', 'url', 'description', 'event_types', 'active', 'created_at', 'updated_at'] as const;

function toWebhook(r: Pick<Selectable<DB['webhook_subscriptions']>, (typeof WEBHOOK_COLUMNS)[number]>): Webhook {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    eventTypes: parseJson<string[]>(r.event_types, []),
    active: bool(r.active),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toDelivery(r: Selectable<DB['webhook_deliveries']>): WebhookDelivery {
  return {
    id: r.id,
    webhookId: r.subscription_id,
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    lastResponse: r.last_response,
    payload: parseJson(r.payload, null),
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  };
}

export async function listWebhooks(ctx: TenantCtx): Promise<Webhook[]> {
  const rows = await ctx.db
    .selectFrom('webhook_subscriptions')
    .select(WEBHOOK_COLUMNS)
    .where('tenant_id', '=', ctx.tenantId)
    .orderBy('id')
    .execute();
  return rows.map(toWebhook);
}

export async function findWebhook(ctx: TenantCtx, id: number): Promise<Webhook | null> {
  const r = await ctx.db
    .selectFrom('webhook_subscriptions')
    .select(WEBHOOK_COLUMNS)
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toWebhook(r) : null;
}

export async function insertWebhook(
  ctx: TenantCtx,
  w: { url: string; description: string | null; eventTypes: string[]; active: boolean; secretEnc: string; now: string },
): Promise<Webhook> {
  const r = await ctx.db
    .insertInto('webhook_subscriptions')
    .values({
      tenant_id: ctx.tenantId,
      url: w.url,
      description: w.description,
      secret_enc: w.secretEnc,
      event_types: JSON.stringify(w.eventTypes),
      active: w.active,
      created_at: w.now,
      updated_at: w.now,
    })
    .returning(WEBHOOK_COLUMNS)
    .executeTakeFirstOrThrow();
  return toWebhook(r);
}

export async function updateWebhook(
  ctx: TenantCtx,
  id: number,
  patch: {
    url?: string;
    description?: string | null;
    eventTypes?: string[];
    active?: boolean;
    secretEnc?: string;
    now: string;
  },
): Promise<void> {
  await ctx.db
    .updateTable('webhook_subscriptions')
    .set({
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.eventTypes !== undefined ? { event_types: JSON.stringify(patch.eventTypes) } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      ...(patch.secretEnc !== undefined ? { secret_enc: patch.secretEnc } : {}),
      updated_at: patch.now,
    })
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .execute();
}

/**
 * Deletes a subscription together with its deliveries (run inside a transaction). On PostgreSQL the row is
 * locked first so a dispatcher batch in flight (which holds it FOR KEY SHARE) finishes before the deliveries
 * are removed, and a later batch no longer sees the subscription.
 */
export async function deleteWebhookAndDeliveries(ctx: TenantCtx, id: number): Promise<void> {
  if (ctx.dialect === 'postgres') {
    await ctx.db
      .selectFrom('webhook_subscriptions')
      .select('id')
      .where('tenant_id', '=', ctx.tenantId)
      .where('id', '=', id)
      .forUpdate()
      .execute();
  }
  await ctx.db
    .deleteFrom('webhook_deliveries')
    .where('tenant_id', '=', ctx.tenantId)
    .where('subscription_id', '=', id)
    .execute();
  await ctx.db.deleteFrom('webhook_subscriptions').where('tenant_id', '=', ctx.tenantId).where('id', '=', id).execute();
}

/** Queues a delivery to be sent as soon as a sender polls. */
export async function insertDelivery(
  ctx: TenantCtx,
  d: { webhookId: number; eventId: number | null; eventType: string; body: string; now: string },
): Promise<WebhookDelivery> {
  const r = await ctx.db
    .insertInto('webhook_deliveries')
    .values({
      tenant_id: ctx.tenantId,
      subscription_id: d.webhookId,
      event_id: d.eventId,
      event_type: d.eventType,
      payload: d.body,
      status: 'pending',
      attempts: 0,
      next_attempt_at: d.now,
      created_at: d.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toDelivery(r);
}

export async function findDelivery(ctx: TenantCtx, id: number): Promise<WebhookDelivery | null> {
  const r = await ctx.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toDelivery(r) : null;
}

/** A subscription's deliveries, newest first, keyset-paged by id. */
export async function listDeliveries(
  ctx: TenantCtx,
  webhookId: number,
  f: { status?: DeliveryStatus; limit: number; cursor?: string },
) {
  let q = ctx.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('subscription_id', '=', webhookId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.cursor) q = q.where('id', '<', Number(decodeCursor(f.cursor, 1)[0]));
  const rows = await q
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = pageOf(rows, f.limit, (r) => [r.id]);
  return { items: page.items.map(toDelivery), nextCursor: page.nextCursor };
}

/** Puts a failed delivery back in the queue, due now; false when it was no longer failed. */
export async function requeueFailedDelivery(ctx: TenantCtx, id: number, now: string): Promise<boolean> {
  const r = await ctx.db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now, locked_until: null })
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
