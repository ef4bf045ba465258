import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { principalOf, tenantCtx } from '../../platform/http/auth-hook.js';
import { IdParams, Strict } from '../../platform/http/schema.js';
import { nowIso } from '../../lib/time.js';
import { liveCustomer } from '../customers/customers.service.js';
import { instantRange } from '../orders/order-filters.js';
import { requestTenant } from '../tenants/request-tenant.js';
import type { Tenant } from '../tenants/tenants.repo.js';
import { callRoutes } from './calls.routes.js';
import { assigneeFilter } from './desk-assignee.js';
import { deskDashboard } from './desk-dashboard.js';
import { dueFollowUps } from './follow-ups.js';
import { type InteractionFilter, listInteractions } from './interactions.repo.js';
import {
  CreateInteractionBody,
  CustomerInteractionsQuery,
  DashboardDto,
  FollowUpsDto,
  FollowUpsQuery,
  InteractionDto,
  InteractionListQuery,
  InteractionPage,
  UpdateInteractionBody,
} from './interactions.schemas.js';
import { changeInteraction, createInteraction, getInteraction } from './interactions.service.js';
import { customerFamily } from './parties.repo.js';

const tags = ['interactions'];
const read = { permission: 'interactions:read' as const };
const write = { permission: 'interactions:write' as const };

const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;
const statusList = (s: string | undefined) => (s === undefined ? undefined : [...new Set(s.split(','))]);

/** The desk list's query in column terms; `assignee=me` is the caller, dates are the tenant's days. */
async function deskFilter(
  tctx: TenantCtx,
  request: FastifyRequest,
  q: Static<typeof InteractionListQuery>,
  tenant: Tenant,
  now: string,
): Promise<InteractionFilter> {
  return {
    statuses: statusList(q.status),
    type: q.type,
    priority: q.priority,
    channel: q.channel,
    assigneeId: assigneeFilter(q.assignee, principalOf(request)),
    customerIds: q.customerId === undefined ? undefined : await customerFamily(tctx, q.customerId),
    overdue: q.overdue === undefined ? undefined : { value: q.overdue, now },
    created: instantRange(q.createdFrom, q.createdTo, tenant.timeZone, 'created'),
    search: q.search?.trim() || undefined,
  };
}

/** The customer-service desk: interactions, their follow-ups, the dashboard, and scheduled calls. */
export function interactionRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/interactions',
    {
      config: read,
      schema: {
        tags,
        summary: 'Interactions (tickets), filtered, newest first, keyset-paged',
        querystring: InteractionListQuery,
        response: { 200: InteractionPage },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof InteractionListQuery>;
      const { tctx, tenant } = await requestTenant(ctx, request);
      const now = nowIso();
      const filter = await deskFilter(tctx, request, q, tenant, now);
      return listInteractions(tctx, filter, { limit: q.limit ?? 50, cursor: q.cursor }, now);
    },
  );
  app.get(
    '/api/v1/interactions/dashboard',
    {
      config: read,
      schema: {
        tags,
        summary: "Open work by status and priority, the caller's queue, overdue items and today's activity",
        querystring: Strict({}),
        response: { 200: DashboardDto },
      },
    },
    async (request) => {
      const { tctx, tenant } = await requestTenant(ctx, request);
      return deskDashboard(tctx, { now: nowIso(), timeZone: tenant.timeZone, userId: principalOf(request).userId });
    },
  );
  app.get(
    '/api/v1/follow-ups',
    {
      config: read,
      schema: {
        tags,
        summary: 'Follow-ups and scheduled calls due today or overdue, oldest first',
        querystring: FollowUpsQuery,
        response: { 200: FollowUpsDto },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof FollowUpsQuery>;
      const { tctx, tenant } = await requestTenant(ctx, request);
      const assigneeId = assigneeFilter(q.assignee, principalOf(request));
      return dueFollowUps(tctx, { now: nowIso(), timeZone: tenant.timeZone, assigneeId, limit: q.limit ?? 100 });
    },
  );
  registerInteractionRoutes(app, ctx);
  registerCustomerInteractionRoutes(app, ctx);
  callRoutes(app, ctx);
}

function registerInteractionRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/interactions/:id',
    {
      config: read,
      schema: { tags, summary: 'One interaction', params: IdParams, response: { 200: InteractionDto } },
    },
    async (request) => getInteraction(tenantCtx(ctx, request), idOf(request), nowIso()),
  );
  app.patch(
    '/api/v1/interactions/:id',
    {
      config: write,
      schema: {
        tags,
        summary:
          'Change status, assignee, priority, follow-up, resolution or satisfaction; 409 invalid_transition ' +
          '(closed is final), 422 invalid_assignee',
        params: IdParams,
        body: UpdateInteractionBody,
        response: { 200: InteractionDto },
      },
    },
    async (request) => {
      const body = request.body as Static<typeof UpdateInteractionBody>;
      return changeInteraction(tenantCtx(ctx, request), idOf(request), body, nowIso());
    },
  );
}

function registerCustomerInteractionRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/customers/:id/interactions',
    {
      config: read,
      schema: {
        tags,
        summary: "A customer's interactions, newest first (a merged customer's history included)",
        params: IdParams,
        querystring: CustomerInteractionsQuery,
        response: { 200: InteractionPage },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof CustomerInteractionsQuery>;
      const tctx = tenantCtx(ctx, request);
      const { customer } = await liveCustomer(tctx, idOf(request));
      const filter: InteractionFilter = {
        customerIds: await customerFamily(tctx, customer.id),
        type: q.type,
        statuses: statusList(q.status),
      };
      return listInteractions(tctx, filter, { limit: q.limit ?? 50, cursor: q.cursor }, nowIso());
    },
  );
  app.post(
    '/api/v1/customers/:id/interactions',
    {
      config: write,
      schema: {
        tags,
        summary: 'Log an interaction for a customer (201); 422 invalid_assignee',
        params: IdParams,
        body: CreateInteractionBody,
        response: { 201: InteractionDto },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof CreateInteractionBody>;
      const createdBy = principalOf(request).userId;
      const created = await createInteraction(tenantCtx(ctx, request), idOf(request), body, createdBy, nowIso());
      return reply.status(201).send(created);
    },
  );
}
