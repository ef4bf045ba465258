import { bulkInsert } from '../../platform/db/bulk.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { AGGREGATE_COLUMNS, aggregateValues, type CustomerAggregate, EMPTY_AGGREGATE } from './customer-aggregates.js';
import type { Segment } from './segment.js';

/** What an order tells about the person at its phone number. */
export interface CustomerSeed {
  phone: string;
  name: string;
  secondPhone: string | null;
  city: string | null;
  zone: string | null;
  district: string | null;
  address: string | null;
  /**
   * What a customer created from this seed starts with: the aggregate and segment of all the batch's orders at
   * this phone (ingest passes them, so a customer whose orders all came in the batch that created it needs no
   * recomputation). Without it, a new customer starts at zero, segment `new`.
   */
  totals?: { aggregate: CustomerAggregate; segment: Segment };
}

const CHUNK = 900;

/**
 * Finds or creates the customer of each E.164 phone: the customer's own phone, an alias (second phone or a
 * merged duplicate), and a merged customer resolves to its survivor. New customers are created from the
 * order's receiver. Returns phone → customer id; the ids of the customers it created go into `created`
 * when given.
 */
export async function resolveCustomers(
  ctx: TenantCtx,
  seeds: CustomerSeed[],
  source: string,
  now: string,
  created?: Set<number>,
): Promise<Map<string, number>> {
  const byPhone = new Map<string, number>();
  const phones = [...new Set(seeds.map((s) => s.phone))];
  for (let i = 0; i < phones.length; i += CHUNK) {
    const part = phones.slice(i, i + CHUNK);
    const own = await ctx.db
      .selectFrom('customers')
      .select(['id', 'phone', 'merged_into_id'])
      .where('tenant_id', '=', ctx.tenantId)
      .where('phone', 'in', part)
      .execute();
    for (const c of own) byPhone.set(c.phone, c.merged_into_id ?? c.id);
    const aliases = await ctx.db
      .selectFrom('customer_phones')
      .select(['phone', 'customer_id'])
      .where('tenant_id', '=', ctx.tenantId)
      .where('phone', 'in', part)
      .execute();
    for (const a of aliases) byPhone.set(a.phone, a.customer_id);
  }
  const missing = new Map<string, CustomerSeed>();
  for (const s of seeds) if (!byPhone.has(s.phone) && !missing.has(s.phone)) missing.set(s.phone, s);
  if (missing.size > 0) {
    const rows = [...missing.values()].map((s) => [
      ctx.tenantId,
      s.phone,
      s.secondPhone,
      s.name,
      s.city,
      s.zone,
      s.district,
      s.address,
      '[]',
      source,
      now,
      now,
      ...aggregateValues(s.totals?.aggregate ?? EMPTY_AGGREGATE, s.totals?.segment ?? 'new'),
    ]);
    const inserted = await bulkInsert<{ id: number; phone: string }>(
      ctx.db,
      ctx.dialect,
      'customers',
      [
        'tenant_id',
        'phone',
        'second_phone',
        'name',
        'city',
        'zone',
        'district',
        'address',
        'tags',
        'source',
        'created_at',
        'updated_at',
        ...AGGREGATE_COLUMNS,
      ],
      rows,
      { conflict: ['tenant_id', 'phone'], update: 'nothing', returning: ['id', 'phone'] },
    );
    for (const r of inserted) {
      byPhone.set(r.phone, Number(r.id));
      created?.add(Number(r.id));
    }
    const raced = [...missing.keys()].filter((p) => !byPhone.has(p));
    if (raced.length) {
      const again = await ctx.db
        .selectFrom('customers')
        .select(['id', 'phone', 'merged_into_id'])
        .where('tenant_id', '=', ctx.tenantId)
        .where('phone', 'in', raced)
        .execute();
      for (const c of again) byPhone.set(c.phone, c.merged_into_id ?? c.id);
    }
  }
  return byPhone;
}
