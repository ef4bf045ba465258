import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { sendJsonText, withJsonArray } from '../../platform/http/json-text.js';
import { IdParams, Strict } from '../../platform/http/schema.js';
import { toMinor } from '../../lib/money.js';
import { toE164 } from '../../lib/phone.js';
import { parseOrderFilter } from '../orders/order-filters.js';
import { orderSort } from '../orders/order-sort.js';
import { listOrderJson } from '../orders/orders.repo.js';
import { requestTenant } from '../tenants/request-tenant.js';
import { OrderPage } from '../orders/orders.schemas.js';
import { customerAnalytics, customerSegments } from './customer-analytics.js';
import { customerProfile } from './customer-profile.js';
import { CUSTOMER_SORTS, type CustomerFilter, listCustomers } from './customers.repo.js';
import {
  CreateCustomerBody,
  CustomerAnalyticsDto,
  CustomerDto,
  CustomerListQuery,
  CustomerOrdersQuery,
  CustomerPage,
  CustomerProfileDto,
  CustomerProfileHead,
  CustomerRefParams,
  SegmentsDto,
  UpdateCustomerBody,
} from './customers.schemas.js';
import { changeCustomer, createCustomer, liveCustomer } from './customers.service.js';

const tags = ['customers'];
const PHONE_LIKE = /^[+\d\s\-().]+$/;

/** The list's query in column terms: `search` is a phone when it reads as one, else the start of a name. */
function customerFilter(q: Static<typeof CustomerListQuery>, country: string, now: number): CustomerFilter {
  const f: CustomerFilter = {
    segment: q.segment,
    city: q.city,
    minOrders: q.minOrders,
    hasReturns: q.hasReturns,
  };
  if (q.minLifetimeValue !== undefined) f.minLifetimeValueMinor = toMinor(q.minLifetimeValue);
  if (q.lastOrderDays !== undefined) f.lastOrderSince = new Date(now - q.lastOrderDays * 86_400_000).toISOString();
  if (q.search !== undefined) {
    const phone = PHONE_LIKE.test(q.search) ? toE164(q.search, country) : null;
    if (phone) f.phone = phone;
    else f.namePrefix = q.search.trim();
  }
  return f;
}

/** Customers: list, create, change, profile, their orders, segments and analytics (merge: `routes/`). */
export function customerRoutes(app: FastifyInstance, ctx: AppContext): void {
  const read = { permission: 'customers:read' as const };
  app.get(
    '/api/v1/customers',
    {
      config: read,
      schema: {
        tags,
        summary: 'Customers (merged duplicates excluded), filtered and keyset-paged',
        querystring: CustomerListQuery,
        response: { 200: CustomerPage },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof CustomerListQuery>;
      const { tctx, tenant } = await requestTenant(ctx, request);
      const sort = CUSTOMER_SORTS[q.sort ?? '-lastOrderAt'];
      return listCustomers(tctx, customerFilter(q, tenant.country, Date.now()), sort, {
        limit: q.limit ?? 50,
        cursor: q.cursor,
      });
    },
  );
  app.post(
    '/api/v1/customers',
    {
      config: { permission: 'customers:write' },
      schema: {
        tags,
        summary: 'Create a customer; 409 customer_exists (with its id) when the phone already leads to one',
        body: CreateCustomerBody,
        response: { 201: CustomerDto },
      },
    },
    async (request, reply) => {
      const { tctx, tenant } = await requestTenant(ctx, request);
      const c = await createCustomer(tctx, tenant, request.body as Static<typeof CreateCustomerBody>);
      return reply.status(201).send(c);
    },
  );
  app.get(
    '/api/v1/customers/segments',
    {
      config: read,
      schema: {
        tags,
        summary: 'Segment definitions from the tenant settings, with customer counts',
        querystring: Strict({}),
        response: { 200: SegmentsDto },
      },
    },
    async (request) => {
      const { tctx, tenant } = await requestTenant(ctx, request);
      return customerSegments(tctx, tenant.settings.segments);
    },
  );
  app.get(
    '/api/v1/customers/analytics',
    {
      config: read,
      schema: {
        tags,
        summary: 'Per segment, overall and top-20 cities: customers, average orders and value, return rate',
        querystring: Strict({}),
        response: { 200: CustomerAnalyticsDto },
      },
    },
    async (request) => {
      const { tctx, tenant } = await requestTenant(ctx, request);
      return { currency: tenant.currency, ...(await customerAnalytics(tctx)) };
    },
  );
  registerCustomerRoutes(app, ctx);
}

function registerCustomerRoutes(app: FastifyInstance, ctx: AppContext): void {
  const ref = (request: FastifyRequest) => (request.params as { id: string }).id;
  app.get(
    '/api/v1/customers/:id',
    {
      config: { permission: 'customers:read' },
      schema: {
        tags,
        summary: 'Customer profile by id or any phone format (a merged customer answers with its survivor)',
        params: CustomerRefParams,
        response: { 200: CustomerProfileDto },
      },
    },
    async (request, reply) => {
      const { tctx, tenant } = await requestTenant(ctx, request);
      const { head, lastOrders } = await customerProfile(tctx, ref(request), tenant.country);
      const headText = reply.serializeInput(head, CustomerProfileHead as unknown as Record<string, unknown>);
      return sendJsonText(reply, withJsonArray(headText, 'lastOrders', lastOrders));
    },
  );
  app.patch(
    '/api/v1/customers/:id',
    {
      config: { permission: 'customers:write' },
      schema: {
        tags,
        summary: 'Change a customer; a new phone must not lead to another customer (409)',
        params: IdParams,
        body: UpdateCustomerBody,
        response: { 200: CustomerDto },
      },
    },
    async (request) => {
      const { tctx, tenant } = await requestTenant(ctx, request);
      const id = (request.params as { id: number }).id;
      return changeCustomer(tctx, tenant, id, request.body as Static<typeof UpdateCustomerBody>);
    },
  );
  app.get(
    '/api/v1/customers/:id/orders',
    {
      config: { permission: 'customers:read' },
      schema: {
        tags,
        summary: "A customer's orders, newest first (a merged id answers with its survivor's)",
        params: IdParams,
        querystring: CustomerOrdersQuery,
        response: { 200: OrderPage },
      },
    },
    async (request, reply) => {
      const q = request.query as Static<typeof CustomerOrdersQuery>;
      const { tctx, tenant } = await requestTenant(ctx, request);
      const { customer } = await liveCustomer(tctx, (request.params as { id: number }).id);
      const filter = parseOrderFilter({ ...q, customerId: customer.id }, tenant);
      const page = await listOrderJson(tctx, filter, orderSort('-createdAt'), {
        limit: q.limit ?? 50,
        cursor: q.cursor,
      });
      return sendJsonText(reply, withJsonArray(JSON.stringify({ nextCursor: page.nextCursor }), 'items', page.items));
    },
  );
}
