import type { FastifyInstance } from 'fastify';
import type { AppContext } from './platform/context.js';
import { OUTBOX_LAG_METRIC, outboxLagSeconds } from './platform/events/dispatcher.js';
import { createServer } from './platform/http/server.js';
import { registerWebApp } from './platform/http/web-app.js';
import { BostaCourier } from './integrations/bosta/bosta-courier.js';
import { bostaRoutes } from './integrations/bosta/bosta.routes.js';
import { bostaWebhookRoutes } from './integrations/bosta/webhook.routes.js';
import { hubRoutes } from './modules/service/hub.routes.js';
import { reviewRoutes } from './modules/service/reviews.routes.js';
import { customerMergeRoutes } from './routes/customer-merge.routes.js';
import { serviceRoutes } from './routes/service-actions.routes.js';
import { apiKeyRoutes } from './modules/api-keys/api-keys.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { customerRoutes } from './modules/customers/customers.routes.js';
import { eventRoutes } from './modules/events/events.routes.js';
import { hierarchyRoutes } from './modules/hierarchy/hierarchy.routes.js';
import { interactionRoutes } from './modules/interactions/interactions.routes.js';
import { orderRoutes } from './modules/orders/orders.routes.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { tenantRoutes } from './modules/tenants/tenants.routes.js';
import { userRoutes } from './modules/users/users.routes.js';
import { webhookRoutes } from './modules/webhooks/webhooks.routes.js';

/** Every module's routes, in one list: adding an area means adding its registrar here. */
const ROUTES: Array<(app: FastifyInstance, ctx: AppContext) => void> = [
  systemRoutes,
  authRoutes,
  userRoutes,
  apiKeyRoutes,
  auditRoutes,
  tenantRoutes,
  orderRoutes,
  hierarchyRoutes,
  customerRoutes,
  customerMergeRoutes,
  interactionRoutes,
  bostaRoutes,
  bostaWebhookRoutes,
  eventRoutes,
  webhookRoutes,
  (app, ctx) => serviceRoutes(app, ctx, new BostaCourier(ctx)),
  hubRoutes,
  reviewRoutes,
];

/** Builds the HTTP application on a ready context (used by `serve` and by tests through `inject`). */
export async function buildApp(
  ctx: AppContext,
  opts: { extraRoutes?: (app: FastifyInstance) => void } = {},
): Promise<FastifyInstance> {
  const app = await createServer(ctx);
  ctx.metrics.gauge('orderloop_job_queue_depth', 'Jobs waiting to run', () => ctx.jobs.depth());
  // API-only processes report the outbox lag too: it is read from the database, not from a dispatcher.
  ctx.metrics.gauge(OUTBOX_LAG_METRIC, 'Age of the oldest undispatched outbox event (0 when none)', () =>
    outboxLagSeconds(ctx.database),
  );
  for (const register of ROUTES) register(app, ctx);
  await registerWebApp(app);
  opts.extraRoutes?.(app);
  await app.ready();
  return app;
}
