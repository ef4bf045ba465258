import { SUB_ORDER_CATEGORIES } from '../orders/classify-order.js';
import { descriptionTokens, tokenJaccard } from './package-similarity.js';

/** Who made a link. Only 'auto' links are ever changed by detection; the others are decisions of people. */
export type LinkedBy = 'auto' | 'user' | 'service_action';
/** `orders.hierarchy_status`: a main sale, a sub-order (or any order) with a parent, or neither. */
export type HierarchyStatus = 'main' | 'linked' | 'unlinked';

export const MAIN_CATEGORY = 'real_sale';
export const RULE_NEAREST_EARLIER = 'nearest_earlier_main';
export const RULE_NEAREST_LATER = 'nearest_later_main';
export const RULE_MANUAL_LINK = 'manual_link';
/**
 * "The user said no": unlinking writes an inactive row with this rule and linked_by 'user'. Detection reads it
 * and leaves the child unlinked for good (until someone links it by hand).
 */
export const RULE_MANUAL_UNLINK = 'manual_unlink';

const SUB_CATEGORIES: ReadonlySet<string> = new Set(SUB_ORDER_CATEGORIES);
const DAY_MS = 86_400_000;
/** A later main is plausible (the sale was keyed in after the service visit) but weaker evidence. */
const LATER_MAIN_FACTOR = 0.8;

export interface LinkOrder {
  id: number;
  category: string;
  /** ISO-8601 UTC. */
  createdAt: string;
  packageDescription: string | null;
}

export interface ExistingLink {
  id: number;
  parentId: number;
  childId: number;
  linkedBy: string;
  active: boolean;
  rule: string;
  relationship: string;
  confidence: number;
}

export interface PlannedLink {
  parentId: number;
  childId: number;
  relationship: string;
  rule: string;
  confidence: number;
}

/** What to write for one customer: links to insert and ids of links to deactivate (no other change). */
export interface LinkPlan {
  add: PlannedLink[];
  deactivate: number[];
}

export interface PlanOptions {
  /** How far (in days, either side) a main order may be from its sub-order. */
  windowDays: number;
  /** Words of descriptions already seen, shared across customers (merchants repeat product names). */
  tokenCache?: Map<string, Set<string>>;
}

/** Linked by a person or by a service action: automatic detection never touches it. */
export function isManualLink(l: { linkedBy: string }): boolean {
  return l.linkedBy !== 'auto';
}

/** The status an order should carry given its category and the parent of its active link. */
export function hierarchyStatusOf(category: string, parentId: number | null): HierarchyStatus {
  if (category === MAIN_CATEGORY) return 'main';
  return parentId === null ? 'unlinked' : 'linked';
}

/**
 * Link confidence in [0, 1], rounded to 3 decimals:
 *   confidence = direction × (0.5·closeness + 0.3·similarity + 0.2 / candidates)
 *   closeness  = 1 − daysApart / windowDays   (1 on the same day, 0 at the edge of the window)
 *   similarity = Jaccard of the package descriptions' normalised words; 0.5 (no evidence) when either is empty
 *   candidates = main orders of the customer within the window on either side (≥ 1): more choice, less certainty
 *   direction  = 1 for an earlier main, 0.8 for a later one
 * No clock in it, so re-running detection later reproduces the same numbers and rewrites nothing.
 */
export function linkConfidence(f: {
  daysApart: number;
  windowDays: number;
  similarity: number | null;
  candidates: number;
  later: boolean;
}): number {
  const closeness = f.windowDays > 0 ? Math.max(0, 1 - f.daysApart / f.windowDays) : 1;
  const similarity = f.similarity ?? 0.5;
  const base = 0.5 * closeness + 0.3 * similarity + 0.2 / Math.max(1, f.candidates);
  const value = (f.later ? LATER_MAIN_FACTOR : 1) * base;
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
}

interface Timed {
  order: LinkOrder;
  at: number;
}

const byTime = (a: Timed, b: Timed) => a.at - b.at || a.order.id - b.order.id;

/** Index of the last main created at or before `at` (-1 when none): mains at the same instant count as earlier. */
function lastAtOrBefore(mains: readonly Timed[], at: number): number {
  let lo = 0;
  let hi = mains.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (mains[mid].at <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first main created at or after `at`. */
function firstAtOrAfter(mains: readonly Timed[], at: number): number {
  let lo = 0;
  let hi = mains.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (mains[mid].at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface LinkState {
  activeByChild: Map<number, ExistingLink[]>;
  /** Children a user unlinked: detection leaves them alone. */
  refused: Set<number>;
  /** child → parent over every active link, to keep detection from closing a cycle through a manual chain. */
  parentOf: Map<number, number>;
}

function indexExisting(existing: readonly ExistingLink[]): LinkState {
  const state: LinkState = { activeByChild: new Map(), refused: new Set(), parentOf: new Map() };
  for (const l of existing) {
    if (l.active) {
      const list = state.activeByChild.get(l.childId);
      if (list) list.push(l);
      else state.activeByChild.set(l.childId, [l]);
      state.parentOf.set(l.childId, l.parentId);
    } else if (l.rule === RULE_MANUAL_UNLINK && isManualLink(l)) {
      state.refused.add(l.childId);
    }
  }
  return state;
}

/** Whether `ancestorId` sits above `id` in the current links (bounded walk: bad data must not loop). */
function isAncestor(parentOf: ReadonlyMap<number, number>, ancestorId: number, id: number): boolean {
  let cur = parentOf.get(id);
  for (let steps = 0; cur !== undefined && steps <= parentOf.size; steps++) {
    if (cur === ancestorId) return true;
    cur = parentOf.get(cur);
  }
  return false;
}

class Planner {
  readonly #tokens: Map<string, Set<string>>;
  constructor(
    readonly mains: readonly Timed[],
    readonly windowDays: number,
    readonly state: LinkState,
    tokenCache: Map<string, Set<string>> | undefined,
  ) {
    this.#tokens = tokenCache ?? new Map();
  }

  #tokensOf(o: LinkOrder): Set<string> {
    const text = o.packageDescription ?? '';
    let t = this.#tokens.get(text);
    if (!t) {
      t = descriptionTokens(text);
      this.#tokens.set(text, t);
    }
    return t;
  }

  #allowed(main: Timed, childId: number): boolean {
    return !this.state.parentOf.has(main.order.id) || !isAncestor(this.state.parentOf, childId, main.order.id);
  }

  /** Nearest earlier main within the window, else nearest later one; null when the window holds none. */
  choose(child: Timed): PlannedLink | null {
    const windowMs = Math.max(0, this.windowDays) * DAY_MS;
    const { mains } = this;
    const last = lastAtOrBefore(mains, child.at);
    let parent: Timed | null = null;
    let later = false;
    for (let i = last; i >= 0 && child.at - mains[i].at <= windowMs && !parent; i--) {
      if (this.#allowed(mains[i], child.order.id)) parent = mains[i];
    }
    for (let i = last + 1; i < mains.length && mains[i].at - child.at <= windowMs && !parent; i++) {
      if (this.#allowed(mains[i], child.order.id)) [parent, later] = [mains[i], true];
    }
    if (!parent) return null;
    const candidates = lastAtOrBefore(mains, child.at + windowMs) - firstAtOrAfter(mains, child.at - windowMs) + 1;
    const confidence = linkConfidence({
      daysApart: Math.abs(child.at - parent.at) / DAY_MS,
      windowDays: this.windowDays,
      similarity: tokenJaccard(this.#tokensOf(child.order), this.#tokensOf(parent.order)),
      candidates,
      later,
    });
    return {
      parentId: parent.order.id,
      childId: child.order.id,
      relationship: child.order.category,
      rule: later ? RULE_NEAREST_LATER : RULE_NEAREST_EARLIER,
      confidence,
    };
  }
}

function sameLink(l: ExistingLink, p: PlannedLink): boolean {
  return (
    l.parentId === p.parentId &&
    l.rule === p.rule &&
    l.relationship === p.relationship &&
    Math.abs(l.confidence - p.confidence) < 1e-9
  );
}

/**
 * Plans the automatic links of one customer's orders. Main orders are real sales; each sub-order links to the
 * nearest earlier main within the window, else the nearest later one. A child with an active manual link, or
 * that a user unlinked, is left alone. Auto links that already match the plan are kept (no churn); others are
 * replaced. Auto links always point at a main: chains exist only through manual links.
 */
export function planCustomerLinks(
  orders: readonly LinkOrder[],
  existing: readonly ExistingLink[],
  opts: PlanOptions,
): LinkPlan {
  const timed: Timed[] = orders.map((o) => ({ order: o, at: Date.parse(o.createdAt) }));
  const mains = timed.filter((t) => t.order.category === MAIN_CATEGORY && Number.isFinite(t.at)).sort(byTime);
  const state = indexExisting(existing);
  const planner = new Planner(mains, opts.windowDays, state, opts.tokenCache);
  const plan: LinkPlan = { add: [], deactivate: [] };
  for (const t of timed) {
    const actives = state.activeByChild.get(t.order.id) ?? [];
    const manual = actives.find(isManualLink);
    // Only one link may be active per child; anything beside the one we keep is stale and goes.
    const keep = manual ?? actives[0];
    for (const l of actives) if (l !== keep) plan.deactivate.push(l.id);
    if (manual) continue;
    const linkable = SUB_CATEGORIES.has(t.order.category) && !state.refused.has(t.order.id) && Number.isFinite(t.at);
    const want = linkable ? planner.choose(t) : null;
    if (keep && want && sameLink(keep, want)) continue;
    if (keep) plan.deactivate.push(keep.id);
    if (want) plan.add.push(want);
  }
  return plan;
}
