import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { testDialects } from '../support/databases.js';
import { insertCustomer, insertServiceActionRow, uniquePhone } from '../support/order-fixtures.js';

describe.each(testDialects())('customer merge carries every area’s records (%s)', (dialect) => {
  let t: TestApp;
  let token: string;
  const req = (method: 'GET' | 'POST', url: string, payload?: object) => t.req({ method, url, token, payload });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    token = await t.tenantA.token('owner');
  });
  afterAll(async () => t?.close());

  /** Which customer a ticket, call or service action belongs to now. */
  const owner = async (table: 'interactions' | 'scheduled_calls' | 'service_actions', id: number) => {
    const ctx = t.tenantA.ctx;
    const row = await ctx.db
      .selectFrom(table)
      .select('customer_id')
      .where('tenant_id', '=', ctx.tenantId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.customer_id;
  };

  /** A customer with one ticket, one scheduled call and one service action. */
  async function customerWithHistory(name: string) {
    const c = await insertCustomer(t.tenantA.ctx, { phone: uniquePhone(), name });
    const ticket = await req('POST', `/api/v1/customers/${c.id}/interactions`, {
      type: 'complaint',
      channel: 'phone',
      subject: `${name}: the blender leaks`,
    });
    expect(ticket.statusCode, ticket.body).toBe(201);
    const call = await req('POST', '/api/v1/calls', {
      customerId: c.id,
      scheduledAt: new Date(Date.now() + 86_400_000).toISOString(),
      purpose: `${name}: follow up on the leak`,
    });
    expect(call.statusCode, call.body).toBe(201);
    const action = await insertServiceActionRow(t.tenantA.ctx, c.id, 'Motor noise');
    return { id: c.id, ticketId: ticket.json().id as number, callId: call.json().id as number, action };
  }

  it('hands the duplicate’s tickets, calls and service actions to the survivor, and says how many', async () => {
    const survivor = await customerWithHistory('Survivor');
    const duplicate = await customerWithHistory('Duplicate');

    const res = await req('POST', '/api/v1/customers/merge', { survivorId: survivor.id, duplicateId: duplicate.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      duplicateId: duplicate.id,
      movedInteractions: 1,
      movedScheduledCalls: 1,
      movedServiceActions: 1,
    });

    const ctx = t.tenantA.ctx;
    expect(await owner('interactions', duplicate.ticketId)).toBe(survivor.id);
    expect(await owner('scheduled_calls', duplicate.callId)).toBe(survivor.id);
    expect(await owner('service_actions', duplicate.action)).toBe(survivor.id);

    const actions = (await req('GET', `/api/v1/service-actions?customerId=${survivor.id}`)).json();
    expect(actions.items.map((a: { id: number }) => a.id).sort()).toEqual([survivor.action, duplicate.action].sort());
    const tickets = (await req('GET', `/api/v1/customers/${survivor.id}/interactions`)).json();
    expect(tickets.items.map((i: { id: number }) => i.id).sort()).toEqual(
      [survivor.ticketId, duplicate.ticketId].sort(),
    );
    const calls = (await req('GET', `/api/v1/calls?customerId=${survivor.id}`)).json();
    expect(calls.items.map((c: { id: number }) => c.id).sort()).toEqual([survivor.callId, duplicate.callId].sort());

    const merged = await ctx.db
      .selectFrom('events')
      .select('payload')
      .where('tenant_id', '=', ctx.tenantId)
      .where('type', '=', 'customer.merged')
      .where('entity_id', '=', String(survivor.id))
      .executeTakeFirstOrThrow();
    const payload = typeof merged.payload === 'string' ? JSON.parse(merged.payload) : merged.payload;
    expect(payload).toMatchObject({ duplicateId: duplicate.id, interactions: 1, scheduledCalls: 1, serviceActions: 1 });
    // The audit log says who merged what into what, and what moved.
    const audit = (await req('GET', '/api/v1/audit?action=customer.merged')).json();
    const entry = audit.items.find((a: { targetId: string }) => a.targetId === String(survivor.id));
    expect(entry).toMatchObject({ action: 'customer.merged', targetType: 'customer', actorType: 'user' });
    expect(entry.details).toMatchObject({ duplicateId: duplicate.id, movedServiceActions: 1, movedInteractions: 1 });
  });

  it('moves nothing when the merge is refused', async () => {
    const survivor = await customerWithHistory('Kept apart');
    const gone = await customerWithHistory('Merged before');
    const late = await customerWithHistory('Late duplicate');
    expect(
      (await req('POST', '/api/v1/customers/merge', { survivorId: survivor.id, duplicateId: gone.id })).statusCode,
    ).toBe(200);
    // Into a customer that is itself merged: 422, and the late duplicate keeps everything.
    const refused = await req('POST', '/api/v1/customers/merge', { survivorId: gone.id, duplicateId: late.id });
    expect(refused.statusCode).toBe(422);
    expect(await owner('service_actions', late.action)).toBe(late.id);
    const tickets = (await req('GET', `/api/v1/customers/${late.id}/interactions`)).json();
    expect(tickets.items.map((i: { id: number }) => i.id)).toEqual([late.ticketId]);
  });
});
