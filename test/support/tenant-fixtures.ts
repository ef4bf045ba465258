import { createRun } from '../../src/modules/integrations/sync-runs.repo.js';
import { insertSaleWithRepair } from '../../src/modules/hierarchy/__tests__/fixtures.js';
import type { TestApp, TestTenant } from './app.js';
import { insertCustomer, insertOrder, insertServiceActionRow, uniquePhone } from './order-fixtures.js';

/** A string planted in every tenant-B resource: it must never show up in a tenant-A response. */
export const B_MARKER = 'BETA-PRIVATE-7f3a';

/**
 * For each parametrised route family, how to create a resource in a tenant and get its id. The isolation
 * walker refuses to pass when a route with an `:id`-like parameter has no fixture here, so every new
 * module must say how its resources are made.
 */
export type Fixture = (t: TestApp, tenant: TestTenant) => Promise<Record<string, string | number>>;

export const FIXTURES: Array<{ prefix: string; make: Fixture }> = [
  {
    prefix: '/api/v1/orders/:id',
    make: async (_t, tenant) => {
      const o = await insertOrder(tenant.ctx, { receiver_name: B_MARKER, local_notes: B_MARKER, city: B_MARKER });
      return { id: o.id };
    },
  },
  {
    prefix: '/api/v1/orders/tracking/:trackingNumber',
    make: async (_t, tenant) => {
      const o = await insertOrder(tenant.ctx, { receiver_name: B_MARKER });
      return { trackingNumber: o.tracking_number! };
    },
  },
  {
    prefix: '/api/v1/customers/:id',
    make: async (t, tenant) => {
      const r = await t.req({
        method: 'POST',
        url: '/api/v1/customers',
        token: await tenant.token('owner'),
        payload: { phone: uniquePhone(), name: B_MARKER, city: B_MARKER },
      });
      return { id: r.json().id };
    },
  },
  {
    prefix: '/api/v1/users/:id',
    make: async (t, tenant) => {
      const token = await tenant.token('owner');
      const r = await t.req({
        method: 'POST',
        url: '/api/v1/users',
        token,
        payload: {
          email: `x${Date.now()}${Math.random().toString(36).slice(2)}@b.test`,
          name: B_MARKER,
          role: 'agent',
          password: 'another-long-password',
        },
      });
      return { id: r.json().id };
    },
  },
  {
    prefix: '/api/v1/api-keys/:id',
    make: async (t, tenant) => {
      const token = await tenant.token('owner');
      const r = await t.req({
        method: 'POST',
        url: '/api/v1/api-keys',
        token,
        payload: { name: B_MARKER, role: 'viewer' },
      });
      return { id: r.json().key.id };
    },
  },
  {
    prefix: '/api/v1/webhooks/:id',
    make: async (t, tenant) => {
      const token = await tenant.token('owner');
      const r = await t.req({
        method: 'POST',
        url: '/api/v1/webhooks',
        token,
        payload: { url: 'https://example.test/hook', eventTypes: ['order.*'], description: B_MARKER },
      });
      return { id: r.json().webhook.id };
    },
  },
  {
    prefix: '/api/v1/webhooks/deliveries/:deliveryId',
    make: async (t, tenant) => {
      const token = await tenant.token('owner');
      const hook = await t.req({
        method: 'POST',
        url: '/api/v1/webhooks',
        token,
        payload: { url: 'https://example.test/hook', eventTypes: ['*'], description: B_MARKER },
      });
      const ping = await t.req({ method: 'POST', url: `/api/v1/webhooks/${hook.json().webhook.id}/test`, token });
      return { deliveryId: ping.json().id };
    },
  },
  {
    prefix: '/api/v1/integrations/bosta/runs/:id',
    make: async (_t, tenant) => {
      const run = await createRun(tenant.ctx, {
        provider: 'bosta',
        mode: 'full',
        trigger: B_MARKER,
        cursor: { page: 1, lowBound: null, highWatermark: null },
        status: 'failed',
      });
      return { id: run.id };
    },
  },
  {
    prefix: '/api/v1/interactions/:id',
    make: async (t, tenant) => {
      const customer = await insertCustomer(tenant.ctx, { name: B_MARKER, phone: uniquePhone() });
      const r = await t.req({
        method: 'POST',
        url: `/api/v1/customers/${customer.id}/interactions`,
        token: await tenant.token('owner'),
        payload: { type: 'complaint', channel: 'phone', subject: B_MARKER, description: B_MARKER },
      });
      return { id: r.json().id };
    },
  },
  {
    prefix: '/api/v1/calls/:id',
    make: async (t, tenant) => {
      const customer = await insertCustomer(tenant.ctx, { name: B_MARKER, phone: uniquePhone() });
      const r = await t.req({
        method: 'POST',
        url: '/api/v1/calls',
        token: await tenant.token('owner'),
        payload: {
          customerId: customer.id,
          scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
          purpose: B_MARKER,
        },
      });
      return { id: r.json().id };
    },
  },
  ...['/api/v1/service-actions/:id', '/api/v1/hub/inspections/:id', '/api/v1/reviews/:id'].map((prefix) => ({
    prefix,
    make: async (_t: TestApp, tenant: TestTenant) => ({ id: await insertServiceAction(tenant) }),
  })),
  // Order hierarchy: a sale with a repair linked under it by hand, descriptions and reason carrying the marker.
  ...['/api/v1/orders/:id/sub-orders', '/api/v1/orders/:id/main-order', '/api/v1/orders/:id/family'].map((prefix) => ({
    prefix,
    make: async (t: TestApp, tenant: TestTenant) => {
      const { sale, repair } = await linkedSaleAndRepair(t, tenant);
      return { id: prefix.endsWith('/main-order') ? repair : sale };
    },
  })),
  {
    prefix: '/api/v1/orders/hierarchy/links/:id',
    make: async (t, tenant) => ({ id: (await linkedSaleAndRepair(t, tenant)).linkId }),
  },
  {
    prefix: '/api/v1/orders/hierarchy/customer/:phone',
    make: async (t, tenant) => {
      const { phone } = await linkedSaleAndRepair(t, tenant);
      return { phone: `0${phone.slice(3)}` };
    },
  },
  {
    prefix: '/api/v1/orders/hierarchy/jobs/:jobId',
    make: async (t, tenant) => {
      const r = await t.req({
        method: 'POST',
        url: '/api/v1/orders/hierarchy/detect',
        token: await tenant.token('owner'),
      });
      return { jobId: r.json().jobId };
    },
  },
];

async function linkedSaleAndRepair(t: TestApp, tenant: TestTenant) {
  const { customer, sale, repair } = await insertSaleWithRepair(tenant.ctx, B_MARKER);
  const r = await t.req({
    method: 'POST',
    url: '/api/v1/orders/hierarchy/link',
    token: await tenant.token('owner'),
    payload: { mainOrderId: sale, subOrderId: repair, reason: B_MARKER },
  });
  return { sale, repair, linkId: r.json().id as number, phone: customer.phone };
}

/** A service action written straight to the database (no courier): enough for isolation checks. */
async function insertServiceAction(tenant: TestTenant): Promise<number> {
  const customer = await insertCustomer(tenant.ctx, { name: B_MARKER, phone: uniquePhone() });
  return insertServiceActionRow(tenant.ctx, customer.id, B_MARKER);
}
