import type { Selectable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { testDialects } from '../../../../test/support/databases.js';
import { insertCustomer } from '../../../../test/support/order-fixtures.js';
import type { CustomersTable } from '../../customers/customers.tables.js';
import { updateTenant } from '../../tenants/tenants.repo.js';
import { settleCall } from '../calls.repo.js';
import { markMissedCalls } from '../calls.service.js';
import { DAY, eventsOf, fromNow, HOUR, localDate, MINUTE, userIdOf, zoneAwayFromUtcDay } from './desk.fixture.js';

type CustomerRow = Selectable<CustomersTable>;

describe.each(testDialects())('scheduled calls (%s)', (dialect) => {
  let t: TestApp;
  let agent: string;
  let agentId: number;
  let managerId: number;
  let betaUserId: number;
  let mona: CustomerRow;
  let omar: CustomerRow;
  let betaCustomer: CustomerRow;
  const timeZone = zoneAwayFromUtcDay();

  const get = (url: string, token = agent) => t.req({ method: 'GET', url, token });
  const post = (url: string, payload: object, token = agent) => t.req({ method: 'POST', url, token, payload });
  const schedule = async (payload: object) => {
    const r = await post('/api/v1/calls', {
      customerId: mona.id,
      scheduledAt: fromNow(HOUR),
      purpose: 'Check',
      ...payload,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  };
  const complete = (id: number, payload: object) => post(`/api/v1/calls/${id}/complete`, payload);
  const interaction = async (c: { id: number }, payload: object = {}) => {
    const r = await post(`/api/v1/customers/${c.id}/interactions`, {
      type: 'complaint',
      channel: 'phone',
      subject: 'Motor noise',
      ...payload,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await updateTenant(t.ctx.database.db, t.tenantA.tenant.id, { timeZone, now: new Date().toISOString() });
    agent = await t.tenantA.token('agent');
    agentId = await userIdOf(t, agent);
    managerId = await userIdOf(t, await t.tenantA.token('manager'));
    betaUserId = await userIdOf(t, await t.tenantB.token('agent'));
    mona = await insertCustomer(t.tenantA.ctx, { name: 'Mona Said' });
    omar = await insertCustomer(t.tenantA.ctx, { name: 'Omar Adel' });
    betaCustomer = await insertCustomer(t.tenantB.ctx, { name: 'Beta customer' });
  });
  afterAll(async () => t?.close());

  it('schedules a call for the caller by default, with five minutes of grace for the past', async () => {
    const call = await schedule({ purpose: '  Confirm pickup  ' });
    expect(call).toMatchObject({
      customerId: mona.id,
      customer: { id: mona.id, name: 'Mona Said' },
      assigneeId: agentId,
      purpose: 'Confirm pickup',
      status: 'scheduled',
      overdue: false,
      outcome: null,
      createdBy: agentId,
    });
    expect((await eventsOf(t.tenantA.ctx, 'call.scheduled')).map((e) => e.entityId)).toContain(String(call.id));
    expect((await schedule({ scheduledAt: fromNow(-3 * MINUTE) })).overdue).toBe(true);
    const late = await post('/api/v1/calls', { customerId: mona.id, scheduledAt: fromNow(-10 * MINUTE), purpose: 'x' });
    expect(late.statusCode).toBe(422);
    expect(late.json().error.code).toBe('scheduled_in_past');
    expect((await schedule({ assigneeId: managerId })).assignee.id).toBe(managerId);
    expect((await schedule({ assigneeId: null })).assignee).toBeNull();
    const byKey = await post(
      '/api/v1/calls',
      { customerId: mona.id, scheduledAt: fromNow(HOUR), purpose: 'x' },
      await t.tenantA.apiKey('agent'),
    );
    expect(byKey.json()).toMatchObject({ assigneeId: null, createdBy: null });
  });

  it('refuses foreign customers, interactions and assignees', async () => {
    const base = { customerId: mona.id, scheduledAt: fromNow(HOUR), purpose: 'x' };
    const cases: Array<[object, number, string]> = [
      [{ customerId: betaCustomer.id }, 404, 'customer_not_found'],
      [{ assigneeId: betaUserId }, 422, 'invalid_assignee'],
      [{ purpose: '   ' }, 422, 'invalid_purpose'],
    ];
    const omarsCase = await interaction(omar);
    cases.push([{ interactionId: omarsCase.id }, 422, 'interaction_of_other_customer']);
    const beta = await post(
      `/api/v1/customers/${betaCustomer.id}/interactions`,
      { type: 'call', channel: 'phone', subject: 'b' },
      await t.tenantB.token('agent'),
    );
    cases.push([{ interactionId: beta.json().id }, 404, 'interaction_not_found']);
    for (const [change, status, code] of cases) {
      const r = await post('/api/v1/calls', { ...base, ...change });
      expect(r.statusCode, JSON.stringify(change)).toBe(status);
      expect(r.json().error.code).toBe(code);
    }
    expect((await post('/api/v1/calls', { ...base, scheduledAt: 'tomorrow' })).statusCode).toBe(400);
    expect((await post('/api/v1/calls', { ...base, extra: true })).statusCode).toBe(400);
  });

  it('completes a call: the outcome, a first response on its interaction, then 409 for any second try', async () => {
    const issue = await interaction(mona);
    const call = await schedule({ interactionId: issue.id });
    const done = await complete(call.id, { outcome: 'reached', notes: ' Will send photos ', durationMinutes: 7 });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().call).toMatchObject({
      status: 'completed',
      outcome: 'reached',
      notes: 'Will send photos',
      durationMinutes: 7,
      overdue: false,
    });
    expect(done.json().call.completedAt).not.toBeNull();
    expect(done.json().followUp).toBeNull();
    expect(done.json().interaction).toMatchObject({ id: issue.id, status: 'open' });
    expect(done.json().interaction.firstResponseAt).not.toBeNull();
    for (const r of [await complete(call.id, { outcome: 'busy' }), await post(`/api/v1/calls/${call.id}/cancel`, {})]) {
      expect(r.statusCode).toBe(409);
      expect(r.json().error).toMatchObject({ code: 'call_not_scheduled', details: { status: 'completed' } });
    }
    // Two agents completing at once: the one that read `scheduled` too late writes nothing.
    expect(await settleCall(t.tenantA.ctx, call.id, { status: 'cancelled' })).toBe(false);
    const completed = await eventsOf(t.tenantA.ctx, 'call.completed');
    expect(completed.filter((e) => e.entityId === String(call.id))).toHaveLength(1);
    const quiet = await interaction(mona);
    const missed = await schedule({ interactionId: quiet.id });
    expect((await complete(missed.id, { outcome: 'no_answer' })).json().interaction.firstResponseAt).toBeNull();
  });

  it('a follow-up date moves the linked open interaction, else opens a follow_up interaction', async () => {
    const issue = await interaction(omar);
    const linkedCall = await post('/api/v1/calls', {
      customerId: omar.id,
      scheduledAt: fromNow(HOUR),
      purpose: 'Diagnose',
      interactionId: issue.id,
    });
    const followUpAt = fromNow(3 * DAY);
    const moved = (await complete(linkedCall.json().id, { outcome: 'callback_requested', followUpAt })).json();
    expect(moved.followUp).toMatchObject({ action: 'updated', interaction: { id: issue.id, followUpAt } });
    expect(moved.call.followUpAt).toBe(followUpAt);

    const lone = await schedule({ purpose: 'Upsell filters' });
    const created = (await complete(lone.id, { outcome: 'reached', notes: 'Wants a quote', followUpAt })).json();
    expect(created.followUp.action).toBe('created');
    expect(created.followUp.interaction).toMatchObject({
      type: 'follow_up',
      channel: 'phone',
      subject: 'Follow-up: Upsell filters',
      description: 'Wants a quote',
      customerId: mona.id,
      assigneeId: agentId,
      followUpAt,
      status: 'open',
      createdBy: agentId,
    });
    const opened = await eventsOf(t.tenantA.ctx, 'interaction.created');
    expect(opened.map((e) => e.entityId)).toContain(String(created.followUp.interaction.id));
  });

  it('outcome resolved resolves the linked interaction; a later follow-up then gets its own thread', async () => {
    const issue = await interaction(mona, { priority: 'high' });
    const call = await schedule({ interactionId: issue.id });
    const followUpAt = fromNow(7 * DAY);
    const r = (await complete(call.id, { outcome: 'resolved', notes: 'Reset the device', followUpAt })).json();
    expect(r.interaction).toMatchObject({ id: issue.id, status: 'resolved', resolution: 'Reset the device' });
    expect(r.interaction.resolutionMinutes).toBe(0);
    expect(r.followUp.action).toBe('created');
    expect(r.followUp.interaction).toMatchObject({ type: 'follow_up', priority: 'high', followUpAt });
  });

  it('a refused completion changes nothing', async () => {
    const call = await schedule({});
    const r = await complete(call.id, { outcome: 'reached', followUpAt: fromNow(-DAY) });
    expect(r.statusCode).toBe(422);
    expect(r.json().error.code).toBe('follow_up_in_past');
    expect((await get(`/api/v1/calls/${call.id}`)).json()).toMatchObject({ status: 'scheduled', outcome: null });
    expect((await complete(call.id, { outcome: 'voicemail' })).statusCode).toBe(400);
  });

  it('cancels a scheduled call with its reason; then it can be neither cancelled nor completed', async () => {
    const call = await schedule({});
    const r = await post(`/api/v1/calls/${call.id}/cancel`, { reason: ' Customer travelling ' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'cancelled', notes: 'Customer travelling', overdue: false });
    expect((await post(`/api/v1/calls/${call.id}/cancel`, {})).statusCode).toBe(409);
    const bare = await schedule({});
    const noBody = await t.req({ method: 'POST', url: `/api/v1/calls/${bare.id}/cancel`, token: agent });
    expect(noBody.statusCode, noBody.body).toBe(200);
    expect(noBody.json()).toMatchObject({ status: 'cancelled', notes: null });
    expect((await complete(call.id, { outcome: 'reached' })).json().error.code).toBe('call_not_scheduled');
    expect((await eventsOf(t.tenantA.ctx, 'call.cancelled')).map((e) => e.entityId)).toContain(String(call.id));
    const betaCall = await post(
      '/api/v1/calls',
      { customerId: betaCustomer.id, scheduledAt: fromNow(HOUR), purpose: 'b' },
      await t.tenantB.token('agent'),
    );
    const id = betaCall.json().id;
    expect((await get(`/api/v1/calls/${id}`)).statusCode).toBe(404);
    expect((await post(`/api/v1/calls/${id}/cancel`, {})).statusCode).toBe(404);
    expect((await complete(id, { outcome: 'reached' })).statusCode).toBe(404);
  });

  it("lists calls in agenda order: status, assignee, today in the tenant's zone, a range, paging", async () => {
    const c = await insertCustomer(t.tenantA.ctx, { name: 'Agenda' });
    const offsets = [3 * DAY, -3 * MINUTE, 2 * MINUTE, 5 * HOUR, 20 * HOUR, 30 * HOUR];
    const calls = [];
    for (const [i, ms] of offsets.entries()) {
      const r = await post('/api/v1/calls', {
        customerId: c.id,
        scheduledAt: fromNow(ms),
        purpose: `p${i}`,
        ...(i % 2 ? { assigneeId: managerId } : {}),
      });
      calls.push(r.json());
    }
    await post(`/api/v1/calls/${calls[5].id}/cancel`, {});
    const agenda = [...calls].sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt));
    const ids = async (q: string) => {
      const res = await get(`/api/v1/calls?customerId=${c.id}&${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items.map((x: { id: number }) => x.id);
    };
    expect(await ids('')).toEqual(agenda.map((x) => x.id));
    const today = localDate(new Date().toISOString(), timeZone);
    expect(await ids('day=today')).toEqual(
      agenda.filter((x) => localDate(x.scheduledAt, timeZone) === today).map((x) => x.id),
    );
    expect(await ids('status=cancelled')).toEqual([calls[5].id]);
    expect(await ids('assignee=me&status=scheduled')).toEqual(
      agenda.filter((x) => x.assigneeId === agentId).map((x) => x.id),
    );
    const from = fromNow(HOUR);
    const to = fromNow(2 * DAY);
    expect(await ids(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).toEqual(
      agenda.filter((x) => x.scheduledAt >= from && x.scheduledAt <= to).map((x) => x.id),
    );
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: number }>; nextCursor: string | null } = (
        await get(`/api/v1/calls?customerId=${c.id}&limit=4${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      paged.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(agenda.map((x) => x.id));
  });

  it("marks missed the calls nobody made by the end of their day in the tenant's zone; they stay open", async () => {
    const c = await insertCustomer(t.tenantA.ctx, { name: 'Sweep' });
    // The first instant of the merchant's today, found from Intl alone (not from the code under test).
    const nowMs = Date.now();
    const today = localDate(new Date(nowMs).toISOString(), timeZone);
    let [lo, hi] = [nowMs - 2 * DAY, nowMs];
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (localDate(new Date(mid).toISOString(), timeZone) === today) hi = mid;
      else lo = mid;
    }
    const midnight = hi;
    const at = async (call: { id: number }, ms: number, ctx = t.tenantA.ctx) =>
      ctx.db
        .updateTable('scheduled_calls')
        .set({ scheduled_at: new Date(ms).toISOString() })
        .where('id', '=', call.id)
        .execute();
    const yesterday = await schedule({ customerId: c.id, purpose: 'last second of yesterday' });
    const sinceMidnight = await schedule({ customerId: c.id, purpose: 'first second of today' });
    const done = await schedule({ customerId: c.id, purpose: 'done yesterday' });
    const dropped = await schedule({ customerId: c.id, purpose: 'cancelled yesterday' });
    expect((await complete(done.id, { outcome: 'reached' })).statusCode).toBe(200);
    expect((await post(`/api/v1/calls/${dropped.id}/cancel`, {})).statusCode).toBe(200);
    await at(yesterday, midnight - 1000);
    await at(sinceMidnight, midnight);
    await at(done, midnight - DAY);
    await at(dropped, midnight - DAY);
    const beta = await post(
      '/api/v1/calls',
      { customerId: betaCustomer.id, scheduledAt: fromNow(HOUR), purpose: 'beta' },
      await t.tenantB.token('agent'),
    );
    await at(beta.json(), midnight - DAY, t.tenantB.ctx);

    // The hourly job, run now through the app's own queue (started for this test only).
    await t.ctx.jobs.start();
    await t.ctx.jobs.enqueue('calls.mark-missed', {});
    await t.ctx.jobs.drain(20_000);

    const status = async (id: number) => (await get(`/api/v1/calls/${id}`)).json();
    expect(await status(yesterday.id)).toMatchObject({ status: 'missed', overdue: true });
    expect(await status(sinceMidnight.id)).toMatchObject({ status: 'scheduled' });
    expect(await status(done.id)).toMatchObject({ status: 'completed' });
    expect(await status(dropped.id)).toMatchObject({ status: 'cancelled' });
    // Every tenant is swept in its own zone: tenant B's day (UTC) ended for a call a day before A's midnight.
    const betaRow = await t.tenantB.ctx.db
      .selectFrom('scheduled_calls')
      .select('status')
      .where('id', '=', beta.json().id)
      .executeTakeFirstOrThrow();
    expect(betaRow.status).toBe('missed');
    const missed = (await eventsOf(t.tenantA.ctx, 'call.missed')).filter((e) => e.entityId === String(yesterday.id));
    expect(missed).toHaveLength(1);
    expect(missed[0].payload).toMatchObject({
      id: yesterday.id,
      status: 'missed',
      purpose: 'last second of yesterday',
    });
    expect(
      (await get(`/api/v1/calls?customerId=${c.id}&status=missed`)).json().items.map((x: { id: number }) => x.id),
    ).toEqual([yesterday.id]);

    // A backlog is marked in batches, a transaction each, oldest first, until none is left.
    const backlog = [];
    for (let i = 0; i < 5; i++) backlog.push(await schedule({ customerId: c.id, purpose: `backlog ${i}` }));
    for (const [i, call] of backlog.entries()) await at(call, midnight - (10 - i) * DAY);
    const eventsBefore = (await eventsOf(t.tenantA.ctx, 'call.missed')).length;
    expect(await markMissedCalls(t.tenantA.ctx, timeZone, new Date().toISOString(), 2)).toBe(5);
    for (const call of backlog) expect((await status(call.id)).status).toBe('missed');
    const backlogEvents = (await eventsOf(t.tenantA.ctx, 'call.missed')).slice(eventsBefore);
    expect(backlogEvents.map((e) => Number(e.entityId))).toEqual(backlog.map((b) => b.id));

    // A second sweep finds nothing new: one event per missed call.
    await t.ctx.jobs.enqueue('calls.mark-missed', {});
    await t.ctx.jobs.drain(20_000);
    expect(
      (await eventsOf(t.tenantA.ctx, 'call.missed')).filter((e) => e.entityId === String(yesterday.id)),
    ).toHaveLength(1);

    // Still open: it counts as overdue on the desk, and a late call back completes it.
    const desk = (await get('/api/v1/follow-ups')).json();
    expect(JSON.stringify(desk)).toContain(`"id":${yesterday.id}`);
    const overdueCalls = async () => (await get('/api/v1/interactions/dashboard')).json().overdue.calls as number;
    const overdueBefore = await overdueCalls();
    const late = await complete(yesterday.id, { outcome: 'reached', notes: 'called back next morning' });
    expect(late.statusCode, late.body).toBe(200);
    expect(late.json().call).toMatchObject({ status: 'completed', overdue: false });
    expect(await overdueCalls()).toBe(overdueBefore - 1);
    expect((await complete(yesterday.id, { outcome: 'reached' })).json().error.code).toBe('call_not_scheduled');
  });
});
