import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { tenantCtx } from '../platform/http/auth-hook.js';
import { badRequest, conflict } from '../platform/http/errors.js';
import { IdParams, Strict } from '../platform/http/schema.js';
import { executeService, type ExecutionInput, refundService, shipBack } from '../flows/execute-service.js';
import { type OpenServiceActionInput, openServiceAction, requestReturnPickup } from '../flows/open-service-action.js';
import type { CourierGateway } from '../modules/service/courier.js';
import { actionDto } from '../modules/service/service-actions.dto.js';
import {
  cancelAction,
  customerBriefs,
  listActions,
  patchAction,
  requireAction,
} from '../modules/service/service-actions.service.js';
import { serviceAnalytics } from '../modules/service/service-analytics.js';
import { closeIfVerified } from '../modules/service/service-closure.js';
import { actionContext } from '../modules/service/service-context.js';
import {
  CancelBody,
  CreateActionBody,
  ListActionsQuery,
  MaintenanceBody,
  PatchActionBody,
  RangeQuery,
  RefundBody,
  ReplaceFullBody,
  ReplacePartBody,
} from '../modules/service/service.schemas.js';
import { actorOf, tenantOf } from '../modules/service/service-http.js';
import { applyTransition } from '../modules/service/service-transition.js';
import { inTransaction } from '../platform/db/tenant-ctx.js';
import { TRANSITIONS } from '../modules/service/transitions.js';
import { serviceDashboard } from '../modules/service/service-dashboard.js';

const tags = ['service'];
const NoteBody = Strict({ note: Type.Optional(Type.String({ maxLength: 2000 })) });

/**
 * The service actions API (above the flows it calls, so it lives here rather than in modules/service): create, list, detail with context, change, cancel, execute, analytics. */
export function serviceRoutes(app: FastifyInstance, ctx: AppContext, courier: CourierGateway): void {
  const dto = async (request: FastifyRequest, a: Parameters<typeof actionDto>[0]) =>
    actionDto(a, (await tenantOf(ctx, request)).settings.service, actorOf(request).role);

  app.post(
    '/api/v1/service-actions',
    {
      config: { permission: 'service:write' },
      schema: {
        tags,
        summary:
          'Open a service action and order the Bosta return pickup; send Idempotency-Key to make a double submit harmless',
        body: CreateActionBody,
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (key !== undefined && (typeof key !== 'string' || key.length < 8 || key.length > 200)) {
        throw badRequest('invalid_idempotency_key', 'Idempotency-Key must be 8 to 200 characters');
      }
      const tenant = await tenantOf(ctx, request);
      const { action, created } = await openServiceAction(tenantCtx(ctx, request), tenant, courier, actorOf(request), {
        ...(request.body as OpenServiceActionInput),
        idempotencyKey: key as string | undefined,
      });
      return reply.status(created ? 201 : 200).send(actionDto(action, tenant.settings.service, actorOf(request).role));
    },
  );

  app.get(
    '/api/v1/service-actions',
    {
      config: { permission: 'service:read' },
      schema: {
        tags,
        summary:
          'Service actions with filters (status list, type, customer, assignee, overdue, flagged, created range)',
        querystring: ListActionsQuery,
      },
    },
    async (request) => {
      const q = request.query as { status?: string; limit?: number; cursor?: string } & Record<string, unknown>;
      const tenant = await tenantOf(ctx, request);
      const page = await listActions(
        tenantCtx(ctx, request),
        {
          ...(q as object),
          status: q.status
            ?.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          limit: q.limit ?? 50,
        } as never,
        tenant.settings.service,
      );
      const customers = await customerBriefs(
        tenantCtx(ctx, request),
        page.items.map((a) => a.customer_id),
      );
      return {
        items: page.items.map((a) => ({
          ...actionDto(a, tenant.settings.service, actorOf(request).role),
          customer: customers.get(a.customer_id) ?? null,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/service-actions/transitions',
    {
      config: { permission: 'service:read' },
      schema: { tags, summary: 'The state table: from, event, to and the roles allowed' },
    },
    async () => ({ transitions: TRANSITIONS }),
  );

  app.get(
    '/api/v1/service-actions/analytics',
    {
      config: { permission: 'service:read' },
      schema: {
        tags,
        summary:
          'Service-cycle analytics (counts, completion, durations, hub quality, reviews, money, hierarchy coverage)',
        querystring: RangeQuery,
      },
    },
    async (request) => {
      const tenant = await tenantOf(ctx, request);
      return serviceAnalytics(
        tenantCtx(ctx, request),
        tenant.settings.service,
        request.query as { from?: string; to?: string },
      );
    },
  );

  app.get(
    '/api/v1/service-actions/dashboard',
    {
      config: { permission: 'service:read' },
      schema: { tags, summary: 'Open actions by stage, overdue and flagged actions, today’s activity, hub quality' },
    },
    async (request) => {
      const tenant = await tenantOf(ctx, request);
      return serviceDashboard(tenantCtx(ctx, request), tenant);
    },
  );

  app.get(
    '/api/v1/service-actions/:id',
    {
      config: { permission: 'service:read' },
      schema: { tags, summary: 'One action with its whole context', params: IdParams },
    },
    async (request) => {
      const scope = tenantCtx(ctx, request);
      const a = await requireAction(scope, (request.params as { id: number }).id);
      return { ...(await dto(request, a)), context: await actionContext(scope, a) };
    },
  );

  app.patch(
    '/api/v1/service-actions/:id',
    {
      config: { permission: 'service:write' },
      schema: { tags, summary: 'Change notes or assignee', params: IdParams, body: PatchActionBody },
    },
    async (request) =>
      dto(
        request,
        await patchAction(
          tenantCtx(ctx, request),
          (request.params as { id: number }).id,
          request.body as { notes?: string; assigneeId?: number | null },
        ),
      ),
  );

  app.post(
    '/api/v1/service-actions/:id/cancel',
    {
      config: { permission: 'service:write' },
      schema: {
        tags,
        summary: 'Cancel with a reason (terminates the return pickup while still possible)',
        params: IdParams,
        body: CancelBody,
      },
    },
    async (request) =>
      dto(
        request,
        await cancelAction(
          tenantCtx(ctx, request),
          courier,
          actorOf(request),
          (request.params as { id: number }).id,
          (request.body as { reason: string }).reason,
        ),
      ),
  );

  const move = (path: string, event: 'request_review' | 'reinspect', summary: string) =>
    app.post(
      `/api/v1/service-actions/:id/${path}`,
      {
        config: { permission: event === 'reinspect' ? 'service:reinspect' : 'service:request_review' },
        schema: { tags, summary, params: IdParams, body: NoteBody },
        // The note is optional, so a bare POST (no body at all) is valid, not a 400.
        preValidation: async (request: FastifyRequest) => {
          request.body ??= {};
        },
      },
      async (request) => {
        const scope = tenantCtx(ctx, request);
        const note = (request.body as { note?: string } | undefined)?.note ?? null;
        const moved = await inTransaction(scope, async (tx) =>
          applyTransition(tx, await requireAction(tx, (request.params as { id: number }).id), event, actorOf(request), {
            note,
          }),
        );
        return dto(request, moved);
      },
    );
  move('request-review', 'request_review', "Ask for a team leader's review of an inspected action");
  move('reinspect', 'reinspect', 'Send a rejected action back to the hub for a new inspection');

  app.post(
    '/api/v1/service-actions/:id/retry-pickup',
    {
      config: { permission: 'service:write' },
      schema: { tags, summary: 'Ask the courier again for a return pickup the courier refused', params: IdParams },
    },
    async (request) => {
      const scope = tenantCtx(ctx, request);
      const a = await requireAction(scope, (request.params as { id: number }).id);
      if (a.status !== 'requested')
        throw conflict(
          'invalid_transition',
          `Service action ${a.number} is ${a.status}; only a requested action waits for its pickup`,
          { status: a.status },
        );
      return dto(
        request,
        await requestReturnPickup(scope, await tenantOf(ctx, request), courier, a, actorOf(request), 'retry_pickup'),
      );
    },
  );

  const execute = (path: string, kind: ExecutionInput['kind'], body: unknown, summary: string) =>
    app.post(
      `/api/v1/service-actions/:id/${path}`,
      { config: { permission: 'service:execute' }, schema: { tags, summary, params: IdParams, body: body as never } },
      async (request) => {
        const input = { ...(request.body as object), kind } as ExecutionInput;
        return dto(
          request,
          await executeService(
            tenantCtx(ctx, request),
            await tenantOf(ctx, request),
            courier,
            actorOf(request),
            (request.params as { id: number }).id,
            input,
          ),
        );
      },
    );
  execute(
    'maintenance',
    'maintenance',
    MaintenanceBody,
    'Repair: parts used, cost, then the delivery back to the customer',
  );
  execute('replace-part', 'replace_part', ReplacePartBody, 'Replace parts, then the delivery back to the customer');
  execute('replace-full', 'replace_full', ReplaceFullBody, 'Send a new product instead');

  app.post(
    '/api/v1/service-actions/:id/retry-outbound',
    {
      config: { permission: 'service:execute' },
      schema: { tags, summary: 'Ask the courier again for the delivery back', params: IdParams },
    },
    async (request) => {
      const scope = tenantCtx(ctx, request);
      const a = await requireAction(scope, (request.params as { id: number }).id);
      return dto(request, await shipBack(scope, await tenantOf(ctx, request), courier, a, actorOf(request)));
    },
  );

  app.post(
    '/api/v1/service-actions/:id/refund',
    {
      config: { permission: 'service:execute' },
      schema: {
        tags,
        summary: 'Record a refund (not above what was paid, except by a manager with a reason)',
        params: IdParams,
        body: RefundBody,
      },
    },
    async (request) =>
      dto(
        request,
        await refundService(
          tenantCtx(ctx, request),
          await tenantOf(ctx, request),
          actorOf(request),
          (request.params as { id: number }).id,
          request.body as { amount: number; reason?: string },
        ),
      ),
  );

  app.post(
    '/api/v1/service-actions/:id/close',
    {
      config: { permission: 'service:close' },
      schema: { tags, summary: 'Close a completed action whose outcome is verified', params: IdParams },
    },
    async (request) => {
      const scope = tenantCtx(ctx, request);
      const closed = await inTransaction(scope, async (tx) =>
        closeIfVerified(tx, await requireAction(tx, (request.params as { id: number }).id)),
      );
      if (closed.status !== 'closed')
        throw conflict(
          'not_verified',
          `Service action ${closed.number} cannot be closed yet: it is ${closed.status}, the delivery back is not delivered, no refund is recorded, or an exception is open`,
          { status: closed.status },
        );
      return dto(request, closed);
    },
  );
}
