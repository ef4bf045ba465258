import { isUniqueViolation } from '../../platform/db/dialect.js';
import { inTransaction, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { emit } from '../../platform/events/outbox.js';
import { badRequest, conflict, notFound, unprocessable } from '../../platform/http/errors.js';
import { nowIso } from '../../lib/time.js';
import { relinkCustomers } from '../hierarchy/hierarchy.repo.js';
import { phoneFilter } from '../orders/order-filters.js';
import { moveOrdersToCustomer } from '../orders/orders.repo.js';
import type { Tenant } from '../tenants/tenants.repo.js';
import { recomputeCustomerAggregates } from './customer-aggregates.js';
import {
  type Customer,
  type CustomerFields,
  findCustomerById,
  findCustomerByPhone,
  findCustomerIdByPhone,
  insertCustomer,
  markCustomerMerged,
  moveCustomerPhones,
  putCustomerPhone,
  updateCustomer,
} from './customers.repo.js';

/** The editable fields as a request sends them (phone in any format). */
export interface CustomerInput {
  phone?: string;
  name?: string;
  email?: string | null;
  city?: string | null;
  zone?: string | null;
  district?: string | null;
  address?: string | null;
  notes?: string | null;
  tags?: string[];
}

const TEXT_FIELDS = ['email', 'city', 'zone', 'district', 'address', 'notes'] as const;

/** Trims text, turns blanks into null, normalises the phone to E.164 (400 `invalid_phone`) and dedupes tags. */
function fieldsOf(input: CustomerInput, country: string): CustomerFields {
  const f: CustomerFields = {};
  if (input.phone !== undefined) f.phone = phoneFilter(input.phone, country);
  if (input.name !== undefined) {
    f.name = input.name.trim();
    if (!f.name) throw badRequest('invalid_name', 'A customer needs a name');
  }
  for (const k of TEXT_FIELDS) {
    const v = input[k];
    if (v !== undefined) f[k] = v === null || v.trim() === '' ? null : v.trim();
  }
  if (input.tags !== undefined) f.tags = [...new Set(input.tags.map((t) => t.trim()).filter(Boolean))];
  return f;
}

/** The live customer holding a phone (its own or an alias, through a merge), or null. */
async function phoneOwner(ctx: TenantCtx, phone: string): Promise<number | null> {
  const id = await findCustomerIdByPhone(ctx, phone);
  if (id === null) return null;
  const c = await findCustomerById(ctx, id);
  return c?.mergedIntoId ?? id;
}

async function assertPhoneFree(ctx: TenantCtx, phone: string, self?: number): Promise<void> {
  const held = await findCustomerIdByPhone(ctx, phone);
  if (held === null || held === self) return;
  const owner = await phoneOwner(ctx, phone);
  throw conflict('customer_exists', `A customer with the phone ${phone} exists`, { customerId: owner });
}

/** A unique violation that slipped past the check (a concurrent create): the same 409, after the rollback. */
async function asConflict(ctx: TenantCtx, err: unknown, phone: string | undefined): Promise<never> {
  if (phone && isUniqueViolation(err)) {
    throw conflict('customer_exists', `A customer with the phone ${phone} exists`, {
      customerId: await phoneOwner(ctx, phone),
    });
  }
  throw err;
}

/** Creates a customer by hand; 409 `customer_exists` (with its id) when the phone already leads to one. */
export async function createCustomer(ctx: TenantCtx, tenant: Tenant, input: CustomerInput): Promise<Customer> {
  const f = fieldsOf(input, tenant.country);
  const phone = f.phone!;
  try {
    return await inTransaction(ctx, async (tx) => {
      await assertPhoneFree(tx, phone);
      const c = await insertCustomer(tx, { ...f, phone, name: f.name!, source: 'manual', now: nowIso() });
      await emit(tx, { type: 'customer.created', entityType: 'customer', entityId: c.id, payload: c });
      return c;
    });
  } catch (e) {
    return asConflict(ctx, e, phone);
  }
}

/** Changes a customer's own fields; a new phone must not lead to another customer (409). */
export async function changeCustomer(
  ctx: TenantCtx,
  tenant: Tenant,
  id: number,
  input: CustomerInput,
): Promise<Customer> {
  const f = fieldsOf(input, tenant.country);
  try {
    return await inTransaction(ctx, async (tx) => {
      const before = await findCustomerById(tx, id);
      if (!before) throw notFound('customer');
      if (before.mergedIntoId) {
        throw unprocessable('customer_merged', `Customer ${id} was merged; change the survivor instead`, {
          survivorId: before.mergedIntoId,
        });
      }
      if (f.phone !== undefined && f.phone !== before.phone) await assertPhoneFree(tx, f.phone, id);
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [k, to] of Object.entries(f)) {
        const from = before[k as keyof Customer];
        if (JSON.stringify(from) !== JSON.stringify(to)) changes[k] = { from, to };
      }
      if (Object.keys(changes).length === 0) return before;
      await updateCustomer(tx, id, f, nowIso());
      await emit(tx, { type: 'customer.updated', entityType: 'customer', entityId: id, payload: { id, changes } });
      return (await findCustomerById(tx, id))!;
    });
  } catch (e) {
    return asConflict(ctx, e, f.phone);
  }
}

/** What other areas keep per customer, handed from a merged duplicate to its survivor (counts). */
export interface MovedRecords {
  interactions: number;
  scheduledCalls: number;
  serviceActions: number;
}

/** Moves those records inside the merge's transaction (the merge flow supplies it: modules do not cross). */
export type MoveCustomerRecords = (tx: TenantCtx, fromId: number, toId: number) => Promise<MovedRecords>;

export interface MergeResult {
  survivor: Customer;
  duplicateId: number;
  movedOrders: number;
  movedPhones: number;
  movedInteractions: number;
  movedScheduledCalls: number;
  movedServiceActions: number;
}

/** Fields the survivor lacks and the duplicate has; tags are united. */
function blanksFrom(survivor: Customer, duplicate: Customer): CustomerFields {
  const f: CustomerFields = {};
  for (const k of TEXT_FIELDS) if (survivor[k] === null && duplicate[k] !== null) f[k] = duplicate[k];
  const tags = [...new Set([...survivor.tags, ...duplicate.tags])];
  if (tags.length !== survivor.tags.length) f.tags = tags;
  return f;
}

/**
 * Merges a duplicate into a survivor in one transaction: orders and phones move, so do the records other areas
 * keep per customer (`moveRecords`), the duplicate's phone becomes a 'merged' alias of the survivor, the
 * duplicate is marked merged, both customers' aggregates are recomputed and the survivor's order families
 * relinked. 422 for a self-merge or an already merged side.
 */
export async function mergeCustomers(
  ctx: TenantCtx,
  tenant: Tenant,
  survivorId: number,
  duplicateId: number,
  moveRecords: MoveCustomerRecords,
): Promise<MergeResult> {
  if (survivorId === duplicateId) throw unprocessable('merge_into_itself', 'A customer cannot be merged into itself');
  return inTransaction(ctx, async (tx) => {
    const survivor = await findCustomerById(tx, survivorId);
    const duplicate = await findCustomerById(tx, duplicateId);
    if (!survivor || !duplicate) throw notFound('customer');
    for (const c of [survivor, duplicate]) {
      if (c.mergedIntoId) {
        throw unprocessable('customer_merged', `Customer ${c.id} is already merged into ${c.mergedIntoId}`, {
          customerId: c.id,
          survivorId: c.mergedIntoId,
        });
      }
    }
    const now = nowIso();
    const movedOrders = await moveOrdersToCustomer(tx, duplicateId, survivorId);
    const movedPhones = await moveCustomerPhones(tx, duplicateId, survivorId);
    const records = await moveRecords(tx, duplicateId, survivorId);
    await putCustomerPhone(tx, duplicate.phone, survivorId, 'merged');
    await updateCustomer(tx, survivorId, blanksFrom(survivor, duplicate), now);
    await markCustomerMerged(tx, duplicateId, survivorId, now);
    await recomputeCustomerAggregates(tx, [survivorId, duplicateId], tenant.settings.segments);
    await relinkCustomers(tx, [survivorId]);
    await emit(tx, {
      type: 'customer.merged',
      entityType: 'customer',
      entityId: survivorId,
      payload: { survivorId, duplicateId, duplicatePhone: duplicate.phone, movedOrders, movedPhones, ...records },
    });
    return {
      survivor: (await findCustomerById(tx, survivorId))!,
      duplicateId,
      movedOrders,
      movedPhones,
      movedInteractions: records.interactions,
      movedScheduledCalls: records.scheduledCalls,
      movedServiceActions: records.serviceActions,
    };
  });
}

/** A customer by id; a merged one answers with its survivor and says where it came from. */
export async function liveCustomer(
  ctx: TenantCtx,
  id: number,
): Promise<{ customer: Customer; mergedFrom: { id: number; phone: string } | null }> {
  const found = await findCustomerById(ctx, id);
  if (!found) throw notFound('customer');
  return followMerge(ctx, found);
}

async function followMerge(ctx: TenantCtx, found: Customer) {
  if (!found.mergedIntoId) return { customer: found, mergedFrom: null };
  const survivor = await findCustomerById(ctx, found.mergedIntoId);
  if (!survivor) throw notFound('customer');
  return { customer: survivor, mergedFrom: { id: found.id, phone: found.phone } };
}

/** A path reference: up to 9 digits is an id, anything else a phone in any format (400 when not one). */
export async function resolveCustomerRef(ctx: TenantCtx, ref: string, country: string) {
  if (/^[1-9]\d{0,8}$/.test(ref)) return liveCustomer(ctx, Number(ref));
  // A phone most often is the customer's own: its row comes with the lookup, one query instead of two.
  const found = await findCustomerByPhone(ctx, phoneFilter(ref, country));
  if (found === null) throw notFound('customer');
  return typeof found === 'number' ? liveCustomer(ctx, found) : followMerge(ctx, found);
}
