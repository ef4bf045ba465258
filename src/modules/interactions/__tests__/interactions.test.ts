import type { Selectable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { testDialects } from '../../../../test/support/databases.js';
import { insertCustomer } from '../../../../test/support/order-fixtures.js';
import type { CustomersTable } from '../../customers/customers.tables.js';
import { updateInteraction } from '../interactions.repo.js';
import { DAY, eventsOf, fromNow, HOUR, MINUTE, userIdOf } from './desk.fixture.js';

type CustomerRow = Selectable<CustomersTable>;

describe.each(testDialects())('interactions (%s)', (dialect) => {
  let t: TestApp;
  let agent: string;
  let agentId: number;
  let managerId: number;
  let betaUserId: number;
  let mona: CustomerRow;
  let omar: CustomerRow;
  let betaCustomer: CustomerRow;

  const url = (c: { id: number }) => `/api/v1/customers/${c.id}/interactions`;
  const get = (u: string, token = agent) => t.req({ method: 'GET', url: u, token });
  const post = (u: string, payload: object, token = agent) => t.req({ method: 'POST', url: u, token, payload });
  const patch = (id: number, payload: object, token = agent) =>
    t.req({ method: 'PATCH', url: `/api/v1/interactions/${id}`, token, payload });
  const log = async (c: { id: number }, payload: object = {}) => {
    const r = await post(url(c), { type: 'inquiry', channel: 'phone', subject: 'Where is my order?', ...payload });
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  };
  const setColumns = (id: number, set: Record<string, unknown>) =>
    t.tenantA.ctx.db.updateTable('interactions').set(set).where('id', '=', id).execute();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await t.tenantA.token('agent');
    agentId = await userIdOf(t, agent);
    managerId = await userIdOf(t, await t.tenantA.token('manager'));
    betaUserId = await userIdOf(t, await t.tenantB.token('agent'));
    mona = await insertCustomer(t.tenantA.ctx, { name: 'Mona Said' });
    omar = await insertCustomer(t.tenantA.ctx, { name: 'Omar Adel' });
    betaCustomer = await insertCustomer(t.tenantB.ctx, { name: 'Beta customer' });
  });
  afterAll(async () => t?.close());

  it('logs an interaction: defaults, a T- ticket number, the customer named, created_by, an event', async () => {
    const i = await log(mona, { description: '  Parcel late  ', type: 'complaint', channel: 'whatsapp' });
    expect(i).toMatchObject({
      customerId: mona.id,
      customer: { id: mona.id, name: 'Mona Said', phone: mona.phone },
      type: 'complaint',
      channel: 'whatsapp',
      description: 'Parcel late',
      priority: 'medium',
      status: 'open',
      nextStatuses: ['in_progress', 'waiting_customer', 'resolved', 'closed'],
      assigneeId: null,
      assignee: null,
      createdBy: agentId,
      resolvedAt: null,
      firstResponseAt: null,
      overdue: false,
    });
    expect(i.ticketNumber).toMatch(/^T-[2-9A-HJ-NP-Z]{8}$/);
    const created = await eventsOf(t.tenantA.ctx, 'interaction.created');
    expect(created.find((e) => e.entityId === String(i.id))?.payload).toMatchObject({ ticketNumber: i.ticketNumber });
    const byKey = await post(
      url(mona),
      { type: 'ticket', channel: 'web', subject: 'API' },
      await t.tenantA.apiKey('agent'),
    );
    expect(byKey.json().createdBy).toBeNull();
  });

  it('an answered inquiry can be logged resolved; assignees are checked', async () => {
    const done = await log(omar, { status: 'resolved', resolution: 'Explained', assigneeId: managerId });
    expect(done).toMatchObject({ status: 'resolved', resolutionMinutes: 0, resolution: 'Explained' });
    expect(done.assignee).toEqual({ id: managerId, name: expect.any(String) });
    expect(done.resolvedAt).toBe(done.createdAt);
    expect(done.firstResponseAt).toBe(done.createdAt);
    for (const assigneeId of [betaUserId, 99_999_999]) {
      const r = await post(url(omar), { type: 'call', channel: 'phone', subject: 'x', assigneeId });
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json().error.code).toBe('invalid_assignee');
    }
    const past = await post(url(omar), { type: 'call', channel: 'phone', subject: 'x', followUpAt: fromNow(-HOUR) });
    expect(past.statusCode).toBe(422);
    expect(past.json().error.code).toBe('follow_up_in_past');
  });

  it('bad input is a 400, other tenants and unknown ids a 404', async () => {
    const base = { type: 'call', channel: 'phone', subject: 'x' };
    for (const body of [
      { ...base, surprise: 1 },
      { ...base, type: 'sms' },
      { ...base, channel: 'fax' },
      { ...base, priority: 'critical' },
      { ...base, subject: '' },
      { ...base, subject: '   ' },
    ]) {
      expect((await post(url(mona), body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    const foreign = await post(url(betaCustomer), base);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('customer_not_found');
    expect((await get(url(betaCustomer))).statusCode).toBe(404);
    const betaItem = (await post(url(betaCustomer), base, await t.tenantB.token('agent'))).json();
    expect((await get(`/api/v1/interactions/${betaItem.id}`)).statusCode).toBe(404);
    expect((await patch(betaItem.id, { status: 'closed' })).statusCode).toBe(404);
    expect((await get(`/api/v1/interactions/${betaItem.id}`, await t.tenantB.token('agent'))).statusCode).toBe(200);
    const list = await get(`/api/v1/interactions?search=${encodeURIComponent(betaItem.ticketNumber)}`);
    expect(list.json().items).toEqual([]);
  });

  it("a customer's history: newest first, filtered by type and status, keyset-paged", async () => {
    const c = await insertCustomer(t.tenantA.ctx, { name: 'History' });
    const made = [];
    for (const [type, status] of [
      ['call', 'open'],
      ['complaint', 'in_progress'],
      ['complaint', 'resolved'],
      ['inquiry', 'open'],
      ['ticket', 'closed'],
    ]) {
      made.push(await log(c, { type, status }));
    }
    const newestFirst = made.map((m) => m.id).reverse();
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`${url(c)}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.statusCode, page.body).toBe(200);
      seen.push(...page.json().items.map((i: { id: number }) => i.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(newestFirst);
    const complaints = (await get(`${url(c)}?type=complaint`)).json().items.map((i: { id: number }) => i.id);
    expect(complaints).toEqual([made[2].id, made[1].id]);
    const done = (await get(`${url(c)}?status=resolved,closed`)).json().items.map((i: { id: number }) => i.id);
    expect(done).toEqual([made[4].id, made[2].id]);
  });

  it('the desk list: every filter agrees with the same rule computed here', async () => {
    const c1 = await insertCustomer(t.tenantA.ctx, { name: 'Filter one' });
    const c2 = await insertCustomer(t.tenantA.ctx, { name: 'Filter two' });
    const specs = [
      {
        c: c1,
        type: 'complaint',
        channel: 'phone',
        priority: 'urgent',
        status: 'open',
        assigneeId: agentId,
        subject: 'Broken blender jar',
      },
      {
        c: c1,
        type: 'inquiry',
        channel: 'email',
        priority: 'low',
        status: 'in_progress',
        assigneeId: managerId,
        subject: 'Invoice copy',
      },
      {
        c: c2,
        type: 'ticket',
        channel: 'web',
        priority: 'high',
        status: 'waiting_customer',
        subject: 'Blender motor noise',
      },
      {
        c: c2,
        type: 'complaint',
        channel: 'whatsapp',
        priority: 'medium',
        status: 'resolved',
        assigneeId: agentId,
        subject: '100% refund asked',
      },
      { c: c2, type: 'call', channel: 'phone', priority: 'urgent', status: 'open', subject: 'Call back' },
    ];
    const rows: any[] = [];
    for (const { c, ...body } of specs) rows.push({ ...(await log(c, body)), customerId: c.id });
    // Overdue needs a follow-up in the past (the API refuses to set one) and an old row for the date range.
    await setColumns(rows[0].id, { follow_up_at: fromNow(-2 * HOUR) });
    await setColumns(rows[3].id, { follow_up_at: fromNow(-2 * HOUR) });
    await setColumns(rows[2].id, { follow_up_at: fromNow(DAY) });
    await setColumns(rows[4].id, { created_at: fromNow(-10 * DAY), updated_at: fromNow(-10 * DAY) });
    const mine = new Set(rows.map((r) => r.id));
    const expectIds = async (query: string, keep: (r: (typeof rows)[number], i: number) => boolean) => {
      const res = await get(`/api/v1/interactions?limit=200&${query}`);
      expect(res.statusCode, `${query} → ${res.body}`).toBe(200);
      const got = res
        .json()
        .items.map((i: { id: number }) => i.id)
        .filter((id: number) => mine.has(id));
      const want = rows.filter(keep).map((r) => r.id);
      expect(new Set(got), query).toEqual(new Set(want));
    };
    await expectIds('status=open,waiting_customer', (r) => ['open', 'waiting_customer'].includes(r.status));
    await expectIds('type=complaint', (r) => r.type === 'complaint');
    await expectIds('priority=urgent', (r) => r.priority === 'urgent');
    await expectIds('channel=phone', (r) => r.channel === 'phone');
    await expectIds('assignee=me', (r) => r.assigneeId === agentId);
    await expectIds(`assignee=${managerId}`, (r) => r.assigneeId === managerId);
    await expectIds('assignee=none', (r) => r.assigneeId === null);
    await expectIds(`customerId=${c2.id}`, (r) => r.customerId === c2.id);
    await expectIds('overdue=true', (_r, i) => i === 0);
    await expectIds(`overdue=false&customerId=${c1.id}`, (r, i) => r.customerId === c1.id && i !== 0);
    await expectIds(`createdFrom=${encodeURIComponent(fromNow(-DAY))}`, (_r, i) => i !== 4);
    await expectIds(`createdTo=${encodeURIComponent(fromNow(-5 * DAY))}`, (_r, i) => i === 4);
    await expectIds('search=blender', (r) => /blender/i.test(r.subject));
    await expectIds('search=100%25', (r) => r.subject.includes('100%'));
    await expectIds(`search=${rows[1].ticketNumber.toLowerCase()}`, (_r, i) => i === 1);
    await expectIds(`status=open&priority=urgent&customerId=${c2.id}`, (_r, i) => i === 4);
    const overdue = (await get(`/api/v1/interactions/${rows[0].id}`)).json();
    expect(overdue.overdue).toBe(true);
    const apiKey = await get('/api/v1/interactions?assignee=me', await t.tenantA.apiKey('agent'));
    expect(apiKey.statusCode).toBe(400);
    expect((await get('/api/v1/interactions?status=pending')).statusCode).toBe(400);
  });

  it('status changes: resolve stamps time and minutes, close keeps them, reopen clears, closed is final', async () => {
    const i = await log(mona, { type: 'complaint', subject: 'Lifecycle' });
    await setColumns(i.id, { created_at: fromNow(-90 * MINUTE) });
    const working = (await patch(i.id, { status: 'in_progress', assigneeId: agentId })).json();
    expect(working.firstResponseAt).not.toBeNull();
    expect(working.assignee.id).toBe(agentId);
    const resolved = await patch(i.id, { status: 'resolved', resolution: 'Sent a new jar' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolution: 'Sent a new jar', resolutionMinutes: 90 });
    expect(resolved.json().firstResponseAt).toBe(working.firstResponseAt);
    const reopened = (await patch(i.id, { status: 'open' })).json();
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null, resolutionMinutes: null });
    const again = (await patch(i.id, { status: 'resolved' })).json();
    expect(again.resolutionMinutes).toBe(90);
    const closed = (await patch(i.id, { status: 'closed', satisfaction: 4 })).json();
    expect(closed).toMatchObject({ status: 'closed', satisfaction: 4, nextStatuses: [] });
    expect(closed.resolvedAt).toBe(again.resolvedAt);
    const refused = await patch(i.id, { status: 'open' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'invalid_transition',
      details: { from: 'closed', to: 'open', allowed: [] },
    });
    const updates = (await eventsOf(t.tenantA.ctx, 'interaction.updated')).filter((e) => e.entityId === String(i.id));
    expect(updates.map((e) => e.payload.changes.status?.to)).toEqual([
      'in_progress',
      'resolved',
      'open',
      'resolved',
      'closed',
    ]);
    expect(updates[1].payload.changes.resolutionMinutes).toEqual({ from: null, to: 90 });
  });

  it('a change written against a stale read is refused, not merged', async () => {
    const i = await log(mona, { subject: 'Race' });
    const stale = await updateInteraction(t.tenantA.ctx, i.id, { status: 'closed' }, '2000-01-01T00:00:00.000Z');
    expect(stale).toBe(false);
    expect(await updateInteraction(t.tenantA.ctx, i.id, { priority: 'low' }, i.updatedAt)).toBe(true);
    expect((await get(`/api/v1/interactions/${i.id}`)).json()).toMatchObject({ status: 'open', priority: 'low' });
  });

  it('satisfaction is for resolved work; priority and follow-up change; a no-op writes nothing', async () => {
    const i = await log(omar, { subject: 'Satisfaction' });
    const early = await patch(i.id, { satisfaction: 5 });
    expect(early.statusCode).toBe(422);
    expect(early.json().error.code).toBe('interaction_not_resolved');
    expect((await patch(i.id, { satisfaction: 6 })).statusCode).toBe(400);
    expect((await patch(i.id, { satisfaction: 0 })).statusCode).toBe(400);
    expect((await patch(i.id, { status: 'resolved', satisfaction: 5 })).json().satisfaction).toBe(5);
    const followUpAt = fromNow(2 * DAY);
    const changed = (await patch(i.id, { priority: 'high', followUpAt })).json();
    expect(changed).toMatchObject({ priority: 'high', followUpAt });
    expect((await patch(i.id, { followUpAt: fromNow(-DAY) })).json().error.code).toBe('follow_up_in_past');
    expect((await patch(i.id, { assigneeId: betaUserId })).json().error.code).toBe('invalid_assignee');
    const before = (await eventsOf(t.tenantA.ctx, 'interaction.updated')).length;
    const same = await patch(i.id, { priority: 'high', followUpAt, unknown: 1 });
    expect(same.statusCode).toBe(400);
    expect((await patch(i.id, { priority: 'high', followUpAt })).statusCode).toBe(200);
    expect((await patch(i.id, {})).json().updatedAt).toBe(changed.updatedAt);
    expect((await eventsOf(t.tenantA.ctx, 'interaction.updated')).length).toBe(before);
  });

  it('a viewer reads everything and writes nothing', async () => {
    const viewer = await t.tenantA.token('viewer');
    const i = await log(mona, { subject: 'Viewer check' });
    expect((await get('/api/v1/interactions', viewer)).statusCode).toBe(200);
    expect((await get(url(mona), viewer)).statusCode).toBe(200);
    expect((await get(`/api/v1/interactions/${i.id}`, viewer)).statusCode).toBe(200);
    expect((await get('/api/v1/interactions/dashboard', viewer)).statusCode).toBe(200);
    const writes = [
      await post(url(mona), { type: 'call', channel: 'phone', subject: 'x' }, viewer),
      await patch(i.id, { status: 'closed' }, viewer),
      await post('/api/v1/calls', { customerId: mona.id, scheduledAt: fromNow(HOUR), purpose: 'x' }, viewer),
    ];
    for (const w of writes) {
      expect(w.statusCode).toBe(403);
      expect(w.json().error.code).toBe('forbidden');
    }
    expect((await get(`/api/v1/interactions/${i.id}`)).json().status).toBe('open');
  });
});
