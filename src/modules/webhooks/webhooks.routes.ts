import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { tenantCtx } from '../../platform/http/auth-hook.js';
import { IdParams } from '../../platform/http/schema.js';
import { recordAudit } from '../audit/audit.repo.js';
import { listDeliveries, listWebhooks } from './webhooks.repo.js';
import {
  CreateWebhookBody,
  DeliveriesQuery,
  DeliveryDto,
  DeliveryPage,
  DeliveryParams,
  type DeliveryStatus,
  type NewWebhook,
  UpdateWebhookBody,
  WebhookDto,
  WebhookWithSecret,
  type WebhookPatch,
} from './webhooks.schemas.js';
import {
  changeWebhook,
  createWebhook,
  deleteWebhook,
  getWebhook,
  queuePing,
  retryDelivery,
  rotateWebhookSecret,
} from './webhooks.service.js';

const tags = ['webhooks'];
const idOf = (request: { params: unknown }) => (request.params as { id: number }).id;

export function webhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const targets = { allowPrivate: ctx.config.webhookAllowPrivateTargets };
  app.get(
    '/api/v1/webhooks',
    {
      config: { permission: 'webhooks:read' },
      schema: {
        tags,
        summary: 'Webhook subscriptions (secrets are never shown again)',
        response: { 200: Type.Object({ items: Type.Array(WebhookDto) }) },
      },
    },
    async (request) => ({ items: await listWebhooks(tenantCtx(ctx, request)) }),
  );
  app.get(
    '/api/v1/webhooks/:id',
    { config: { permission: 'webhooks:read' }, schema: { tags, params: IdParams, response: { 200: WebhookDto } } },
    async (request) => getWebhook(tenantCtx(ctx, request), idOf(request)),
  );
  app.post(
    '/api/v1/webhooks',
    {
      config: { permission: 'webhooks:write' },
      schema: {
        tags,
        summary: 'Subscribe a URL to events; `secret` (the signing key) is in this response only',
        body: CreateWebhookBody,
        response: { 201: WebhookWithSecret },
      },
    },
    async (request, reply) => {
      const out = await createWebhook(tenantCtx(ctx, request), ctx.secrets, request.body as NewWebhook, targets);
      const w = out.webhook;
      await recordAudit(db, request, {
        action: 'webhook.created',
        targetType: 'webhook',
        targetId: String(w.id),
        details: { url: w.url, eventTypes: w.eventTypes, active: w.active },
      });
      return reply.status(201).send(out);
    },
  );
  app.patch(
    '/api/v1/webhooks/:id',
    {
      config: { permission: 'webhooks:write' },
      schema: {
        tags,
        summary: 'Change URL, event types, description or active',
        params: IdParams,
        body: UpdateWebhookBody,
        response: { 200: WebhookDto },
      },
    },
    async (request) => {
      const { webhook, changes } = await changeWebhook(
        tenantCtx(ctx, request),
        idOf(request),
        request.body as WebhookPatch,
        targets,
      );
      if (Object.keys(changes).length) {
        await recordAudit(db, request, {
          action: 'webhook.updated',
          targetType: 'webhook',
          targetId: String(webhook.id),
          details: changes,
        });
      }
      return webhook;
    },
  );
  app.delete(
    '/api/v1/webhooks/:id',
    {
      config: { permission: 'webhooks:write' },
      schema: {
        tags,
        summary: 'Delete a subscription with its delivery log; pending deliveries are dropped',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const w = await deleteWebhook(tenantCtx(ctx, request), idOf(request));
      await recordAudit(db, request, {
        action: 'webhook.deleted',
        targetType: 'webhook',
        targetId: String(w.id),
        details: { url: w.url },
      });
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/v1/webhooks/:id/rotate-secret',
    {
      config: { permission: 'webhooks:write' },
      schema: {
        tags,
        summary: 'Replace the signing secret now; the new `secret` is in this response only',
        params: IdParams,
        response: { 200: WebhookWithSecret },
      },
    },
    async (request) => {
      const out = await rotateWebhookSecret(tenantCtx(ctx, request), ctx.secrets, idOf(request));
      await recordAudit(db, request, {
        action: 'webhook.secret_rotated',
        targetType: 'webhook',
        targetId: String(out.webhook.id),
      });
      return out;
    },
  );
  app.post(
    '/api/v1/webhooks/:id/test',
    {
      config: { permission: 'webhooks:write' },
      schema: {
        tags,
        summary: 'Queue a signed `webhook.ping` delivery to the URL now',
        params: IdParams,
        response: { 202: DeliveryDto },
      },
    },
    async (request, reply) => reply.status(202).send(await queuePing(tenantCtx(ctx, request), idOf(request))),
  );
  app.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      config: { permission: 'webhooks:read' },
      schema: {
        tags,
        summary: 'Delivery log of a subscription, newest first',
        params: IdParams,
        querystring: DeliveriesQuery,
        response: { 200: DeliveryPage },
      },
    },
    async (request) => {
      const tctx = tenantCtx(ctx, request);
      const webhook = await getWebhook(tctx, idOf(request));
      const q = request.query as { limit?: number; cursor?: string; status?: DeliveryStatus };
      return listDeliveries(tctx, webhook.id, { ...q, limit: q.limit ?? 50 });
    },
  );
  app.post(
    '/api/v1/webhooks/deliveries/:deliveryId/retry',
    {
      config: { permission: 'webhooks:write' },
      schema: {
        tags,
        summary: 'Queue a failed delivery for one more attempt, now',
        params: DeliveryParams,
        response: { 202: DeliveryDto },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await retryDelivery(tenantCtx(ctx, request), (request.params as { deliveryId: number }).deliveryId)),
  );
}
