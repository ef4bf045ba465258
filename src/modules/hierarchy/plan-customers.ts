import { type ExistingLink, type LinkOrder, type PlannedLink, planCustomerLinks } from './link-rules.js';

/** An order with the customer whose family it belongs to. */
export interface CustomerLinkOrder extends LinkOrder {
  customerId: number;
}

/** The link changes of many customers at once, and the parent every loaded order ends up with. */
export interface CustomersPlan {
  customers: number;
  add: PlannedLink[];
  deactivate: ExistingLink[];
  /** child → parent over the active links after the plan (orders without a parent are absent). */
  parentOf: Map<number, number>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Runs `planCustomerLinks` for every customer among the orders; links are grouped by their child's customer. */
export function planCustomers(
  orders: readonly CustomerLinkOrder[],
  links: readonly ExistingLink[],
  opts: { windowDays: number },
): CustomersPlan {
  const customerOf = new Map<number, number>();
  const ordersByCustomer = new Map<number, CustomerLinkOrder[]>();
  for (const o of orders) {
    customerOf.set(o.id, o.customerId);
    push(ordersByCustomer, o.customerId, o);
  }
  const linksByCustomer = new Map<number, ExistingLink[]>();
  const linkById = new Map<number, ExistingLink>();
  const parentOf = new Map<number, number>();
  for (const l of links) {
    const customerId = customerOf.get(l.childId);
    if (customerId === undefined) continue;
    linkById.set(l.id, l);
    if (l.active) parentOf.set(l.childId, l.parentId);
    push(linksByCustomer, customerId, l);
  }
  const out: CustomersPlan = { customers: ordersByCustomer.size, add: [], deactivate: [], parentOf };
  const planOpts = { windowDays: opts.windowDays, tokenCache: new Map<string, Set<string>>() };
  for (const [customerId, list] of ordersByCustomer) {
    const plan = planCustomerLinks(list, linksByCustomer.get(customerId) ?? [], planOpts);
    for (const id of plan.deactivate) {
      const l = linkById.get(id)!;
      out.deactivate.push(l);
      if (parentOf.get(l.childId) === l.parentId) parentOf.delete(l.childId);
    }
    for (const a of plan.add) {
      parentOf.set(a.childId, a.parentId);
      out.add.push(a);
    }
  }
  return out;
}
