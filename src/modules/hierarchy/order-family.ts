import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { MAIN_CATEGORY } from './link-rules.js';
import {
  activeLinksOfChildren,
  activeLinksOfParents,
  findOrderBriefs,
  type OrderBrief,
  type OrderLink,
} from './order-links.repo.js';

export interface FamilyNode {
  order: OrderBrief;
  /** The parent in this tree (null for the root). */
  parentOrderId: number | null;
  depth: number;
  /** The active link that hangs this order under its parent (null for the root). */
  link: OrderLink | null;
}

/** One tree: the root first, then every descendant depth-first, siblings in time order. */
export interface Family {
  rootOrderId: number;
  nodes: FamilyNode[];
}

/** Chains are short in practice; the bound only keeps damaged data from looping. */
const MAX_DEPTH = 64;

/** The ids above an order, nearest first, over active links. */
export async function ancestorsOf(ctx: TenantCtx, orderId: number): Promise<number[]> {
  const out: number[] = [];
  const seen = new Set([orderId]);
  let cur = orderId;
  while (out.length < MAX_DEPTH) {
    const [link] = await activeLinksOfChildren(ctx, [cur]);
    if (!link || seen.has(link.parentOrderId)) break;
    seen.add(link.parentOrderId);
    out.push(link.parentOrderId);
    cur = link.parentOrderId;
  }
  return out;
}

/** Arranges orders into trees by their links; a tree is rooted at an order whose parent is not among them. */
export function arrangeFamilies(orders: readonly OrderBrief[], links: readonly OrderLink[]): Family[] {
  const byId = new Map(orders.map((o) => [o.id, o]));
  const linkOfChild = new Map<number, OrderLink>();
  const children = new Map<number, OrderBrief[]>();
  for (const l of links) {
    const child = byId.get(l.childOrderId);
    if (!child || !byId.has(l.parentOrderId) || l.childOrderId === l.parentOrderId) continue;
    linkOfChild.set(l.childOrderId, l);
    const list = children.get(l.parentOrderId);
    if (list) list.push(child);
    else children.set(l.parentOrderId, [child]);
  }
  const byTime = (a: OrderBrief, b: OrderBrief) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id;
  const placed = new Set<number>();
  const families: Family[] = [];
  const walk = (family: Family, o: OrderBrief, depth: number) => {
    if (placed.has(o.id) || depth > MAX_DEPTH) return;
    placed.add(o.id);
    const link = depth === 0 ? null : (linkOfChild.get(o.id) ?? null);
    family.nodes.push({ order: o, parentOrderId: link?.parentOrderId ?? null, depth, link });
    for (const c of (children.get(o.id) ?? []).sort(byTime)) walk(family, c, depth + 1);
  };
  for (const o of [...orders].sort(byTime)) {
    if (linkOfChild.has(o.id)) continue;
    const family: Family = { rootOrderId: o.id, nodes: [] };
    walk(family, o, 0);
    families.push(family);
  }
  // Orders caught in a cycle of damaged links have no root: show each as its own tree rather than hide it.
  for (const o of orders) {
    if (placed.has(o.id)) continue;
    const family: Family = { rootOrderId: o.id, nodes: [] };
    walk(family, o, 0);
    families.push(family);
  }
  return families;
}

/** The whole family of an order: up to its root, then every descendant at any depth. */
export async function familyOf(ctx: TenantCtx, orderId: number): Promise<Family> {
  const ancestors = await ancestorsOf(ctx, orderId);
  const rootId = ancestors.length ? ancestors[ancestors.length - 1] : orderId;
  const ids = new Set([rootId]);
  const links: OrderLink[] = [];
  let frontier = [rootId];
  for (let depth = 0; frontier.length && depth < MAX_DEPTH; depth++) {
    const next: number[] = [];
    for (const l of await activeLinksOfParents(ctx, frontier)) {
      if (ids.has(l.childOrderId)) continue;
      ids.add(l.childOrderId);
      links.push(l);
      next.push(l.childOrderId);
    }
    frontier = next;
  }
  const [family] = arrangeFamilies(await findOrderBriefs(ctx, [...ids]), links).filter((f) => f.rootOrderId === rootId);
  return family ?? { rootOrderId: rootId, nodes: [] };
}

/** Whether an order heads or belongs to a family worth showing as one (a main order, or anything with children). */
export function isFamily(f: Family): boolean {
  return f.nodes.length > 1 || f.nodes[0]?.order.category === MAIN_CATEGORY;
}
