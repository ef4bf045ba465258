import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { principalOf, tenantCtx } from '../../platform/http/auth-hook.js';
import { notFound } from '../../platform/http/errors.js';
import { IdParams } from '../../platform/http/schema.js';
import { findTenantById } from '../tenants/tenants.repo.js';
import { detectionStatus, requestDetection } from './full-detection.js';
import { hierarchyAnalytics } from './hierarchy-analytics.js';
import {
  CustomerHierarchyDto,
  DetectionAccepted,
  DetectionStatusDto,
  HierarchyAnalyticsDto,
  JobParams,
  LinkBody,
  type LinkBodyInput,
  MainOrderDto,
  OrderFamilyDto,
  OrderLinkDto,
  PhoneParams,
  SubOrdersDto,
  UnlinkQuery,
} from './hierarchy.schemas.js';
import {
  customerHierarchy,
  linkOrders,
  mainOrderOf,
  orderFamily,
  subOrdersOf,
  unlinkOrder,
} from './hierarchy.service.js';

const tags = ['hierarchy'];
const idOf = (request: { params: unknown }) => (request.params as { id: number }).id;

/** The order hierarchy: families of orders, manual link and unlink, re-detection, analytics. */
export function hierarchyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const read = { permission: 'orders:read' as const };
  const link = { permission: 'orders:link' as const };
  // Re-detection rewrites links and order columns tenant-wide: the managers who may change orders.
  const detect = { permission: 'orders:write' as const };
  app.post(
    '/api/v1/orders/hierarchy/detect',
    {
      config: detect,
      schema: {
        tags,
        summary: 'Queue a full re-detection of the hierarchy; clicks within one minute share one job',
        response: { 202: DetectionAccepted },
      },
    },
    async (request, reply) => {
      const out = await requestDetection(ctx, tenantCtx(ctx, request), principalOf(request).userId);
      return reply.status(202).send(out);
    },
  );
  app.get(
    '/api/v1/orders/hierarchy/jobs/:jobId',
    {
      config: detect,
      schema: {
        tags,
        summary: 'Status and outcome of a re-detection job',
        params: JobParams,
        response: { 200: DetectionStatusDto },
      },
    },
    async (request) => detectionStatus(ctx, tenantCtx(ctx, request), (request.params as { jobId: string }).jobId),
  );
  app.post(
    '/api/v1/orders/hierarchy/link',
    {
      config: link,
      schema: {
        tags,
        summary:
          'Link a sub-order under a main order of the same customer (replaces its link; never undone by detection)',
        body: LinkBody,
        response: { 201: OrderLinkDto },
      },
    },
    async (request, reply) => {
      const out = await linkOrders(tenantCtx(ctx, request), principalOf(request).userId, request.body as LinkBodyInput);
      return reply.status(201).send(out);
    },
  );
  app.delete(
    '/api/v1/orders/hierarchy/links/:id',
    {
      config: link,
      schema: {
        tags,
        summary: 'Unlink: the link is deactivated and detection will not link the sub-order again',
        params: IdParams,
        querystring: UnlinkQuery,
      },
    },
    async (request, reply) => {
      const { reason } = request.query as Static<typeof UnlinkQuery>;
      await unlinkOrder(tenantCtx(ctx, request), principalOf(request).userId, idOf(request), reason ?? null);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/v1/orders/hierarchy/customer/:phone',
    {
      config: read,
      schema: {
        tags,
        summary: "A customer's order families, by phone in any format",
        params: PhoneParams,
        response: { 200: CustomerHierarchyDto },
      },
    },
    async (request) => {
      const tctx = tenantCtx(ctx, request);
      const tenant = await findTenantById(tctx.db, tctx.tenantId);
      if (!tenant) throw notFound('tenant');
      return customerHierarchy(tctx, (request.params as { phone: string }).phone, tenant.country);
    },
  );
  app.get(
    '/api/v1/orders/hierarchy/analytics',
    {
      config: read,
      schema: {
        tags,
        summary: 'Coverage, links by relationship and by who made them, confidence',
        response: { 200: HierarchyAnalyticsDto },
      },
    },
    async (request) => hierarchyAnalytics(tenantCtx(ctx, request)),
  );
  app.get(
    '/api/v1/orders/:id/sub-orders',
    {
      config: read,
      schema: {
        tags,
        summary: 'Orders linked directly under this one',
        params: IdParams,
        response: { 200: SubOrdersDto },
      },
    },
    async (request) => subOrdersOf(tenantCtx(ctx, request), idOf(request)),
  );
  app.get(
    '/api/v1/orders/:id/main-order',
    {
      config: read,
      schema: {
        tags,
        summary: 'The order this one is linked under, and the root of its chain',
        params: IdParams,
        response: { 200: MainOrderDto },
      },
    },
    async (request) => mainOrderOf(tenantCtx(ctx, request), idOf(request)),
  );
  app.get(
    '/api/v1/orders/:id/family',
    {
      config: read,
      schema: {
        tags,
        summary: 'The whole family tree of an order',
        params: IdParams,
        response: { 200: OrderFamilyDto },
      },
    },
    async (request) => orderFamily(tenantCtx(ctx, request), idOf(request)),
  );
}
