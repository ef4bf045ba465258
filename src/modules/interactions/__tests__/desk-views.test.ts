import type { Selectable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { testDialects } from '../../../../test/support/databases.js';
import { insertCustomer } from '../../../../test/support/order-fixtures.js';
import { updateTenant } from '../../tenants/tenants.repo.js';
import type { InteractionsTable, ScheduledCallsTable } from '../interactions.tables.js';
import { DAY, fromNow, HOUR, localDate, MINUTE, userIdOf, zoneAwayFromUtcDay } from './desk.fixture.js';

type InteractionRow = Selectable<InteractionsTable>;
type CallRow = Selectable<ScheduledCallsTable>;

const UNRESOLVED = ['open', 'in_progress', 'waiting_customer'];
const count = <T>(rows: T[], keep: (r: T) => boolean) => rows.filter(keep).length;

describe.each(testDialects())('follow-ups and the dashboard (%s)', (dialect) => {
  let t: TestApp;
  let agent: string;
  let agentId: number;
  let managerId: number;
  const timeZone = zoneAwayFromUtcDay();

  const get = (url: string, token = agent) => t.req({ method: 'GET', url, token });
  const post = async (url: string, payload: object) => {
    const r = await t.req({ method: 'POST', url, token: agent, payload });
    expect(r.statusCode, `${url} → ${r.body}`).toBeLessThan(300);
    return r.json();
  };
  const db = () => t.tenantA.ctx.db;
  const setInteraction = (id: number, set: Partial<InteractionRow>) =>
    db().updateTable('interactions').set(set).where('id', '=', id).execute();
  const setCall = (id: number, set: Partial<CallRow>) =>
    db().updateTable('scheduled_calls').set(set).where('id', '=', id).execute();

  /** A desk with work in every state: due, overdue, later, resolved, cancelled, old and new. */
  async function seedDesk() {
    const c = await insertCustomer(t.tenantA.ctx, { name: 'Desk customer' });
    const log = (body: object) =>
      post(`/api/v1/customers/${c.id}/interactions`, { type: 'complaint', channel: 'phone', subject: 'S', ...body });
    const overdue = await log({ subject: 'Overdue', priority: 'urgent', assigneeId: agentId });
    await setInteraction(overdue.id, { follow_up_at: fromNow(-3 * HOUR) });
    const overdueLong = await log({ subject: 'Overdue long', status: 'waiting_customer' });
    await setInteraction(overdueLong.id, { follow_up_at: fromNow(-3 * DAY) });
    await log({ subject: 'Soon', followUpAt: fromNow(2 * MINUTE), status: 'in_progress', assigneeId: managerId });
    await log({ subject: 'Later', followUpAt: fromNow(9 * HOUR), priority: 'low' });
    await log({ subject: 'Next week', followUpAt: fromNow(7 * DAY), priority: 'high', assigneeId: agentId });
    const solved = await log({ subject: 'Solved', status: 'resolved' });
    await setInteraction(solved.id, { follow_up_at: fromNow(-HOUR) });
    const old = await log({ subject: 'Old', status: 'closed' });
    await setInteraction(old.id, {
      created_at: fromNow(-45 * DAY),
      resolved_at: fromNow(-40 * DAY),
      resolution_minutes: 7_200,
    });
    const recent = await log({ subject: 'Recent', status: 'resolved' });
    await setInteraction(recent.id, {
      created_at: fromNow(-12 * DAY),
      resolved_at: fromNow(-10 * DAY),
      resolution_minutes: 2_880,
    });
    const yesterdayish = await log({ subject: 'Yesterday-ish', status: 'resolved' });
    await setInteraction(yesterdayish.id, {
      created_at: fromNow(-20 * HOUR),
      resolved_at: fromNow(-14 * HOUR),
      resolution_minutes: 360,
    });
    const call = (offset: number, body: object = {}) =>
      post('/api/v1/calls', { customerId: c.id, scheduledAt: fromNow(offset), purpose: 'Call', ...body });
    const late = await call(HOUR);
    await setCall(late.id, { scheduled_at: fromNow(-5 * HOUR) });
    await call(3 * MINUTE);
    await call(11 * HOUR, { assigneeId: managerId });
    await call(2 * DAY);
    const cancelled = await call(MINUTE * 4);
    await post(`/api/v1/calls/${cancelled.id}/cancel`, {});
    const done = await call(HOUR);
    await post(`/api/v1/calls/${done.id}/complete`, { outcome: 'reached' });
  }

  async function allRows() {
    const tid = t.tenantA.ctx.tenantId;
    return {
      interactions: await db().selectFrom('interactions').selectAll().where('tenant_id', '=', tid).execute(),
      calls: await db().selectFrom('scheduled_calls').selectAll().where('tenant_id', '=', tid).execute(),
    };
  }

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await updateTenant(t.ctx.database.db, t.tenantA.tenant.id, { timeZone, now: new Date().toISOString() });
    agent = await t.tenantA.token('agent');
    agentId = await userIdOf(t, agent);
    managerId = await userIdOf(t, await t.tenantA.token('manager'));
    await seedDesk();
  });
  afterAll(async () => t?.close());

  it('follow-ups: unresolved follow-ups and scheduled calls due today or overdue, oldest first', async () => {
    const res = await get('/api/v1/follow-ups');
    expect(res.statusCode, res.body).toBe(200);
    const now = new Date().toISOString();
    const today = localDate(now, timeZone);
    const { interactions, calls } = await allRows();
    const expected = [
      ...interactions
        .filter((i) => i.follow_up_at && UNRESOLVED.includes(i.status) && localDate(i.follow_up_at, timeZone) <= today)
        .map((i) => ({ kind: 'interaction', id: i.id, dueAt: i.follow_up_at! })),
      ...calls
        .filter((c) => c.status === 'scheduled' && localDate(c.scheduled_at, timeZone) <= today)
        .map((c) => ({ kind: 'call', id: c.id, dueAt: c.scheduled_at })),
    ].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
    const body = res.json();
    expect(body).toMatchObject({ timeZone, day: today, hasMore: false });
    expect(body.items.map((i: any) => ({ kind: i.kind, id: i.id, dueAt: i.dueAt }))).toEqual(
      expected.map((e) => ({ ...e, dueAt: new Date(e.dueAt).toISOString() })),
    );
    for (const item of body.items) expect(item.overdue, item.title).toBe(Date.parse(item.dueAt) < Date.parse(now));
    const overdue = count(expected, (e) => Date.parse(e.dueAt) < Date.parse(now));
    expect(body.totals).toEqual({ overdue, dueLaterToday: expected.length - overdue });
    expect(overdue).toBeGreaterThanOrEqual(3);
    expect(body.items[0]).toMatchObject({
      kind: 'interaction',
      title: 'Overdue long',
      overdue: true,
      priority: 'medium',
    });
    expect(body.items[0].customer.name).toBe('Desk customer');

    const mine = (await get('/api/v1/follow-ups?assignee=me')).json();
    expect(mine.items.every((i: any) => i.assigneeId === agentId)).toBe(true);
    expect(mine.items.map((i: any) => i.title)).toContain('Overdue');
    const two = (await get('/api/v1/follow-ups?limit=2')).json();
    expect(two.items.map((i: any) => i.id)).toEqual(body.items.slice(0, 2).map((i: any) => i.id));
    expect(two.hasMore).toBe(true);
    expect(two.totals).toEqual(body.totals);
  });

  it("dashboard: every count equals the rule applied here to the rows, in the tenant's day", async () => {
    const res = await get('/api/v1/interactions/dashboard');
    expect(res.statusCode, res.body).toBe(200);
    const now = new Date().toISOString();
    const today = localDate(now, timeZone);
    const isToday = (iso: string | null) => iso !== null && localDate(iso, timeZone) === today;
    const { interactions, calls } = await allRows();
    const open = interactions.filter((i) => UNRESOLVED.includes(i.status));
    const late = (i: InteractionRow) => i.follow_up_at !== null && Date.parse(i.follow_up_at) < Date.parse(now);
    const recent = interactions.filter((i) => i.resolved_at && Date.parse(i.resolved_at) >= Date.parse(now) - 30 * DAY);
    const average = recent.reduce((s, i) => s + i.resolution_minutes!, 0) / recent.length;
    const dueToday = calls.filter((c) => isToday(c.scheduled_at) && c.status !== 'cancelled');
    expect(res.json()).toEqual({
      timeZone,
      day: today,
      open: {
        total: open.length,
        byStatus: Object.fromEntries(UNRESOLVED.map((s) => [s, count(open, (i) => i.status === s)])),
        byPriority: Object.fromEntries(
          ['low', 'medium', 'high', 'urgent'].map((p) => [p, count(open, (i) => i.priority === p)]),
        ),
      },
      mine: {
        open: count(open, (i) => i.assignee_id === agentId),
        overdue: count(open, (i) => i.assignee_id === agentId && late(i)),
        callsToday: count(dueToday, (c) => c.assignee_id === agentId),
      },
      overdue: {
        followUps: count(open, late),
        calls: count(calls, (c) => c.status === 'scheduled' && Date.parse(c.scheduled_at) < Date.parse(now)),
      },
      today: {
        created: count(interactions, (i) => isToday(i.created_at)),
        resolved: count(interactions, (i) => isToday(i.resolved_at)),
        callsCompleted: count(calls, (c) => isToday(c.completed_at)),
        callsScheduled: dueToday.length,
      },
      averageResolutionMinutes: Math.round(average * 10) / 10,
    });
    // The seed guarantees the numbers are not trivially zero.
    expect(res.json().open.total).toBeGreaterThanOrEqual(5);
    expect(res.json().overdue.followUps).toBe(2);
    expect(res.json().today.callsCompleted).toBe(1);
    const byKey = (await get('/api/v1/interactions/dashboard', await t.tenantA.apiKey('viewer'))).json();
    expect(byKey.mine).toBeNull();
  });
});
