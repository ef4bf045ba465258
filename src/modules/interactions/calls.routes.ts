import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { principalOf, tenantCtx } from '../../platform/http/auth-hook.js';
import { IdParams } from '../../platform/http/schema.js';
import { nowIso } from '../../lib/time.js';
import { type InstantRange, instantRange } from '../orders/order-filters.js';
import { requestTenant } from '../tenants/request-tenant.js';
import type { Tenant } from '../tenants/tenants.repo.js';
import { type CallFilter, listCalls } from './calls.repo.js';
import {
  CallDto,
  CallListQuery,
  CallPage,
  CancelCallBody,
  CompleteCallBody,
  CompleteCallResultDto,
  ScheduleCallBody,
} from './calls.schemas.js';
import { cancelCall, completeCall, getCall, scheduleCall } from './calls.service.js';
import { assigneeFilter } from './desk-assignee.js';
import { dayWindow, todayWindow } from './desk-day.js';
import { customerFamily } from './parties.repo.js';

const tags = ['interactions'];
const read = { permission: 'interactions:read' as const };
const write = { permission: 'interactions:write' as const };

const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;

/** `day` (today or a date, in the tenant's time zone) narrows the from/to range; both may be given. */
function scheduledRange(q: Static<typeof CallListQuery>, tenant: Tenant, now: string): InstantRange | undefined {
  const range = instantRange(q.from, q.to, tenant.timeZone, 'scheduled');
  if (q.day === undefined) return range;
  const day = q.day === 'today' ? todayWindow(now, tenant.timeZone) : dayWindow(q.day, tenant.timeZone);
  const from = range?.from && range.from > day.from ? range.from : day.from;
  return { ...range, from, before: range?.before && range.before < day.before ? range.before : day.before };
}

async function callFilter(
  tctx: TenantCtx,
  request: FastifyRequest,
  q: Static<typeof CallListQuery>,
  tenant: Tenant,
  now: string,
): Promise<CallFilter> {
  return {
    statuses: q.status === undefined ? undefined : [...new Set(q.status.split(','))],
    assigneeId: assigneeFilter(q.assignee, principalOf(request)),
    customerIds: q.customerId === undefined ? undefined : await customerFamily(tctx, q.customerId),
    interactionId: q.interactionId,
    scheduled: scheduledRange(q, tenant, now),
  };
}

/** Scheduled calls: schedule, list (agenda order), read, complete and cancel. */
export function callRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/calls',
    {
      config: write,
      schema: {
        tags,
        summary: 'Schedule a call (201); 422 scheduled_in_past (over 5 minutes), invalid_assignee',
        body: ScheduleCallBody,
        response: { 201: CallDto },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof ScheduleCallBody>;
      const actor = { userId: principalOf(request).userId };
      return reply.status(201).send(await scheduleCall(tenantCtx(ctx, request), body, actor, nowIso()));
    },
  );
  app.get(
    '/api/v1/calls',
    {
      config: read,
      schema: {
        tags,
        summary: 'Scheduled calls, earliest first, keyset-paged; day=today uses the tenant time zone',
        querystring: CallListQuery,
        response: { 200: CallPage },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof CallListQuery>;
      const { tctx, tenant } = await requestTenant(ctx, request);
      const now = nowIso();
      const filter = await callFilter(tctx, request, q, tenant, now);
      return listCalls(tctx, filter, { limit: q.limit ?? 50, cursor: q.cursor }, now);
    },
  );
  registerCallRoutes(app, ctx);
}

function registerCallRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/calls/:id',
    { config: read, schema: { tags, summary: 'One scheduled call', params: IdParams, response: { 200: CallDto } } },
    async (request) => getCall(tenantCtx(ctx, request), idOf(request), nowIso()),
  );
  app.post(
    '/api/v1/calls/:id/complete',
    {
      config: write,
      schema: {
        tags,
        summary:
          'Complete a call with its outcome; 409 call_not_scheduled. A follow-up date moves the linked open ' +
          "interaction's follow-up, else opens a follow_up interaction",
        params: IdParams,
        body: CompleteCallBody,
        response: { 200: CompleteCallResultDto },
      },
    },
    async (request) => {
      const body = request.body as Static<typeof CompleteCallBody>;
      const actor = { userId: principalOf(request).userId };
      return completeCall(tenantCtx(ctx, request), idOf(request), body, actor, nowIso());
    },
  );
  app.post(
    '/api/v1/calls/:id/cancel',
    {
      config: write,
      schema: {
        tags,
        summary: 'Cancel a scheduled call; 409 call_not_scheduled',
        params: IdParams,
        body: CancelCallBody,
        response: { 200: CallDto },
      },
      // The reason is optional, so a bare POST (no body at all) is a valid cancel, not a 400.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const body = request.body as Static<typeof CancelCallBody>;
      return cancelCall(tenantCtx(ctx, request), idOf(request), body.reason, nowIso());
    },
  );
}
