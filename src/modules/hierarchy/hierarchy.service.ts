import { isUniqueViolation } from '../../platform/db/dialect.js';
import { inTransaction, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { emit } from '../../platform/events/outbox.js';
import { badRequest, conflict, notFound, unprocessable } from '../../platform/http/errors.js';
import { toE164 } from '../../lib/phone.js';
import { nowIso } from '../../lib/time.js';
import { reconcileOrderHierarchy } from './hierarchy.repo.js';
import { RULE_MANUAL_LINK, RULE_MANUAL_UNLINK } from './link-rules.js';
import { ancestorsOf, arrangeFamilies, type Family, familyOf, isFamily } from './order-family.js';
import {
  activeLinksOfChildren,
  activeLinksOfParents,
  deactivateLink,
  findLink,
  findOrderBrief,
  findOrderBriefs,
  findOrdersByPhone,
  insertManualLink,
  type OrderBrief,
  type OrderLink,
} from './order-links.repo.js';

export interface ManualLinkInput {
  mainOrderId: number;
  subOrderId: number;
  reason: string;
}

async function requireOrder(ctx: TenantCtx, id: number): Promise<OrderBrief> {
  const o = await findOrderBrief(ctx, id);
  if (!o) throw notFound('order', `Order ${id} not found`);
  return o;
}

/**
 * Links a sub-order under a main order by hand: same customer only, no cycles. Replaces the child's active link;
 * detection never undoes it. Chains are allowed (the "main" may itself be a sub-order).
 */
export async function linkOrders(ctx: TenantCtx, actorId: number | null, input: ManualLinkInput): Promise<OrderLink> {
  return inTransaction(ctx, async (tx) => {
    const parent = await requireOrder(tx, input.mainOrderId);
    const child = await requireOrder(tx, input.subOrderId);
    if (parent.customerId === null || parent.customerId !== child.customerId) {
      throw unprocessable('different_customers', 'Orders can be linked only within one customer');
    }
    if (parent.id === child.id || (await ancestorsOf(tx, parent.id)).includes(child.id)) {
      throw unprocessable('cycle', `Order ${child.id} is already above order ${parent.id} in its family`);
    }
    const now = nowIso();
    const [previous] = await activeLinksOfChildren(tx, [child.id]);
    if (previous) await deactivateLink(tx, previous.id, now);
    let link: OrderLink;
    try {
      link = await insertManualLink(tx, {
        parentOrderId: parent.id,
        childOrderId: child.id,
        relationship: child.category,
        rule: RULE_MANUAL_LINK,
        confidence: 1,
        actorId,
        reason: input.reason,
        active: true,
        now,
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict('link_conflict', 'The order was linked at the same moment; try again');
      throw e;
    }
    await reconcileOrderHierarchy(tx, [child.id]);
    await emit(tx, {
      type: 'order.linked',
      entityType: 'order',
      entityId: child.id,
      payload: {
        linkId: link.id,
        orderId: child.id,
        childOrderId: child.id,
        parentOrderId: parent.id,
        previousParentOrderId: previous?.parentOrderId ?? null,
        relationship: link.relationship,
        rule: link.rule,
        confidence: link.confidence,
        linkedBy: 'user',
        actorId,
        reason: input.reason,
      },
    });
    return link;
  });
}

/**
 * Removes an active link and records that a person said no, so automatic detection leaves the child unlinked
 * from now on (a later manual link still works).
 */
export async function unlinkOrder(
  ctx: TenantCtx,
  actorId: number | null,
  linkId: number,
  reason: string | null,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const link = await findLink(tx, linkId);
    if (!link?.active) throw notFound('link', `No active link ${linkId}`);
    const now = nowIso();
    await deactivateLink(tx, link.id, now);
    await insertManualLink(tx, {
      parentOrderId: link.parentOrderId,
      childOrderId: link.childOrderId,
      relationship: link.relationship,
      rule: RULE_MANUAL_UNLINK,
      confidence: 1,
      actorId,
      reason,
      active: false,
      now,
    });
    await reconcileOrderHierarchy(tx, [link.childOrderId]);
    await emit(tx, {
      type: 'order.unlinked',
      entityType: 'order',
      entityId: link.childOrderId,
      payload: {
        linkId: link.id,
        orderId: link.childOrderId,
        childOrderId: link.childOrderId,
        parentOrderId: link.parentOrderId,
        relationship: link.relationship,
        linkedBy: link.linkedBy,
        unlinkedBy: 'user',
        actorId,
        reason,
      },
    });
  });
}

/** The whole tree an order belongs to. */
export async function orderFamily(ctx: TenantCtx, orderId: number): Promise<{ orderId: number; family: Family }> {
  await requireOrder(ctx, orderId);
  return { orderId, family: await familyOf(ctx, orderId) };
}

/** The orders hanging directly under an order, with their links, oldest first. */
export async function subOrdersOf(ctx: TenantCtx, orderId: number) {
  await requireOrder(ctx, orderId);
  const links = await activeLinksOfParents(ctx, [orderId]);
  const orders = await findOrderBriefs(
    ctx,
    links.map((l) => l.childOrderId),
  );
  const linkOf = new Map(links.map((l) => [l.childOrderId, l]));
  return { orderId, items: orders.map((order) => ({ order, link: linkOf.get(order.id)! })) };
}

/** The order directly above this one (with the link) and the root of its chain. */
export async function mainOrderOf(ctx: TenantCtx, orderId: number) {
  await requireOrder(ctx, orderId);
  const [link] = await activeLinksOfChildren(ctx, [orderId]);
  if (!link) return { orderId, mainOrder: null, link: null, rootOrder: null };
  const ancestors = await ancestorsOf(ctx, orderId);
  const briefs = await findOrderBriefs(ctx, [
    link.parentOrderId,
    ancestors[ancestors.length - 1] ?? link.parentOrderId,
  ]);
  const byId = new Map(briefs.map((b) => [b.id, b]));
  return {
    orderId,
    mainOrder: byId.get(link.parentOrderId) ?? null,
    link,
    rootOrder: byId.get(ancestors[ancestors.length - 1] ?? link.parentOrderId) ?? null,
  };
}

/**
 * A customer's orders by any phone format, as families (a main order or anything with sub-orders) and the
 * orders outside every family. 404 when the tenant has no order with that phone.
 */
export async function customerHierarchy(ctx: TenantCtx, phoneInput: string, country: string) {
  const phone = toE164(phoneInput, country);
  if (!phone) throw badRequest('invalid_phone', `"${phoneInput}" is not a valid phone number`);
  const orders = await findOrdersByPhone(ctx, phone);
  if (orders.length === 0) throw notFound('customer', `No orders for ${phone}`);
  const links = await activeLinksOfChildren(
    ctx,
    orders.map((o) => o.id),
  );
  const trees = arrangeFamilies(orders, links);
  return {
    phone,
    families: trees.filter(isFamily),
    standalone: trees.filter((f) => !isFamily(f)).map((f) => f.nodes[0].order),
  };
}
