import type { DomainEvent } from '../../platform/events/outbox.js';
import type { CustomersPlan } from './plan-customers.js';

/**
 * The outbox events of automatic link changes: `order.linked` when a child gets a new parent, `order.unlinked`
 * when it loses its parent. A link replaced only to refresh its confidence changes nothing a subscriber sees.
 */
export function autoLinkEvents(plan: Pick<CustomersPlan, 'add' | 'deactivate'>): DomainEvent[] {
  const previous = new Map(plan.deactivate.filter((l) => l.active).map((l) => [l.childId, l.parentId]));
  const events: DomainEvent[] = [];
  for (const a of plan.add) {
    const before = previous.get(a.childId) ?? null;
    previous.delete(a.childId);
    if (before === a.parentId) continue;
    events.push({
      type: 'order.linked',
      entityType: 'order',
      entityId: a.childId,
      payload: {
        orderId: a.childId,
        parentOrderId: a.parentId,
        previousParentOrderId: before,
        relationship: a.relationship,
        rule: a.rule,
        confidence: a.confidence,
        linkedBy: 'auto',
      },
    });
  }
  for (const [childId, parentId] of previous) {
    events.push({
      type: 'order.unlinked',
      entityType: 'order',
      entityId: childId,
      payload: { orderId: childId, parentOrderId: parentId, linkedBy: 'auto' },
    });
  }
  return events;
}
