import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { mergeCustomerRecords } from '../flows/merge-customers.js';
import { recordAudit } from '../modules/audit/audit.repo.js';
import { MergeCustomersBody, MergeResultDto } from '../modules/customers/customers.schemas.js';
import { requestTenant } from '../modules/tenants/request-tenant.js';
import type { AppContext } from '../platform/context.js';

/** `POST /customers/merge`: here, above the flows, because the merge reaches into other areas' records. */
export function customerMergeRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/customers/merge',
    {
      config: { permission: 'customers:merge' },
      schema: {
        tags: ['customers'],
        summary:
          'Merge a duplicate into a survivor: orders, phones, tickets, scheduled calls and service actions move; ' +
          'the duplicate phone becomes an alias',
        body: MergeCustomersBody,
        response: { 200: MergeResultDto },
      },
    },
    async (request) => {
      const { survivorId, duplicateId } = request.body as Static<typeof MergeCustomersBody>;
      const { tctx, tenant } = await requestTenant(ctx, request);
      const merged = await mergeCustomerRecords(tctx, tenant, survivorId, duplicateId);
      const { survivor: _, ...moved } = merged;
      await recordAudit(ctx.database.db, request, {
        action: 'customer.merged',
        targetType: 'customer',
        targetId: String(survivorId),
        details: moved,
      });
      return merged;
    },
  );
}
