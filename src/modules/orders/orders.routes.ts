import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { principalOf, tenantCtx } from '../../platform/http/auth-hook.js';
import { notFound } from '../../platform/http/errors.js';
import { sendJsonText, withJsonArray } from '../../platform/http/json-text.js';
import { IdParams } from '../../platform/http/schema.js';
import { requestTenant } from '../tenants/request-tenant.js';
import { parseOrderFilter } from './order-filters.js';
import { changeOrderNotes, changeSource } from './order-notes.js';
import { orderSort } from './order-sort.js';
import { orderAnalytics, orderCategories, orderStates, orderStats } from './orders-analytics.js';
import { summaryAnswer } from './summary-answers.js';
import { ordersCsvStream } from './orders-csv.js';
import {
  countOrders,
  findOrder,
  findOrderByTracking,
  listOrderChanges,
  listOrderJson,
  listOrderTimeline,
} from './orders.repo.js';
import {
  OrderAnalyticsDto,
  OrderCategoriesDto,
  OrderDetailDto,
  OrderExportQuery,
  OrderListQuery,
  OrderNotesBody,
  OrderPage,
  OrderStatesDto,
  OrderStatsDto,
  OrderTimelineDto,
  RollupQuery,
  TrackingParams,
} from './orders.schemas.js';

const tags = ['orders'];

/** Orders: list, export, statistics, detail, timeline and local notes. */
export function orderRoutes(app: FastifyInstance, ctx: AppContext): void {
  const read = { permission: 'orders:read' as const };
  app.get(
    '/api/v1/orders',
    {
      config: read,
      schema: {
        tags,
        summary: 'Orders, filtered and keyset-paged (limit ≤ 200, cursor from the previous page of the same sort)',
        querystring: OrderListQuery,
        response: { 200: OrderPage },
      },
    },
    async (request, reply) => {
      const q = request.query as Static<typeof OrderListQuery>;
      const { tctx, tenant } = await requestTenant(ctx, request);
      const filter = parseOrderFilter(q, tenant);
      const page = await listOrderJson(tctx, filter, orderSort(q.sort), { limit: q.limit ?? 25, cursor: q.cursor });
      const total = q.total ? { total: await countOrders(tctx, filter) } : {};
      return sendJsonText(
        reply,
        withJsonArray(JSON.stringify({ nextCursor: page.nextCursor, ...total }), 'items', page.items),
      );
    },
  );
  app.get(
    '/api/v1/orders/export.csv',
    {
      config: read,
      schema: {
        tags,
        summary: 'The filtered orders as CSV (streamed; header row, decimal money, ISO dates)',
        querystring: OrderExportQuery,
      },
    },
    async (request, reply) => {
      const q = request.query as Static<typeof OrderExportQuery>;
      const { tctx, tenant } = await requestTenant(ctx, request);
      const stream = ordersCsvStream(tctx, parseOrderFilter(q, tenant), orderSort(q.sort), (err) =>
        request.log.error({ err }, 'orders CSV export failed mid-stream'),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="orders.csv"')
        .send(stream);
    },
  );
  registerRollupRoutes(app, ctx);
  registerOrderRoutes(app, ctx);
}

function registerRollupRoutes(app: FastifyInstance, ctx: AppContext): void {
  const config = { permission: 'orders:read' as const };
  const range = (request: FastifyRequest) => request.query as Static<typeof RollupQuery>;
  app.get(
    '/api/v1/orders/stats',
    {
      config,
      schema: {
        tags,
        summary: 'Totals: orders, outcomes, COD revenue, refunds, net, unique customers, latest order, categories',
        querystring: RollupQuery,
        response: { 200: OrderStatsDto },
      },
    },
    async (request) => {
      const { tctx, tenant } = await requestTenant(ctx, request);
      return { currency: tenant.currency, ...(await orderStats(tctx, range(request))) };
    },
  );
  app.get(
    '/api/v1/orders/states',
    {
      config,
      schema: {
        tags,
        summary: 'Orders and COD per state code and per type, with percentages',
        querystring: RollupQuery,
        response: { 200: OrderStatesDto },
      },
    },
    async (request) => orderStates(tenantCtx(ctx, request), range(request)),
  );
  app.get(
    '/api/v1/orders/categories',
    {
      config,
      schema: {
        tags,
        summary: 'Aggregates per business category (real sale, maintenance, service, refund, …)',
        querystring: RollupQuery,
        response: { 200: OrderCategoriesDto },
      },
    },
    async (request) => orderCategories(tenantCtx(ctx, request), range(request)),
  );
  app.get(
    '/api/v1/orders/analytics',
    {
      config,
      schema: {
        tags,
        summary: 'Delivery success and return rates, money and delivery hours: totals, by city, by day',
        querystring: RollupQuery,
        response: { 200: OrderAnalyticsDto },
      },
    },
    async (request, reply) => {
      const { tctx, tenant } = await requestTenant(ctx, request);
      const r = range(request);
      // Kept while the tenant's summaries have not changed (`summary-answers.ts`); serialized by the schema.
      const key = JSON.stringify(['orders.analytics', tenant.currency, r.from ?? null, r.to ?? null, r.city ?? null]);
      const body = await summaryAnswer(tctx, key, async () =>
        // The route's schema serializer answers a string.
        String(reply.serialize({ currency: tenant.currency, ...(await orderAnalytics(tctx, r)) })),
      );
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
}

function registerOrderRoutes(app: FastifyInstance, ctx: AppContext): void {
  const read = { permission: 'orders:read' as const };
  const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;
  app.get(
    '/api/v1/orders/tracking/:trackingNumber',
    {
      config: read,
      schema: {
        tags,
        summary: 'One order by its tracking number',
        params: TrackingParams,
        response: { 200: OrderDetailDto },
      },
    },
    async (request) => {
      const tn = (request.params as Static<typeof TrackingParams>).trackingNumber;
      const order = await findOrderByTracking(tenantCtx(ctx, request), tn);
      if (!order) throw notFound('order');
      return order;
    },
  );
  app.get(
    '/api/v1/orders/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'One order with the courier payload',
        params: IdParams,
        response: { 200: OrderDetailDto },
      },
    },
    async (request) => {
      const order = await findOrder(tenantCtx(ctx, request), idOf(request));
      if (!order) throw notFound('order');
      return order;
    },
  );
  app.get(
    '/api/v1/orders/:id/timeline',
    {
      config: read,
      schema: {
        tags,
        summary: 'State history (oldest first) and the audit of changes',
        params: IdParams,
        response: { 200: OrderTimelineDto },
      },
    },
    async (request) => {
      const tctx = tenantCtx(ctx, request);
      const order = await findOrder(tctx, idOf(request));
      if (!order) throw notFound('order');
      return {
        orderId: order.id,
        timeline: await listOrderTimeline(tctx, order.id),
        changes: await listOrderChanges(tctx, order.id),
      };
    },
  );
  app.patch(
    '/api/v1/orders/:id',
    {
      config: { permission: 'orders:write' },
      schema: {
        tags,
        summary: 'Change our local notes (courier data is never edited here)',
        params: IdParams,
        body: OrderNotesBody,
        response: { 200: OrderDetailDto },
      },
    },
    async (request) => {
      const body = request.body as Static<typeof OrderNotesBody>;
      const source = changeSource(principalOf(request));
      return changeOrderNotes(tenantCtx(ctx, request), idOf(request), body.localNotes, source);
    },
  );
}
