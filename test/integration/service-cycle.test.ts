import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBostaSimulator } from '../../src/integrations/bosta/simulator/server.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { testDialects } from '../support/databases.js';
import { aDeliveredSale, courierMoves, cycleWorld, eventsOf, linkOf, localForm } from './service-support.js';

describe.each(testDialects())('the after-sales cycle, end to end through the API and Bosta (%s)', (dialect) => {
  let t: TestApp;
  let sim: RunningBostaSimulator;
  const as: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp(dialect);
    ({ sim } = await cycleWorld(t));
    for (const role of ['agent', 'hub_agent', 'team_leader', 'technician', 'viewer', 'manager'] as const)
      as[role] = await t.tenantA.token(role);
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });

  it('example 1: maintenance of an order’s product, from the call to closed', async () => {
    const sale = await aDeliveredSale(t, true);
    const before = sim.control.truth().count;
    const created = await t.req({
      method: 'POST',
      url: '/api/v1/service-actions',
      token: as.agent,
      payload: {
        customerPhone: localForm(sale.phone),
        type: 'maintenance',
        reason: 'The blender stopped working',
        mainOrderId: sale.id,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const action = created.json();
    expect(action.status).toBe('return_ordered');
    expect(action.customerId).toBe(sale.customerId);
    expect(action.warranty.status).toBe('in_warranty');
    expect(action.estimatedCost).toBe(0);
    // A real customer return pickup exists at Bosta, with our reference.
    expect(sim.control.truth().count).toBe(before + 1);
    const pickup = sim.control.getDelivery(action.returnTrackingNumber)!;
    expect(pickup.type?.code).toBe(25);
    expect(pickup.businessReference).toBe(`${action.number}-R`);
    // …stored as an order, linked under the main order with confidence 1.0.
    const link = await linkOf(t, action.returnOrderId);
    expect(link).toMatchObject({ parent_order_id: sale.id, linked_by: 'service_action', relationship: 'maintenance' });
    expect(Number(link!.confidence)).toBe(1);

    await courierMoves(sim, action.returnTrackingNumber, 23);
    expect(
      (await t.req({ method: 'GET', url: `/api/v1/service-actions/${action.id}`, token: as.agent })).json().status,
    ).toBe('return_in_transit');

    const scan = await t.req({
      method: 'POST',
      url: '/api/v1/hub/scan',
      token: as.hub_agent,
      payload: { trackingNumber: action.returnTrackingNumber, hub: 'Cairo hub', agent: 'Mona' },
    });
    expect(scan.statusCode, scan.body).toBe(200);
    const ctx = scan.json();
    expect(ctx.action.status).toBe('return_received');
    expect(ctx.action.type).toBe('maintenance');
    expect(ctx.context.customer.id).toBe(sale.customerId);
    expect(ctx.context.family.mainOrderId).toBe(sale.id);
    expect(ctx.context.family.orders.map((o: { id: number }) => o.id)).toContain(action.returnOrderId);
    const again = await t.req({
      method: 'POST',
      url: '/api/v1/hub/scan',
      token: as.hub_agent,
      payload: { trackingNumber: action.returnTrackingNumber, hub: 'Cairo hub', agent: 'Mona' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_received');

    const inspected = await t.req({
      method: 'POST',
      url: `/api/v1/hub/inspections/${action.id}`,
      token: as.hub_agent,
      payload: {
        condition: 'fair',
        functionality: 'not_working',
        qualityScore: 6,
        recommendedAction: 'maintenance',
        checklist: { powersOn: false, sealsIntact: true },
        goodQty: 0,
        damagedQty: 1,
      },
    });
    expect(inspected.statusCode, inspected.body).toBe(200);
    expect(inspected.json().action.status).toBe('inspected');
    expect(inspected.json().inspection.reviewRequired).toBe(false);

    const repaired = await t.req({
      method: 'POST',
      url: `/api/v1/service-actions/${action.id}/maintenance`,
      token: as.technician,
      payload: { technician: 'Karim', notes: 'Motor replaced', parts: [{ sku: 'MOTOR-600', qty: 1, unitCost: 180 }] },
    });
    expect(repaired.statusCode, repaired.body).toBe(200);
    const shipped = repaired.json();
    expect(shipped.status).toBe('outbound_shipped');
    expect(shipped.actualCost).toBe(180 + 150);
    expect(shipped.customerPays).toBe(0);
    const outbound = sim.control.getDelivery(shipped.outboundTrackingNumber)!;
    expect(outbound.type?.code).toBe(10);
    expect(outbound.cod ?? 0).toBe(0);
    expect(await linkOf(t, shipped.outboundOrderId)).toMatchObject({
      parent_order_id: sale.id,
      linked_by: 'service_action',
    });

    await courierMoves(sim, shipped.outboundTrackingNumber, 45);
    const closed = (
      await t.req({ method: 'GET', url: `/api/v1/service-actions/${action.id}`, token: as.agent })
    ).json();
    expect(closed.status).toBe('closed');
    expect(await eventsOf(t, action.id)).toEqual([
      'create',
      'return_ordered',
      'pickup_in_transit',
      'receive',
      'inspect',
      'start_execution',
      'ship_outbound',
      'outbound_delivered',
      'close',
    ]);
    expect(closed.context.parts).toEqual([
      { kind: 'part', sku: 'MOTOR-600', qty: 1, unitCost: 180, stockApplied: false },
    ]);
  }, 60_000);

  it('example 2: full replacement for a customer with no order, reviewed after a low score', async () => {
    const geo = (await fetch(`${sim.url}/cities/getAllDistricts?countryId=60e4482c7cb7d4bc4849c4d5`).then((r) =>
      r.json(),
    )) as { data: Array<{ cityName: string; districts: Array<{ districtName: string }> }> };
    const city = geo.data[0];
    const district = city.districts[0];
    const created = await t.req({
      method: 'POST',
      url: '/api/v1/service-actions',
      token: as.agent,
      payload: {
        customerPhone: '+20 115 555 0199',
        customerName: 'Yasmin Adel',
        type: 'replace_full',
        reason: 'Bought a blender in a store, it is defective',
        product: { sku: 'HV-BL600', name: 'Blender 600 W' },
        pickupAddress: {
          city: city.cityName,
          district: district.districtName,
          firstLine: '14 Tahrir Street, 3rd floor',
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const action = created.json();
    expect(action.mainOrderId).toBeNull();
    expect(action.warranty.status).toBe('unknown');
    expect(action.status).toBe('return_ordered');
    const customer = (await t.req({ method: 'GET', url: '/api/v1/customers/01155550199', token: as.agent })).json();
    expect(customer.name ?? customer.customer?.name).toBe('Yasmin Adel');

    // The courier brings it back to the business before any hub scan: received by the courier's state.
    await courierMoves(sim, action.returnTrackingNumber, 46);
    expect(
      (await t.req({ method: 'GET', url: `/api/v1/service-actions/${action.id}`, token: as.agent })).json().status,
    ).toBe('return_received');

    const low = await t.req({
      method: 'POST',
      url: `/api/v1/hub/inspections/${action.id}`,
      token: as.hub_agent,
      payload: {
        condition: 'damaged',
        functionality: 'not_working',
        qualityScore: 2,
        recommendedAction: 'replace_full',
        visibleDamage: 'Cracked jar',
      },
    });
    expect(low.json().action.status).toBe('review_pending');
    expect(low.json().inspection.reviewRequired).toBe(true);

    const early = await t.req({
      method: 'POST',
      url: `/api/v1/service-actions/${action.id}/replace-full`,
      token: as.technician,
      payload: { sku: 'HV-BL600', unitCost: 1650 },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('review_required');
    const hubApproves = await t.req({
      method: 'POST',
      url: `/api/v1/reviews/${action.id}`,
      token: as.hub_agent,
      payload: { decision: 'approved' },
    });
    expect(hubApproves.statusCode).toBe(403);

    const queue = (await t.req({ method: 'GET', url: '/api/v1/reviews', token: as.team_leader })).json();
    expect(queue.items.map((i: { actionId: number }) => i.actionId)).toContain(action.id);
    const approved = await t.req({
      method: 'POST',
      url: `/api/v1/reviews/${action.id}`,
      token: as.team_leader,
      payload: { decision: 'approved', notes: 'Approve full replacement' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().action.status).toBe('approved');

    const replaced = await t.req({
      method: 'POST',
      url: `/api/v1/service-actions/${action.id}/replace-full`,
      token: as.technician,
      payload: { sku: 'HV-BL600', unitCost: 1650 },
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    const shipped = replaced.json();
    expect(shipped.status).toBe('outbound_shipped');
    expect(shipped.customerPays).toBe(1650);
    expect(sim.control.getDelivery(shipped.outboundTrackingNumber)!.cod).toBe(1650);
    // No main order: nothing to link the courier deliveries under.
    expect(await linkOf(t, shipped.outboundOrderId).then((l) => l?.linked_by)).not.toBe('service_action');

    await courierMoves(sim, shipped.outboundTrackingNumber, 45);
    const closed = (
      await t.req({ method: 'GET', url: `/api/v1/service-actions/${action.id}`, token: as.agent })
    ).json();
    expect(closed.status).toBe('closed');
    // The courier passes through its in-transit states on the way back to the business (46).
    expect(closed.context.events.map((e: { event: string }) => e.event)).toEqual([
      'create',
      'return_ordered',
      'pickup_in_transit',
      'receive',
      'inspect',
      'request_review',
      'approve',
      'start_execution',
      'ship_outbound',
      'outbound_delivered',
      'close',
    ]);
    expect(closed.context.events.find((e: { event: string }) => e.event === 'receive').actor_type).toBe('system');
  }, 60_000);

  it('example 3: return with refund — never above what was paid', async () => {
    const sale = await aDeliveredSale(t, false);
    const paid = Number(sale.cod_minor) / 100;
    const action = (
      await t.req({
        method: 'POST',
        url: '/api/v1/service-actions',
        token: as.agent,
        payload: {
          customerPhone: sale.phone.replace('+', '00'),
          type: 'return_refund',
          reason: 'Wants to return it',
          mainOrderId: sale.id,
        },
      })
    ).json();
    expect(action.status).toBe('return_ordered');
    expect((await linkOf(t, action.returnOrderId))?.relationship).toBe('return');
    await courierMoves(sim, action.returnTrackingNumber, 23);
    const scan = await t.req({
      method: 'POST',
      url: '/api/v1/hub/scan',
      token: as.hub_agent,
      payload: { trackingNumber: action.returnTrackingNumber, hub: 'Giza hub', agent: 'Omar' },
    });
    expect(scan.statusCode).toBe(200);
    const inspected = await t.req({
      method: 'POST',
      url: `/api/v1/hub/inspections/${action.id}`,
      token: as.hub_agent,
      payload: { condition: 'good', functionality: 'working', qualityScore: 8, recommendedAction: 'refund' },
    });
    expect(inspected.json().action.status).toBe('review_pending');
    await t.req({
      method: 'POST',
      url: `/api/v1/reviews/${action.id}`,
      token: as.team_leader,
      payload: { decision: 'approved' },
    });

    const hubRefund = await t.req({
      method: 'POST',
      url: `/api/v1/service-actions/${action.id}/refund`,
      token: as.hub_agent,
      payload: { amount: paid },
    });
    expect(hubRefund.statusCode).toBe(403);
    const tooMuch = await t.req({
      method: 'POST',
      url: `/api/v1/service-actions/${action.id}/refund`,
      token: as.technician,
      payload: { amount: paid + 100 },
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().error.code).toBe('refund_exceeds_paid');
    expect(
      (await t.req({ method: 'GET', url: `/api/v1/service-actions/${action.id}`, token: as.agent })).json().status,
    ).toBe('approved');

    const refunded = await t.req({
      method: 'POST',
      url: `/api/v1/service-actions/${action.id}/refund`,
      token: as.technician,
      payload: { amount: paid },
    });
    expect(refunded.statusCode, refunded.body).toBe(200);
    expect(refunded.json().status).toBe('closed');
    expect(refunded.json().refund).toBe(paid);
    expect(await eventsOf(t, action.id)).toEqual([
      'create',
      'return_ordered',
      'pickup_in_transit',
      'receive',
      'inspect',
      'request_review',
      'approve',
      'refund',
      'close',
    ]);

    const analytics = (
      await t.req({ method: 'GET', url: '/api/v1/service-actions/analytics', token: as.manager })
    ).json();
    expect(analytics.byStatus.closed).toBeGreaterThanOrEqual(3);
    expect(analytics.money.refunds).toBeGreaterThanOrEqual(paid);
    expect(analytics.linkedToMainOrder.withoutMainOrder).toBeGreaterThanOrEqual(1);
    expect(analytics.hub.reviewDecisions.approved).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
