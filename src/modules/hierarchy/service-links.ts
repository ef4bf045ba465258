import { nowIso } from '../../lib/time.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { emit } from '../../platform/events/outbox.js';
import { reconcileOrderHierarchy } from './hierarchy.repo.js';

/**
 * Links a courier delivery that a service action created under the action's main order: confidence 1.0,
 * `linked_by = 'service_action'`, so automatic detection never moves it. Replaces any link the child had.
 */
export async function linkForServiceAction(
  tx: TenantCtx,
  link: { parentOrderId: number; childOrderId: number; relationship: string; actionNumber: string },
): Promise<void> {
  const now = nowIso();
  await tx.db
    .updateTable('order_links')
    .set({ active: false, deactivated_at: now })
    .where('tenant_id', '=', tx.tenantId)
    .where('child_order_id', '=', link.childOrderId)
    .where('active', '=', true)
    .execute();
  const row = await tx.db
    .insertInto('order_links')
    .values({
      tenant_id: tx.tenantId,
      parent_order_id: link.parentOrderId,
      child_order_id: link.childOrderId,
      relationship: link.relationship,
      rule: 'service_action',
      confidence: 1,
      linked_by: 'service_action',
      actor_id: null,
      reason: `Created by service action ${link.actionNumber}`,
      active: true,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Parent and status derived from the links, as everywhere else (a real sale stays `main`).
  await reconcileOrderHierarchy(tx, [link.childOrderId]);
  await emit(tx, {
    type: 'order.linked',
    entityType: 'order',
    entityId: link.childOrderId,
    payload: {
      linkId: row.id,
      parentOrderId: link.parentOrderId,
      childOrderId: link.childOrderId,
      relationship: link.relationship,
      linkedBy: 'service_action',
    },
  });
}
