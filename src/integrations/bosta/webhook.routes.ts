import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { safeEqual } from '../../platform/auth/keys.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, unauthorized } from '../../platform/http/errors.js';
import { findConnection } from '../../modules/integrations/connections.repo.js';
import { findTenantBySlug } from '../../modules/tenants/tenants.repo.js';
import { BOSTA } from './connection.js';
import { BostaMappingError } from './errors.js';
import type { BostaWebhookPayload } from './types.js';
import { applyBostaWebhook } from './webhook.js';

/**
 * `POST /hooks/bosta/:tenantSlug`: Bosta signs nothing, so the only proof is the secret header configured
 * in its dashboard. Wrong or missing → 401 and nothing stored. Answers as soon as the change is committed.
 */
export function bostaWebhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/hooks/bosta/:tenantSlug',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['integrations'],
        summary: 'Bosta state-change webhook (authenticated by the configured secret header)',
        security: [],
        params: Type.Object({ tenantSlug: Type.String({ maxLength: 48 }) }, { additionalProperties: false }),
        body: Type.Object({}, { additionalProperties: true }),
      },
    },
    async (request) => {
      const slug = (request.params as { tenantSlug: string }).tenantSlug;
      const tenant = await findTenantBySlug(ctx.database.db, slug);
      const connection = tenant
        ? await findConnection(
            { tenantId: tenant.id, db: ctx.database.db, dialect: ctx.database.dialect },
            ctx.secrets,
            BOSTA,
          )
        : null;
      const expected = connection?.credentials.webhookSecret;
      const given = connection ? request.headers[connection.settings.webhookHeader] : undefined;
      if (!tenant || !expected || typeof given !== 'string' || !safeEqual(given, expected)) {
        throw unauthorized('Unknown tenant or wrong webhook secret', 'invalid_webhook_secret');
      }
      try {
        const outcome = await applyBostaWebhook(ctx, tenant, request.body as BostaWebhookPayload);
        return { ok: true, outcome };
      } catch (e) {
        if (e instanceof BostaMappingError) throw badRequest('invalid_webhook', e.message);
        throw e;
      }
    },
  );
}
