import type { TenantCtx } from '../platform/db/tenant-ctx.js';
import { type MergeResult, mergeCustomers } from '../modules/customers/customers.service.js';
import { moveCustomerCalls } from '../modules/interactions/calls.repo.js';
import { moveCustomerInteractions } from '../modules/interactions/interactions.repo.js';
import { moveCustomerServiceActions } from '../modules/service/service-actions.repo.js';
import type { Tenant } from '../modules/tenants/tenants.repo.js';

/**
 * Merges a duplicate customer into a survivor with everything kept about them: orders and phones (customers
 * module), and the tickets, scheduled calls and service actions of the other areas, all in the merge's one
 * transaction. Without the last three, the survivor's 360 view would lose the duplicate's history: every read
 * of them goes by the live customer's id.
 */
export function mergeCustomerRecords(
  ctx: TenantCtx,
  tenant: Tenant,
  survivorId: number,
  duplicateId: number,
): Promise<MergeResult> {
  return mergeCustomers(ctx, tenant, survivorId, duplicateId, async (tx, fromId, toId) => ({
    interactions: await moveCustomerInteractions(tx, fromId, toId),
    scheduledCalls: await moveCustomerCalls(tx, fromId, toId),
    serviceActions: await moveCustomerServiceActions(tx, fromId, toId),
  }));
}
