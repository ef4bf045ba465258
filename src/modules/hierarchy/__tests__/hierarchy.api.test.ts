import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { testDialects } from '../../../../test/support/databases.js';
import type { TenantCtx } from '../../../platform/db/tenant-ctx.js';
import { registerHierarchyJobs } from '../full-detection.js';
import { relinkCustomers, writeLinkChanges } from '../hierarchy.repo.js';
import { inTransaction } from '../../../platform/db/tenant-ctx.js';
import { insertSaleWithRepair, insertTestCustomer, insertTestOrder } from './fixtures.js';

describe.each(testDialects())('order hierarchy through the API (%s)', (dialect) => {
  let t: TestApp;
  let a: TenantCtx;
  let owner: string;
  let agent: string;

  const req = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, token = owner) =>
    t.req({ method, url, token, ...(payload ? { payload } : {}) });
  const orderRow = (id: number) =>
    a.db
      .selectFrom('orders')
      .select(['hierarchy_status', 'parent_order_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const events = (type: string) =>
    a.db
      .selectFrom('events')
      .select(['entity_id', 'payload'])
      .where('tenant_id', '=', a.tenantId)
      .where('type', '=', type)
      .execute();

  beforeAll(async () => {
    t = await createTestApp(dialect, {}, { startJobs: true });
    registerHierarchyJobs(t.ctx);
    a = t.tenantA.ctx;
    owner = await t.tenantA.token('owner');
    agent = await t.tenantA.token('agent');
  });
  afterAll(async () => t?.close());

  it('relinkCustomers links a sub-order, keeps the order columns in step, and changes nothing the second time', async () => {
    const { customer, sale, repair } = await insertSaleWithRepair(a);
    const op = await insertTestOrder(a, { customerId: customer.id, category: 'operational', at: 3 });
    const first = await relinkCustomers(a, [customer.id, customer.id]);
    expect(first).toMatchObject({ customers: 1, orders: 3, linksAdded: 1, linksDeactivated: 0, ordersUpdated: 1 });
    expect(await orderRow(repair)).toEqual({ hierarchy_status: 'linked', parent_order_id: sale });
    expect(await orderRow(sale)).toEqual({ hierarchy_status: 'main', parent_order_id: null });
    expect(await orderRow(op)).toEqual({ hierarchy_status: 'unlinked', parent_order_id: null });
    expect((await events('order.linked')).map((e) => Number(e.entity_id))).toContain(repair);
    const second = await relinkCustomers(a, [customer.id]);
    expect(second).toMatchObject({ linksAdded: 0, linksDeactivated: 0, ordersUpdated: 0 });
    expect(await relinkCustomers(a, [])).toMatchObject({ customers: 0 });
  });

  it('an automatic link for a child that another writer linked meanwhile is skipped, not an error', async () => {
    const { customer, sale, repair } = await insertSaleWithRepair(a);
    const other = await insertTestOrder(a, { customerId: customer.id, category: 'real_sale', at: 1 });
    await relinkCustomers(a, [customer.id]);
    const activeOf = (child: number) =>
      a.db
        .selectFrom('order_links')
        .select(['parent_order_id', 'linked_by'])
        .where('tenant_id', '=', a.tenantId)
        .where('child_order_id', '=', child)
        .where('active', '=', true)
        .execute();
    const before = await activeOf(repair);
    expect(before).toHaveLength(1);
    // A plan made before that link existed tries to add its own for the same child.
    const stale = { parentId: other === before[0].parent_order_id ? sale : other, childId: repair };
    await inTransaction(a, (tx) =>
      writeLinkChanges(tx, {
        add: [{ ...stale, relationship: 'maintenance', rule: 'nearest_before', confidence: 0.5 }],
        deactivate: [],
      }),
    );
    expect(await activeOf(repair)).toEqual(before);
  });

  it('family, sub-orders and main-order read the tree', async () => {
    const { customer, sale, repair } = await insertSaleWithRepair(a);
    const refund = await insertTestOrder(a, { customerId: customer.id, category: 'refund', at: 20 });
    await relinkCustomers(a, [customer.id]);

    const subs = await req('GET', `/api/v1/orders/${sale}/sub-orders`);
    expect(subs.statusCode).toBe(200);
    expect(subs.json().items.map((i: any) => [i.order.id, i.link.relationship, i.link.linkedBy])).toEqual([
      [repair, 'maintenance', 'auto'],
      [refund, 'refund', 'auto'],
    ]);
    const main = (await req('GET', `/api/v1/orders/${repair}/main-order`)).json();
    expect(main.mainOrder.id).toBe(sale);
    expect(main.rootOrder.id).toBe(sale);
    expect(main.link.rule).toBe('nearest_earlier_main');
    expect(main.link.confidence).toBeGreaterThan(0.5);
    expect((await req('GET', `/api/v1/orders/${sale}/main-order`)).json()).toMatchObject({
      mainOrder: null,
      link: null,
    });

    const family = (await req('GET', `/api/v1/orders/${refund}/family`)).json();
    expect(family.family.rootOrderId).toBe(sale);
    expect(family.family.nodes.map((n: any) => [n.order.id, n.depth, n.parentOrderId])).toEqual([
      [sale, 0, null],
      [repair, 1, sale],
      [refund, 1, sale],
    ]);
    expect((await req('GET', '/api/v1/orders/99999999/family')).statusCode).toBe(404);
    expect((await req('GET', '/api/v1/orders/abc/family')).statusCode).toBe(400);
  });

  it('manual link: 404, 422 different_customers, 422 cycle, then a chain that detection keeps', async () => {
    const { customer, sale, repair } = await insertSaleWithRepair(a);
    const replacement = await insertTestOrder(a, { customerId: customer.id, category: 'replacement', at: 30 });
    await relinkCustomers(a, [customer.id]);
    const other = await insertSaleWithRepair(a);

    const link = (mainOrderId: number, subOrderId: number, token = agent) =>
      req('POST', '/api/v1/orders/hierarchy/link', { mainOrderId, subOrderId, reason: 'agent checked' }, token);
    expect((await link(99999999, repair)).json().error.code).toBe('order_not_found');
    const diff = await link(other.sale, repair);
    expect([diff.statusCode, diff.json().error.code]).toEqual([422, 'different_customers']);
    expect((await link(repair, repair)).json().error.code).toBe('cycle');
    expect((await link(repair, sale)).json().error.code).toBe('cycle');

    // A chain: sale → maintenance → replacement, the second link by hand.
    const made = await link(repair, replacement);
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({
      parentOrderId: repair,
      childOrderId: replacement,
      linkedBy: 'user',
      rule: 'manual_link',
      confidence: 1,
      reason: 'agent checked',
      active: true,
    });
    expect(await orderRow(replacement)).toEqual({ hierarchy_status: 'linked', parent_order_id: repair });
    const actives = await a.db
      .selectFrom('order_links')
      .selectAll()
      .where('child_order_id', '=', replacement)
      .where('active', '=', true)
      .execute();
    expect(actives).toHaveLength(1);

    expect(await relinkCustomers(a, [customer.id])).toMatchObject({
      linksAdded: 0,
      linksDeactivated: 0,
      ordersUpdated: 0,
    });
    const family = (await req('GET', `/api/v1/orders/${sale}/family`)).json().family;
    expect(family.nodes.map((n: any) => [n.order.id, n.depth])).toEqual([
      [sale, 0],
      [repair, 1],
      [replacement, 2],
    ]);
    const main = (await req('GET', `/api/v1/orders/${replacement}/main-order`)).json();
    expect([main.mainOrder.id, main.rootOrder.id]).toEqual([repair, sale]);
    const linked = (await events('order.linked')).find((e) => Number(e.entity_id) === replacement);
    expect(linked).toBeTruthy();
  });

  it('unlink records the decision: detection never links the order again; a manual link still can', async () => {
    const { customer, sale, repair } = await insertSaleWithRepair(a);
    await relinkCustomers(a, [customer.id]);
    const [auto] = (await req('GET', `/api/v1/orders/${sale}/sub-orders`)).json().items;
    const del = await req(
      'DELETE',
      `/api/v1/orders/hierarchy/links/${auto.link.id}?reason=not%20the%20same%20product`,
      undefined,
      agent,
    );
    expect(del.statusCode).toBe(204);
    expect(await orderRow(repair)).toEqual({ hierarchy_status: 'unlinked', parent_order_id: null });
    expect((await req('DELETE', `/api/v1/orders/hierarchy/links/${auto.link.id}`)).statusCode).toBe(404);
    const unlinked = (await events('order.unlinked')).find((e) => Number(e.entity_id) === repair);
    expect(unlinked).toBeTruthy();

    expect(await relinkCustomers(a, [customer.id])).toMatchObject({ linksAdded: 0, ordersUpdated: 0 });
    expect((await req('GET', `/api/v1/orders/${sale}/sub-orders`)).json().items).toEqual([]);

    const again = await req('POST', '/api/v1/orders/hierarchy/link', {
      mainOrderId: sale,
      subOrderId: repair,
      reason: 'it was',
    });
    expect(again.statusCode).toBe(201);
    expect(await relinkCustomers(a, [customer.id])).toMatchObject({ linksAdded: 0, linksDeactivated: 0 });
    expect(await orderRow(repair)).toEqual({ hierarchy_status: 'linked', parent_order_id: sale });
  });

  it('a viewer may read but not link; another tenant’s orders are invisible', async () => {
    const { sale, repair } = await insertSaleWithRepair(a);
    const viewer = await t.tenantA.token('viewer');
    expect((await req('GET', `/api/v1/orders/${sale}/family`, undefined, viewer)).statusCode).toBe(200);
    const body = { mainOrderId: sale, subOrderId: repair, reason: 'x' };
    expect((await req('POST', '/api/v1/orders/hierarchy/link', body, viewer)).statusCode).toBe(403);
    const ownerB = await t.tenantB.token('owner');
    expect((await req('POST', '/api/v1/orders/hierarchy/link', body, ownerB)).statusCode).toBe(404);
    expect((await req('GET', `/api/v1/orders/${sale}/family`, undefined, ownerB)).statusCode).toBe(404);
  });

  it('customer view: any phone format, families and the orders outside them', async () => {
    const customer = await insertTestCustomer(a);
    const p = customer.phone;
    const sale = await insertTestOrder(a, { customerId: customer.id, category: 'real_sale', at: 0, phone: p });
    const svc = await insertTestOrder(a, { customerId: customer.id, category: 'service', at: 5, phone: p });
    const op = await insertTestOrder(a, { customerId: customer.id, category: 'operational', at: 6, phone: p });
    const lonely = await insertTestOrder(a, { customerId: customer.id, category: 'return', at: -900, phone: p });
    await relinkCustomers(a, [customer.id]);
    const national = `0${p.slice(3)}`;
    for (const form of [national, p.slice(1), `00${p.slice(1)}`, encodeURIComponent(p)]) {
      const r = await req('GET', `/api/v1/orders/hierarchy/customer/${form}`);
      expect(r.statusCode, form).toBe(200);
      const body = r.json();
      expect(body.phone).toBe(p);
      expect(body.families.map((f: any) => f.nodes.map((n: any) => n.order.id))).toEqual([[sale, svc]]);
      expect(body.standalone.map((o: any) => o.id)).toEqual([lonely, op]);
    }
    expect((await req('GET', '/api/v1/orders/hierarchy/customer/123456')).json().error.code).toBe('invalid_phone');
    expect((await req('GET', '/api/v1/orders/hierarchy/customer/01009999999')).statusCode).toBe(404);
  });

  it('analytics: coverage, relationships, who linked, confidence', async () => {
    const r = await req('GET', '/api/v1/orders/hierarchy/analytics');
    expect(r.statusCode).toBe(200);
    const s = r.json();
    const subs = await a.db
      .selectFrom('orders')
      .select('hierarchy_status')
      .where('tenant_id', '=', a.tenantId)
      .where('category', 'in', ['maintenance', 'service', 'return', 'refund', 'replacement'])
      .execute();
    const linked = subs.filter((o) => o.hierarchy_status === 'linked').length;
    expect(s.subOrders).toBe(subs.length);
    expect(s.linkedSubOrders).toBe(linked);
    expect(s.unlinkedSubOrders).toBe(subs.length - linked);
    expect(s.coverage).toBeCloseTo(linked / subs.length, 3);
    expect(s.byLinkedBy.user).toBeGreaterThanOrEqual(2);
    expect(s.byLinkedBy.auto).toBeGreaterThan(0);
    expect(s.links).toBe(s.byLinkedBy.auto + s.byLinkedBy.user + s.byLinkedBy.serviceAction);
    expect(s.byRelationship.reduce((n: number, x: any) => n + x.links, 0)).toBe(s.links);
    expect(s.autoConfidence.high + s.autoConfidence.medium + s.autoConfidence.low).toBe(s.byLinkedBy.auto);
    expect(s.averageConfidence).toBeGreaterThan(0);
    expect(s.manualUnlinks).toBeGreaterThanOrEqual(1);
  });

  it('full re-detection as a job: repairs links and statuses, keeps manual decisions, double clicks share a job', async () => {
    const { customer, sale, repair } = await insertSaleWithRepair(a);
    const svc = await insertTestOrder(a, { customerId: customer.id, category: 'service', at: 15 });
    const refused = await insertTestOrder(a, { customerId: customer.id, category: 'return', at: 16 });
    await relinkCustomers(a, [customer.id]);
    const refusedLink = (await req('GET', `/api/v1/orders/${refused}/main-order`)).json().link;
    await req('DELETE', `/api/v1/orders/hierarchy/links/${refusedLink.id}`);
    await req('POST', '/api/v1/orders/hierarchy/link', { mainOrderId: repair, subOrderId: svc, reason: 'chain' });
    // Damage: a lost auto link and wrong columns, as a crash or a bulk import could leave them.
    await a.db.updateTable('order_links').set({ active: false }).where('child_order_id', '=', repair).execute();
    await a.db.updateTable('orders').set({ hierarchy_status: 'unlinked' }).where('id', '=', sale).execute();
    await a.db
      .updateTable('orders')
      .set({ parent_order_id: sale, hierarchy_status: 'linked' })
      .where('id', '=', refused)
      .execute();

    const first = await req('POST', '/api/v1/orders/hierarchy/detect', undefined, owner);
    const second = await req('POST', '/api/v1/orders/hierarchy/detect', undefined, owner);
    expect(first.statusCode).toBe(202);
    expect(second.json().jobId).toBe(first.json().jobId);
    expect((await req('POST', '/api/v1/orders/hierarchy/detect', undefined, agent)).statusCode).toBe(403);
    await t.ctx.jobs.drain(20_000);
    const status = (await req('GET', `/api/v1/orders/hierarchy/jobs/${first.json().jobId}`)).json();
    expect(status).toMatchObject({ status: 'completed', error: null });
    expect(status.summary.linksAdded).toBeGreaterThanOrEqual(1);
    expect(status.summary.ordersUpdated).toBeGreaterThanOrEqual(3);

    expect(await orderRow(sale)).toEqual({ hierarchy_status: 'main', parent_order_id: null });
    expect(await orderRow(repair)).toEqual({ hierarchy_status: 'linked', parent_order_id: sale });
    expect(await orderRow(svc)).toEqual({ hierarchy_status: 'linked', parent_order_id: repair });
    expect(await orderRow(refused)).toEqual({ hierarchy_status: 'unlinked', parent_order_id: null });
    expect((await req('GET', '/api/v1/orders/hierarchy/jobs/424242')).statusCode).toBe(404);
    const ownerB = await t.tenantB.token('owner');
    expect(
      (await req('GET', `/api/v1/orders/hierarchy/jobs/${first.json().jobId}`, undefined, ownerB)).statusCode,
    ).toBe(404);
    expect((await events('hierarchy.detection_completed')).length).toBeGreaterThanOrEqual(1);
  });
});
