import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { tenantCtx } from '../../platform/http/auth-hook.js';
import { IdParams, Strict } from '../../platform/http/schema.js';
import { actionDto } from './service-actions.dto.js';
import { inspectionDto } from './service-actions.repo.js';
import { decideReview, type ReviewDecision, reviewQueue } from './reviews.service.js';
import { ReviewBody } from './service.schemas.js';
import { actorOf, tenantOf } from './service-http.js';

const tags = ['reviews'];

/** The team leader's review queue and decisions. */
export function reviewRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/reviews',
    {
      config: { permission: 'reviews:read' },
      schema: {
        tags,
        summary: 'Inspections waiting for a team leader, oldest first',
        querystring: Strict({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })) }),
      },
    },
    async (request) => ({
      items: await reviewQueue(tenantCtx(ctx, request), (request.query as { limit?: number }).limit ?? 100),
    }),
  );

  app.post(
    '/api/v1/reviews/:id',
    {
      config: { permission: 'reviews:decide' },
      schema: {
        tags,
        summary:
          'Decide on the inspection of service action `:id`: approved, rejected or requires_changes (back to the hub)',
        params: IdParams,
        body: ReviewBody,
      },
    },
    async (request) => {
      const tenant = await tenantOf(ctx, request);
      const out = await decideReview(
        tenantCtx(ctx, request),
        actorOf(request),
        (request.params as { id: number }).id,
        request.body as { decision: ReviewDecision; notes?: string },
      );
      return {
        action: actionDto(out.action, tenant.settings.service, actorOf(request).role),
        inspection: inspectionDto(out.inspection),
      };
    },
  );
}
