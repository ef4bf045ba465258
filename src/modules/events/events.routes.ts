import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { tenantCtx } from '../../platform/http/auth-hook.js';
import { listEvents } from './events.repo.js';
import { EventPage, EventsQuery, type EventsQueryInput } from './events.schemas.js';

export function eventRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/events',
    {
      config: { permission: 'events:read' },
      schema: {
        tags: ['events'],
        summary: 'Domain events of the tenant (the outbox), newest first; `type` accepts `order.*` and `*`',
        querystring: EventsQuery,
        response: { 200: EventPage },
      },
    },
    async (request) => {
      const q = request.query as EventsQueryInput;
      return listEvents(tenantCtx(ctx, request), { ...q, limit: q.limit ?? 50 });
    },
  );
}
