import { toE164 } from '../lib/phone.js';
import type { TenantCtx } from '../platform/db/tenant-ctx.js';
import { type DomainEvent, emitMany } from '../platform/events/outbox.js';
import {
  addOrderToAggregate,
  type CustomerAggregate,
  recomputeCustomerAggregates,
} from '../modules/customers/customer-aggregates.js';
import { segmentOf } from '../modules/customers/segment.js';
import { type CustomerSeed, resolveCustomers } from '../modules/customers/customer-resolution.js';
import { relinkCustomers } from '../modules/hierarchy/hierarchy.repo.js';
import { advanceFromCourier } from '../modules/service/service-progress.js';
import type { OrderInput } from '../modules/orders/order-input.js';
import { RollupDeltas } from '../modules/orders/order-rollups.js';
import { bumpSummaryVersion } from '../modules/orders/summary-answers.js';
import {
  applyRollupDeltas,
  insertOrderChanges,
  insertTimeline,
  loadStoredOrders,
  type OrderChangeRow,
  type OrderRow,
  orderRowOf,
  type StoredOrder,
  upsertOrderDocuments,
  upsertOrders,
} from '../modules/orders/orders.write.js';
import type { Tenant } from '../modules/tenants/tenants.repo.js';

/** One order whose courier state moved, for the flows that react to it (service cycle, loyalty). */
export interface StateChange {
  orderId: number;
  externalId: string;
  trackingNumber: string | null;
  typeCode: number;
  fromState: number | null;
  toState: number;
  at: string;
}

export interface IngestResult {
  created: number;
  updated: number;
  unchanged: number;
  stateChanges: StateChange[];
  /** Customers whose aggregates the batch changed (recomputed, or created with their totals). */
  customerIds: number[];
}

/** Milliseconds spent per ingest stage, summed over calls (sync runs log them; benchmarks read them). */
export type IngestTimings = Partial<
  Record<
    | 'load'
    | 'customers'
    | 'orders'
    | 'timeline'
    | 'rollups'
    | 'hierarchy'
    | 'aggregates'
    | 'events'
    | 'service'
    // The caller's stages around ingest (a sync run): waiting for the source, mapping, the whole transaction.
    | 'fetch'
    | 'map'
    | 'transaction',
    number
  >
>;

function stopwatch(timings: IngestTimings | undefined) {
  return async <T>(stage: keyof IngestTimings, fn: () => Promise<T>): Promise<T> => {
    if (!timings) return fn();
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[stage] = (timings[stage] ?? 0) + performance.now() - t0;
    }
  };
}

/** Keeps, per external id, the newest version in a batch (pages and webhooks can repeat a delivery). */
function newestPerExternalId(inputs: OrderInput[]): OrderInput[] {
  const m = new Map<string, OrderInput>();
  for (const o of inputs) {
    const cur = m.get(o.externalId);
    if (!cur || o.updatedAt >= cur.updatedAt) m.set(o.externalId, o);
  }
  return [...m.values()];
}

function orderTotalsFacts(row: OrderRow) {
  return {
    state_code: row.state_code as number,
    category: row.category as string,
    cod_minor: row.cod_minor as number,
    created_at: row.created_at as string | null,
  };
}

function isUnchanged(stored: StoredOrder | undefined, o: OrderInput): boolean {
  if (!stored) return false;
  // Older than what we have: a late duplicate. Same time and state: nothing new.
  return o.updatedAt < stored.updatedAt || (o.updatedAt === stored.updatedAt && o.stateCode === stored.stateCode);
}

/**
 * The delivery ingest of DESIGN §4.1, for one batch inside the caller's transaction: upserts orders
 * (idempotent on source + external id), appends timeline rows without duplicates, finds or creates
 * customers by E.164 phone, audits state and classification changes, keeps daily rollups exact,
 * relinks the order hierarchy of the customers touched, recomputes their aggregates and writes outbox
 * events. Local data (notes, manual links) is never overwritten.
 */
export async function ingestOrders(
  tx: TenantCtx,
  tenant: Tenant,
  inputs: OrderInput[],
  opts: { source: string; now: string; via: 'sync' | 'webhook' | 'manual'; timings?: IngestTimings },
): Promise<IngestResult> {
  const time = stopwatch(opts.timings);
  const batch = newestPerExternalId(inputs);
  const stored = await time('load', () =>
    loadStoredOrders(
      tx,
      opts.source,
      batch.map((o) => o.externalId),
    ),
  );
  const fresh = batch.filter((o) => !isUnchanged(stored.get(o.externalId), o));
  const result: IngestResult = {
    created: 0,
    updated: 0,
    unchanged: batch.length - fresh.length + (inputs.length - batch.length),
    stateChanges: [],
    customerIds: [],
  };
  if (fresh.length === 0) return result;

  const phones = fresh.map((o) => toE164(o.receiverPhoneRaw, tenant.country));
  const rows: OrderRow[] = fresh.map((o, i) =>
    orderRowOf(o, {
      tenantId: tx.tenantId,
      source: opts.source,
      phone: phones[i],
      customerId: null, // set below, once the phones are resolved
      threshold: tenant.settings.classification.mainOrderCodThreshold,
      now: opts.now,
    }),
  );
  // What the batch's orders add up to per phone: a customer this batch creates starts with it, so the customers
  // whose every order is in the batch that created them (most customers of a first sync) are not recomputed.
  const batchTotals = new Map<string, CustomerAggregate>();
  rows.forEach((row, i) => {
    const phone = phones[i];
    if (phone) batchTotals.set(phone, addOrderToAggregate(batchTotals.get(phone), orderTotalsFacts(row)));
  });
  const totalsOf = new Map<string, CustomerSeed['totals']>();
  for (const [phone, aggregate] of batchTotals) {
    totalsOf.set(phone, { aggregate, segment: segmentOf(aggregate, tenant.settings.segments) });
  }
  const seeds: CustomerSeed[] = [];
  fresh.forEach((o, i) => {
    const phone = phones[i];
    if (phone) {
      seeds.push({
        phone,
        name: o.receiverName || phone,
        secondPhone: toE164(o.secondPhone, tenant.country),
        city: o.city,
        zone: o.zone,
        district: o.district,
        address: o.address,
        totals: totalsOf.get(phone),
      });
    }
  });
  const created = new Set<number>();
  const customers = await time('customers', () => resolveCustomers(tx, seeds, opts.source, opts.now, created));
  rows.forEach((row, i) => {
    const phone = phones[i];
    row.customer_id = phone ? (customers.get(phone) ?? null) : null;
  });

  const rollups = new RollupDeltas(tenant.timeZone);
  const written = await time('orders', () => upsertOrders(tx, rows));
  const idOf = new Map(written.map((w) => [w.external_id, Number(w.id)]));
  const documents: Array<{ orderId: number; json: string }> = [];
  const timeline: Array<{ orderId: number; code: number; name: string; at: string; source: string }> = [];
  const changes: OrderChangeRow[] = [];
  const events: DomainEvent[] = [];
  const relink = new Set<number>();
  const touched = new Set<number>();
  /** Orders of this batch per customer, and customers with an order stored before it: see `needsRelink`. */
  const batchOrders = new Map<number, number>();
  const withStoredOrder = new Set<number>();

  /** Customers with an order of this batch that was not written: their starting totals counted it. */
  const withUnwrittenOrder = new Set<number>();

  fresh.forEach((o, i) => {
    const id = idOf.get(o.externalId);
    const row = rows[i];
    if (id === undefined) {
      // Lost a race to a newer version: that writer counted it.
      if (row.customer_id) {
        touched.add(row.customer_id as number);
        withUnwrittenOrder.add(row.customer_id as number);
      }
      return;
    }
    if (o.rawJson !== undefined) documents.push({ orderId: id, json: o.rawJson });
    else if (o.raw !== undefined) documents.push({ orderId: id, json: JSON.stringify(o.raw) });
    const before = stored.get(o.externalId);
    const customerId = row.customer_id as number | null;
    if (customerId) {
      touched.add(customerId);
      batchOrders.set(customerId, (batchOrders.get(customerId) ?? 0) + 1);
      if (before) withStoredOrder.add(customerId);
    }
    if (before?.customerId && before.customerId !== customerId) touched.add(before.customerId);
    for (const t of o.timeline) timeline.push({ orderId: id, code: t.code, name: t.name, at: t.at, source: opts.via });
    // The current state when the source's timeline lacks it, once per state change (never per touch).
    if ((!before || before.stateCode !== o.stateCode) && !o.timeline.some((t) => t.code === o.stateCode)) {
      timeline.push({ orderId: id, code: o.stateCode, name: o.stateName, at: o.updatedAt, source: opts.via });
    }
    const facts = {
      createdAt: o.createdAt,
      city: o.city,
      stateCode: o.stateCode,
      category: row.category as string,
      typeCode: o.typeCode,
      codMinor: o.codMinor,
      deliveryHours: row.delivery_hours as number | null,
    };
    rollups.add(facts, 1);
    if (before) {
      rollups.add(before, -1);
      result.updated++;
    } else {
      result.created++;
      events.push({
        type: 'order.created',
        entityType: 'order',
        entityId: id,
        payload: {
          id,
          externalId: o.externalId,
          trackingNumber: o.trackingNumber,
          state: o.stateCode,
          category: facts.category,
          cod: o.codMinor / 100,
          createdAt: o.createdAt,
        },
      });
    }
    if (!before || before.category !== facts.category || before.customerId !== customerId) {
      if (customerId) relink.add(customerId);
      if (before?.customerId && before.customerId !== customerId) relink.add(before.customerId);
    }
    if (before && before.category !== facts.category) {
      changes.push({
        orderId: id,
        field: 'category',
        from: before.category,
        to: facts.category,
        source: opts.via,
        at: o.updatedAt,
      });
    }
    if (!before || before.stateCode !== o.stateCode) {
      if (before) {
        changes.push({
          orderId: id,
          field: 'state',
          from: String(before.stateCode),
          to: String(o.stateCode),
          source: opts.via,
          at: o.updatedAt,
        });
        events.push({
          type: 'order.state_changed',
          entityType: 'order',
          entityId: id,
          payload: {
            id,
            trackingNumber: o.trackingNumber,
            from: before.stateCode,
            to: o.stateCode,
            stateName: o.stateName,
            category: facts.category,
            at: o.updatedAt,
          },
        });
      }
      result.stateChanges.push({
        orderId: id,
        externalId: o.externalId,
        trackingNumber: o.trackingNumber,
        typeCode: o.typeCode,
        fromState: before?.stateCode ?? null,
        toState: o.stateCode,
        at: o.updatedAt,
      });
    }
  });

  await time('orders', () => upsertOrderDocuments(tx, documents));
  await time('timeline', async () => {
    await insertTimeline(tx, timeline);
    await insertOrderChanges(tx, changes);
  });
  await time('rollups', () => applyRollupDeltas(tx, rollups));
  // A customer created by this batch with one new order has nothing to link, and that order was written with
  // the hierarchy it would get (main or unlinked, no parent): most customers of a first sync are such. A stored
  // order that moved to a new customer may still carry its old parent, so that customer is relinked.
  const needsRelink = [...relink].filter((c) => !created.has(c) || batchOrders.get(c) !== 1 || withStoredOrder.has(c));
  if (needsRelink.length) {
    const windowDays = tenant.settings.hierarchy.linkWindowDays;
    await time('hierarchy', () => relinkCustomers(tx, needsRelink, { windowDays }));
  }
  result.customerIds = [...touched];
  // A customer this batch created has no order outside it, and was created with the totals of the batch's
  // orders at its phone: it is exact unless one of them was not written.
  const recompute = result.customerIds.filter((c) => !created.has(c) || withUnwrittenOrder.has(c));
  if (recompute.length) {
    await time('aggregates', () => recomputeCustomerAggregates(tx, recompute, tenant.settings.segments));
  }
  await time('events', () => emitMany(tx, events));
  const changed = result.stateChanges.map((c) => ({ orderId: c.orderId, toState: c.toState, at: c.at }));
  await time('service', () => advanceFromCourier(tx, changed));
  // Last: on PostgreSQL the version row stays locked until commit, so no other lock is awaited while held.
  await time('rollups', () => bumpSummaryVersion(tx));
  return result;
}
