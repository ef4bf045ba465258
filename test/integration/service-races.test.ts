import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBostaSimulator } from '../../src/integrations/bosta/simulator/server.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { testDialects } from '../support/databases.js';
import { aDeliveredSale, cycleWorld, eventsOf } from './service-support.js';

describe.each(testDialects())('service cycle: races, bad input and roles (%s)', (dialect) => {
  let t: TestApp;
  let sim: RunningBostaSimulator;
  const as: Record<string, string> = {};
  const open = async (extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const sale = await aDeliveredSale(t, true);
    return t.req({
      method: 'POST',
      url: '/api/v1/service-actions',
      token: as.agent,
      headers,
      payload: {
        customerPhone: sale.phone,
        type: 'maintenance',
        reason: 'Noisy motor',
        mainOrderId: sale.id,
        ...extra,
      },
    });
  };
  beforeAll(async () => {
    t = await createTestApp(dialect);
    ({ sim } = await cycleWorld(t, 400));
    for (const role of ['agent', 'hub_agent', 'team_leader', 'technician', 'viewer'] as const)
      as[role] = await t.tenantA.token(role);
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });

  it('a double submit with one Idempotency-Key creates one action and one Bosta pickup', async () => {
    const before = sim.control.truth().count;
    const headers = { 'idempotency-key': `call-${Date.now()}-abcdef` };
    const [a, b] = await Promise.all([open({}, headers), open({}, headers)]);
    const c = await open({}, headers);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(c.statusCode).toBe(200);
    expect(new Set([a.json().id, b.json().id, c.json().id]).size).toBe(1);
    expect(sim.control.truth().count).toBe(before + 1);
  });

  it('concurrent hub scans of one parcel: received once, the other scan gets 409', async () => {
    const action = (await open()).json();
    const scan = () =>
      t.req({
        method: 'POST',
        url: '/api/v1/hub/scan',
        token: as.hub_agent,
        payload: { trackingNumber: action.returnTrackingNumber, hub: 'Cairo', agent: 'A' },
      });
    const results = await Promise.all([scan(), scan(), scan()]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'already_received')).toBe(
      true,
    );
    expect((await eventsOf(t, action.id)).filter((e) => e === 'receive')).toHaveLength(1);
    const inspections = await t.tenantA.ctx.db
      .selectFrom('hub_inspections')
      .select('id')
      .where('action_id', '=', action.id)
      .execute();
    expect(inspections).toHaveLength(1);
  });

  it('inspecting a return not yet received is a 409 that says why, and writes nothing', async () => {
    const action = (await open()).json();
    const r = await t.req({
      method: 'POST',
      url: `/api/v1/hub/inspections/${action.id}`,
      token: as.hub_agent,
      payload: { condition: 'good', functionality: 'working', qualityScore: 7, recommendedAction: 'maintenance' },
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('return_not_received');
    expect(r.json().error.message).toMatch(/not been received/);
    expect(await eventsOf(t, action.id)).toEqual(['create', 'return_ordered']);
    expect(
      await t.tenantA.ctx.db.selectFrom('hub_inspections').select('id').where('action_id', '=', action.id).execute(),
    ).toHaveLength(0);
  });

  it('an invalid transition is a 409 listing the allowed ones; an unknown tracking number a 404 that says so', async () => {
    const action = (await open()).json();
    const r = await t.req({
      method: 'POST',
      url: `/api/v1/service-actions/${action.id}/maintenance`,
      token: as.technician,
      payload: { technician: 'K' },
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('invalid_transition');
    expect(r.json().error.details.allowed).toEqual(expect.arrayContaining(['receive', 'cancel']));
    const unknown = await t.req({
      method: 'POST',
      url: '/api/v1/hub/scan',
      token: as.hub_agent,
      payload: { trackingNumber: '99999999', hub: 'Cairo', agent: 'A' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('tracking_number_not_found');
  });

  it('Bosta refusing the pickup leaves the action requested with the error, and a retry orders it', async () => {
    const r = await t.req({
      method: 'POST',
      url: '/api/v1/service-actions',
      token: as.agent,
      payload: {
        customerPhone: '01066660001',
        type: 'maintenance',
        reason: 'Broken',
        pickupAddress: { city: 'Atlantis', firstLine: 'Nowhere street 1' },
      },
    });
    expect(r.statusCode).toBe(201);
    const action = r.json();
    expect(action.status).toBe('requested');
    expect(action.courierError).toMatch(/Bosta refused/);
    expect(
      await t.tenantA.ctx.db
        .selectFrom('orders')
        .select('id')
        .where('business_reference', '=', `${action.number}-R`)
        .execute(),
    ).toHaveLength(0);
    const retry = await t.req({
      method: 'POST',
      url: `/api/v1/service-actions/${action.id}/retry-pickup`,
      token: as.agent,
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().status).toBe('requested');
    expect(retry.json().courierError).toMatch(/Bosta refused/);
    const cancelled = await t.req({
      method: 'POST',
      url: `/api/v1/service-actions/${action.id}/cancel`,
      token: as.agent,
      payload: { reason: 'Customer changed their mind' },
    });
    expect(cancelled.json().status).toBe('cancelled');
  });

  it('cancelling terminates the Bosta pickup while it is still possible', async () => {
    const action = (await open()).json();
    const r = await t.req({
      method: 'POST',
      url: `/api/v1/service-actions/${action.id}/cancel`,
      token: as.agent,
      payload: { reason: 'Solved on the phone' },
    });
    expect(r.json().status).toBe('cancelled');
    expect(sim.control.getDelivery(action.returnTrackingNumber)?.state?.code).toBe(48);
  });

  it('a viewer changes nothing; a hub agent cannot approve or refund', async () => {
    const action = (await open()).json();
    for (const [method, url, payload] of [
      ['POST', '/api/v1/service-actions', { customerPhone: '01000000000', type: 'maintenance', reason: 'x y z' }],
      ['PATCH', `/api/v1/service-actions/${action.id}`, { notes: 'n' }],
      ['POST', `/api/v1/service-actions/${action.id}/cancel`, { reason: 'because' }],
      ['POST', '/api/v1/hub/scan', { trackingNumber: action.returnTrackingNumber, hub: 'h', agent: 'a' }],
      ['POST', `/api/v1/reviews/${action.id}`, { decision: 'approved' }],
      ['POST', `/api/v1/service-actions/${action.id}/refund`, { amount: 1 }],
    ] as const) {
      const r = await t.req({ method, url, token: as.viewer, payload });
      expect(r.statusCode, `${method} ${url}`).toBe(403);
    }
    expect(
      (
        await t.req({
          method: 'POST',
          url: `/api/v1/reviews/${action.id}`,
          token: as.hub_agent,
          payload: { decision: 'approved' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await t.req({
          method: 'POST',
          url: `/api/v1/service-actions/${action.id}/refund`,
          token: as.hub_agent,
          payload: { amount: 1 },
        })
      ).statusCode,
    ).toBe(403);
    const detail = (
      await t.req({ method: 'GET', url: `/api/v1/service-actions/${action.id}`, token: as.viewer })
    ).json();
    expect(detail.allowedEvents).toEqual([]);
    expect(
      (await t.req({ method: 'GET', url: `/api/v1/service-actions/${action.id}`, token: as.agent })).json()
        .allowedEvents,
    ).toEqual(['cancel']);
  });

  it('a review can be asked for after inspection, and a rejected action goes back to the hub', async () => {
    const action = (await open()).json();
    await t.req({
      method: 'POST',
      url: '/api/v1/hub/scan',
      token: as.hub_agent,
      payload: { trackingNumber: action.returnTrackingNumber, hub: 'Cairo', agent: 'A' },
    });
    await t.req({
      method: 'POST',
      url: `/api/v1/hub/inspections/${action.id}`,
      token: as.hub_agent,
      payload: {
        condition: 'fair',
        functionality: 'partially_working',
        qualityScore: 6,
        recommendedAction: 'replace_part',
      },
    });
    const asked = await t.req({
      method: 'POST',
      url: `/api/v1/service-actions/${action.id}/request-review`,
      token: as.technician,
      payload: { note: 'Unsure the part fixes it' },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().status).toBe('review_pending');
    await t.req({
      method: 'POST',
      url: `/api/v1/reviews/${action.id}`,
      token: as.team_leader,
      payload: { decision: 'rejected', notes: 'Inspect again' },
    });
    const agentTries = await t.req({
      method: 'POST',
      url: `/api/v1/service-actions/${action.id}/reinspect`,
      token: as.agent,
    });
    expect(agentTries.statusCode).toBe(403);
    const back = await t.req({
      method: 'POST',
      url: `/api/v1/service-actions/${action.id}/reinspect`,
      token: as.hub_agent,
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().status).toBe('return_received');
    expect(await eventsOf(t, action.id)).toEqual([
      'create',
      'return_ordered',
      'receive',
      'inspect',
      'request_review',
      'reject',
      'reinspect',
    ]);
    const list = (
      await t.req({ method: 'GET', url: `/api/v1/service-actions?status=return_received`, token: as.agent })
    ).json();
    const item = list.items.find((i: { id: number }) => i.id === action.id);
    expect(item.customer.name).toBeTruthy();
    expect(item.customer.phone).toMatch(/^\+20/);
  });
});
