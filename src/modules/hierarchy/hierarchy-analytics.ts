import { sql } from 'kysely';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { SUB_ORDER_CATEGORIES } from '../orders/classify-order.js';
import { MAIN_CATEGORY, RULE_MANUAL_UNLINK } from './link-rules.js';

export interface HierarchyAnalytics {
  mainOrders: number;
  subOrders: number;
  linkedSubOrders: number;
  unlinkedSubOrders: number;
  /** linked sub-orders / all sub-orders (0 when there are none). */
  coverage: number;
  /** Active links. */
  links: number;
  /** Mean confidence of active links (null when there are none). */
  averageConfidence: number | null;
  byRelationship: Array<{ relationship: string; links: number; averageConfidence: number }>;
  byLinkedBy: { auto: number; user: number; serviceAction: number };
  /** Active automatic links by confidence: high ≥ 0.8, medium ≥ 0.5, low below (the review queue). */
  autoConfidence: { high: number; medium: number; low: number };
  /** Children a user unlinked, which detection will leave alone. */
  manualUnlinks: number;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

async function orderCounts(ctx: TenantCtx) {
  const rows = await ctx.db
    .selectFrom('orders')
    .select(['category', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', ctx.tenantId)
    .where('category', 'in', [MAIN_CATEGORY, ...SUB_ORDER_CATEGORIES])
    .groupBy('category')
    .execute();
  const linked = await ctx.db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', ctx.tenantId)
    .where('hierarchy_status', '=', 'linked')
    .where('category', 'in', SUB_ORDER_CATEGORIES)
    .executeTakeFirstOrThrow();
  const count = (pred: (c: string) => boolean) =>
    rows.filter((r) => pred(r.category)).reduce((s, r) => s + Number(r.n), 0);
  return {
    mainOrders: count((c) => c === MAIN_CATEGORY),
    subOrders: count((c) => c !== MAIN_CATEGORY),
    linkedSubOrders: Number(linked.n),
  };
}

async function linkGroups(ctx: TenantCtx) {
  const rows = await ctx.db
    .selectFrom('order_links')
    .select((eb) => [
      'relationship',
      'linked_by',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('confidence').as('confidenceSum'),
      eb.fn.sum<number>(sql`case when confidence >= 0.8 then 1 else 0 end`).as('high'),
      eb.fn.sum<number>(sql`case when confidence >= 0.5 and confidence < 0.8 then 1 else 0 end`).as('medium'),
    ])
    .where('tenant_id', '=', ctx.tenantId)
    .where('active', '=', true)
    .groupBy(['relationship', 'linked_by'])
    .execute();
  return rows.map((r) => ({
    relationship: r.relationship,
    linkedBy: r.linked_by,
    n: Number(r.n),
    confidenceSum: Number(r.confidenceSum ?? 0),
    high: Number(r.high ?? 0),
    medium: Number(r.medium ?? 0),
  }));
}

/** Coverage, links by relationship and by who made them, confidence: the health of the order hierarchy. */
export async function hierarchyAnalytics(ctx: TenantCtx): Promise<HierarchyAnalytics> {
  const counts = await orderCounts(ctx);
  const groups = await linkGroups(ctx);
  const unlinks = await ctx.db
    .selectFrom('order_links')
    .select((eb) => eb.fn.count<number>('child_order_id').distinct().as('n'))
    .where('tenant_id', '=', ctx.tenantId)
    .where('rule', '=', RULE_MANUAL_UNLINK)
    .executeTakeFirstOrThrow();
  const byRel = new Map<string, { links: number; sum: number }>();
  const byLinkedBy = { auto: 0, user: 0, serviceAction: 0 };
  const autoConfidence = { high: 0, medium: 0, low: 0 };
  let links = 0;
  let sum = 0;
  for (const g of groups) {
    const rel = byRel.get(g.relationship) ?? { links: 0, sum: 0 };
    byRel.set(g.relationship, { links: rel.links + g.n, sum: rel.sum + g.confidenceSum });
    if (g.linkedBy === 'auto') {
      byLinkedBy.auto += g.n;
      autoConfidence.high += g.high;
      autoConfidence.medium += g.medium;
      autoConfidence.low += g.n - g.high - g.medium;
    } else if (g.linkedBy === 'service_action') byLinkedBy.serviceAction += g.n;
    else byLinkedBy.user += g.n;
    links += g.n;
    sum += g.confidenceSum;
  }
  return {
    ...counts,
    unlinkedSubOrders: counts.subOrders - counts.linkedSubOrders,
    coverage: counts.subOrders ? round3(counts.linkedSubOrders / counts.subOrders) : 0,
    links,
    averageConfidence: links ? round3(sum / links) : null,
    byRelationship: [...byRel]
      .map(([relationship, v]) => ({ relationship, links: v.links, averageConfidence: round3(v.sum / v.links) }))
      .sort((a, b) => b.links - a.links || a.relationship.localeCompare(b.relationship)),
    byLinkedBy,
    autoConfidence,
    manualUnlinks: Number(unlinks.n),
  };
}
