import { describe, expect, it } from 'vitest';
import {
  type ExistingLink,
  hierarchyStatusOf,
  type LinkOrder,
  linkConfidence,
  type PlannedLink,
  planCustomerLinks,
  RULE_MANUAL_UNLINK,
  RULE_NEAREST_EARLIER,
  RULE_NEAREST_LATER,
} from '../link-rules.js';
import { descriptionTokens, tokenJaccard } from '../package-similarity.js';
import { planCustomers } from '../plan-customers.js';
import { day } from './fixtures.js';

let nextId = 1;
const order = (category: string, at: number, description: string | null = null, id = nextId++): LinkOrder => ({
  id,
  category,
  createdAt: day(at),
  packageDescription: description,
});
const sale = (at: number, description?: string | null, id?: number) => order('real_sale', at, description, id);
const sub = (category: string, at: number, description?: string | null, id?: number) =>
  order(category, at, description, id);

let nextLinkId = 1000;
const link = (parentId: number, childId: number, extra: Partial<ExistingLink> = {}): ExistingLink => ({
  id: nextLinkId++,
  parentId,
  childId,
  linkedBy: 'auto',
  active: true,
  rule: RULE_NEAREST_EARLIER,
  relationship: 'maintenance',
  confidence: 0.5,
  ...extra,
});

const W = { windowDays: 365 };
const plan = (orders: LinkOrder[], existing: ExistingLink[] = [], opts = W) =>
  planCustomerLinks(orders, existing, opts);
const only = (p: { add: PlannedLink[] }) => {
  expect(p.add).toHaveLength(1);
  return p.add[0];
};
/** What the database holds after applying a plan: the links an immediate second plan would read. */
function applied(existing: ExistingLink[], p: ReturnType<typeof plan>): ExistingLink[] {
  const gone = new Set(p.deactivate);
  return [
    ...existing.map((l) => (gone.has(l.id) ? { ...l, active: false } : l)),
    ...p.add.map((a) => link(a.parentId, a.childId, { ...a, linkedBy: 'auto', active: true })),
  ];
}

describe('planCustomerLinks: which main order a sub-order goes under', () => {
  it('links a sub-order to the nearest earlier main, not a nearer later one', () => {
    const a = sale(0);
    const b = sale(40);
    const m = sub('maintenance', 30);
    const l = only(plan([a, b, m]));
    expect(l).toMatchObject({ parentId: a.id, childId: m.id, rule: RULE_NEAREST_EARLIER, relationship: 'maintenance' });
  });

  it('picks the latest of several earlier mains', () => {
    const mains = [sale(0), sale(100), sale(200)];
    const s = sub('service', 250);
    expect(only(plan([...mains, s])).parentId).toBe(mains[2].id);
  });

  it('falls back to the nearest later main when no earlier one is in the window', () => {
    const old = sale(-400);
    const later1 = sale(20);
    const later2 = sale(60);
    const r = sub('return', 0);
    expect(only(plan([old, later2, later1, r]))).toMatchObject({ parentId: later1.id, rule: RULE_NEAREST_LATER });
  });

  it('window edge: exactly windowDays earlier links, a minute more does not', () => {
    const s1 = sale(0);
    const atEdge = sub('refund', 365);
    expect(only(plan([s1, atEdge])).parentId).toBe(s1.id);
    const s2 = sale(0);
    const past = sub('refund', 365 + 1 / 1440);
    expect(plan([s2, past]).add).toEqual([]);
  });

  it('the later fallback obeys the window too', () => {
    const r = sub('return', 0);
    expect(plan([r, sale(366)]).add).toEqual([]);
    expect(plan([r, sale(365)]).add).toHaveLength(1);
  });

  it('respects a custom window', () => {
    const s = sale(0);
    const m = sub('maintenance', 31);
    expect(plan([s, m], [], { windowDays: 30 }).add).toEqual([]);
    expect(plan([s, m], [], { windowDays: 31 }).add).toHaveLength(1);
  });

  it('a main created at the same instant counts as earlier', () => {
    const s = sale(5);
    const m = sub('maintenance', 5);
    expect(only(plan([m, s]))).toMatchObject({ parentId: s.id, rule: RULE_NEAREST_EARLIER });
  });

  it('links nothing without a main order, and never links mains or operational orders', () => {
    expect(plan([sub('maintenance', 0), sub('service', 3)]).add).toEqual([]);
    const p = plan([sale(0), sale(10), order('operational', 5)]);
    expect(p).toEqual({ add: [], deactivate: [] });
  });

  it('relationship is the sub-order category, for each sub category', () => {
    const s = sale(0);
    const subs = ['maintenance', 'service', 'return', 'refund', 'replacement'].map((c, i) => sub(c, i + 1));
    const p = plan([s, ...subs]);
    expect(p.add.map((l) => [l.childId, l.relationship])).toEqual(subs.map((o) => [o.id, o.category]));
    expect(p.add.every((l) => l.parentId === s.id)).toBe(true);
  });

  it('input order does not matter', () => {
    const orders = [sale(0), sale(50), sub('service', 60), sub('return', 10), sale(-30)];
    const a = plan(orders);
    const b = plan([...orders].reverse());
    expect(new Set(b.add.map((l) => JSON.stringify(l)))).toEqual(new Set(a.add.map((l) => JSON.stringify(l))));
  });

  it('ignores orders whose time cannot be read', () => {
    const bad = { ...sale(0), createdAt: 'not a date' };
    const m = sub('maintenance', 1);
    expect(plan([bad, m]).add).toEqual([]);
    const badSub = { ...sub('maintenance', 1), createdAt: '' };
    expect(plan([sale(0), badSub]).add).toEqual([]);
  });
});

describe('planCustomerLinks: confidence', () => {
  const conf = (orders: LinkOrder[]) => only(plan(orders)).confidence;

  it('stays within [0, 1]', () => {
    for (const d of [0, 1, 100, 365]) {
      const c = conf([sale(0, 'a'), sub('maintenance', d, 'zz')]);
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(1);
    }
  });

  it('is higher when the main is closer in time', () => {
    const near = conf([sale(0), sub('maintenance', 5)]);
    const far = conf([sale(0), sub('maintenance', 300)]);
    expect(near).toBeGreaterThan(far);
  });

  it('is higher when the descriptions share words (Arabic or Latin, any accents)', () => {
    const same = conf([sale(0, 'خلاط كهربائي X200'), sub('maintenance', 10, 'صيانة خلاط كهربائى X٢٠٠')]);
    const unknown = conf([sale(0, null), sub('maintenance', 10, 'صيانة خلاط')]);
    const different = conf([sale(0, 'Air fryer'), sub('maintenance', 10, 'Hair dryer')]);
    expect(same).toBeGreaterThan(unknown);
    expect(unknown).toBeGreaterThan(different);
  });

  it('is lower when more main orders compete within the window', () => {
    const alone = conf([sale(0), sub('service', 10)]);
    const crowded = conf([sale(-100), sale(-50), sale(0), sale(200), sub('service', 10)]);
    expect(alone).toBeGreaterThan(crowded);
  });

  it('is lower for a later main than for an earlier one at the same distance', () => {
    const earlier = conf([sale(0), sub('return', 10)]);
    const later = conf([sub('return', 0), sale(10)]);
    expect(earlier).toBeGreaterThan(later);
  });

  it('follows the documented formula', () => {
    // 0.5·(1 − 73/365) + 0.3·0.5 + 0.2/2 = 0.4 + 0.15 + 0.1
    expect(linkConfidence({ daysApart: 73, windowDays: 365, similarity: null, candidates: 2, later: false })).toBe(
      0.65,
    );
    expect(linkConfidence({ daysApart: 0, windowDays: 365, similarity: 1, candidates: 1, later: false })).toBe(1);
    expect(linkConfidence({ daysApart: 0, windowDays: 365, similarity: 1, candidates: 1, later: true })).toBe(0.8);
    expect(linkConfidence({ daysApart: 365, windowDays: 365, similarity: 0, candidates: 4, later: false })).toBe(0.05);
    expect(linkConfidence({ daysApart: 0, windowDays: 0, similarity: null, candidates: 1, later: false })).toBe(0.85);
  });
});

describe('planCustomerLinks: existing links and decisions of people', () => {
  it('keeps an auto link that still matches the plan (no churn)', () => {
    const orders = [sale(0, 'Blender'), sub('maintenance', 12, 'Blender motor'), sub('return', 40)];
    const first = plan(orders);
    expect(first.add).toHaveLength(2);
    expect(plan(orders, applied([], first))).toEqual({ add: [], deactivate: [] });
  });

  it('replaces an auto link that no longer matches: a nearer main arrived', () => {
    const s1 = sale(0);
    const m = sub('maintenance', 50);
    const existing = applied([], plan([s1, m]));
    const s2 = sale(45);
    const p = plan([s1, s2, m], existing);
    expect(p.deactivate).toEqual([existing[0].id]);
    expect(only(p)).toMatchObject({ parentId: s2.id, childId: m.id });
  });

  it('replaces an auto link whose confidence is stale (a competing main arrived in the window)', () => {
    const s1 = sale(0);
    const m = sub('maintenance', 50);
    const existing = applied([], plan([s1, m]));
    const p = plan([s1, sale(300), m], existing);
    expect(p.deactivate).toEqual([existing[0].id]);
    expect(only(p).parentId).toBe(s1.id);
    expect(only(p).confidence).toBeLessThan(existing[0].confidence);
  });

  it('deactivates the auto link of an order that is no longer a sub-order', () => {
    const s = sale(0);
    const m = sub('maintenance', 5);
    const existing = applied([], plan([s, m]));
    const p = plan([s, { ...m, category: 'operational' }], existing);
    expect(p).toEqual({ add: [], deactivate: [existing[0].id] });
  });

  it('deactivates an auto link whose main left the window or the customer', () => {
    const m = sub('maintenance', 5);
    const stale = link(999_999, m.id);
    expect(plan([m], [stale])).toEqual({ add: [], deactivate: [stale.id] });
  });

  it('never touches an active manual link, whatever the plan says', () => {
    const s1 = sale(0);
    const s2 = sale(40);
    const m = sub('maintenance', 50);
    for (const linkedBy of ['user', 'service_action']) {
      const manual = link(s1.id, m.id, { linkedBy, rule: 'manual_link', confidence: 1 });
      expect(plan([s1, s2, m], [manual])).toEqual({ add: [], deactivate: [] });
    }
  });

  it('a manual link wins over a stray active auto link of the same child', () => {
    const s = sale(0);
    const m = sub('maintenance', 5);
    const manual = link(s.id, m.id, { linkedBy: 'user', rule: 'manual_link' });
    const stray = link(s.id, m.id);
    expect(plan([s, m], [stray, manual])).toEqual({ add: [], deactivate: [stray.id] });
  });

  it('leaves a sub-order a user unlinked alone', () => {
    const s = sale(0);
    const m = sub('maintenance', 5);
    const refused = link(s.id, m.id, { linkedBy: 'user', rule: RULE_MANUAL_UNLINK, active: false });
    expect(plan([s, m], [refused])).toEqual({ add: [], deactivate: [] });
    // Even a leftover active auto link goes.
    const leftover = link(s.id, m.id);
    expect(plan([s, m], [refused, leftover])).toEqual({ add: [], deactivate: [leftover.id] });
  });

  it('a later manual link overrides an earlier unlink', () => {
    const s = sale(0);
    const m = sub('maintenance', 5);
    const refused = link(s.id, m.id, { linkedBy: 'user', rule: RULE_MANUAL_UNLINK, active: false });
    const manual = link(s.id, m.id, { linkedBy: 'user', rule: 'manual_link' });
    expect(plan([s, m], [refused, manual])).toEqual({ add: [], deactivate: [] });
  });

  it('an inactive auto link is history, not a decision: the child is linked again', () => {
    const s = sale(0);
    const m = sub('maintenance', 5);
    const old = link(s.id, m.id, { active: false });
    expect(only(plan([s, m], [old])).parentId).toBe(s.id);
  });

  it('does not close a cycle through a manual chain', () => {
    // A user hung sale B under service S; detection must not then hang S under B.
    const a = sale(0);
    const s = sub('service', 30);
    const b = sale(20);
    const manual = link(s.id, b.id, { linkedBy: 'user', rule: 'manual_link', relationship: 'real_sale' });
    expect(only(plan([a, b, s], [manual])).parentId).toBe(a.id);
    expect(plan([b, s], [manual]).add).toEqual([]);
  });
});

describe('planCustomers', () => {
  it('plans each customer on its own and reports every order’s parent', () => {
    const s1 = sale(0);
    const m1 = sub('maintenance', 5);
    const s2 = sale(0);
    const m2 = sub('service', 400);
    const p = planCustomers(
      [
        { ...s1, customerId: 1 },
        { ...m1, customerId: 1 },
        { ...s2, customerId: 2 },
        { ...m2, customerId: 2 },
      ],
      [],
      W,
    );
    expect(p.customers).toBe(2);
    expect(p.add.map((l) => [l.parentId, l.childId])).toEqual([[s1.id, m1.id]]);
    expect([...p.parentOf]).toEqual([[m1.id, s1.id]]);
  });

  it('a customer’s orders are never linked to another customer’s main', () => {
    const s = sale(0);
    const m = sub('maintenance', 1);
    const p = planCustomers(
      [
        { ...s, customerId: 1 },
        { ...m, customerId: 2 },
      ],
      [],
      W,
    );
    expect(p.add).toEqual([]);
  });

  it('parentOf drops deactivated links and keeps manual ones', () => {
    const s = sale(0);
    const m = sub('maintenance', 5);
    const x = sub('return', 6);
    const stale = link(12345, m.id);
    const manual = link(s.id, x.id, { linkedBy: 'user', rule: 'manual_link' });
    const p = planCustomers(
      [
        { ...s, customerId: 1 },
        { ...m, customerId: 1 },
        { ...x, customerId: 1 },
      ],
      [stale, manual],
      W,
    );
    expect(p.deactivate.map((l) => l.id)).toEqual([stale.id]);
    expect(p.parentOf.get(m.id)).toBe(s.id);
    expect(p.parentOf.get(x.id)).toBe(s.id);
  });
});

describe('package description similarity', () => {
  it('normalises Arabic diacritics, letter variants, tatweel and digits', () => {
    expect([...descriptionTokens('مِكْـــنَسَة كهربائيّة ٣٠٠')]).toEqual(['مكنسه', 'كهرباييه', '300']);
    expect([...descriptionTokens('أحمد إبراهيم آلة مستشفى')]).toEqual(['احمد', 'ابراهيم', 'اله', 'مستشفي']);
  });

  it('normalises Latin case and accents and drops one-letter words', () => {
    expect([...descriptionTokens('Café CRÈME x 2 Blender-X200')]).toEqual(['cafe', 'creme', 'blender', 'x200']);
    expect(descriptionTokens(null).size).toBe(0);
    expect(descriptionTokens('  - / ').size).toBe(0);
  });

  it('Jaccard: shared over all words, null without words', () => {
    const a = descriptionTokens('blender x200 motor');
    const b = descriptionTokens('Blender X200');
    expect(tokenJaccard(a, b)).toBeCloseTo(2 / 3);
    expect(tokenJaccard(a, a)).toBe(1);
    expect(tokenJaccard(a, descriptionTokens('kettle'))).toBe(0);
    expect(tokenJaccard(a, new Set())).toBeNull();
  });
});

describe('hierarchyStatusOf', () => {
  it('main for real sales, linked with a parent, unlinked otherwise', () => {
    expect(hierarchyStatusOf('real_sale', null)).toBe('main');
    expect(hierarchyStatusOf('real_sale', 5)).toBe('main');
    expect(hierarchyStatusOf('maintenance', 5)).toBe('linked');
    expect(hierarchyStatusOf('maintenance', null)).toBe('unlinked');
    expect(hierarchyStatusOf('operational', null)).toBe('unlinked');
  });
});
