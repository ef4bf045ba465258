/**
 * Seeds an order book straight into SQLite, consistently with what ingest leaves behind: orders (every column
 * ingest writes, and a realistic courier document in `order_documents`), customers with their aggregates and segment, and the daily
 * rollups of those orders. Prepared statements on the raw better-sqlite3 handle inside `bulkLoad` (indexes
 * rebuilt once at the end), so a million orders take well under a minute. Orders are written unlinked, as
 * ingest writes them before relinking: the hierarchy benchmark detects their families.
 * Not written: timelines, order changes, events (no benchmark here reads them).
 */
import type SqliteDatabase from 'better-sqlite3';
import { BOSTA_STATES, BOSTA_TYPE_VALUES } from '../../src/integrations/bosta/codes.js';
import { shipmentFeeFor } from '../../src/integrations/bosta/simulator/geography.js';
import { ID_ALPHABET } from '../../src/integrations/bosta/simulator/prng.js';
import { iso } from '../../src/integrations/bosta/simulator/sim-time.js';
import { ORDER_CATEGORIES, STATE_DELIVERED, STATE_RETURNED } from '../../src/modules/orders/classify-order.js';
import { deliveryHours, localDay } from '../../src/modules/orders/order-rollups.js';
import { ORDER_COLUMNS } from '../../src/modules/orders/orders.write.js';
import type { Tenant } from '../../src/modules/tenants/tenants.repo.js';
import { bulkLoad } from './bulk-load.js';
import { RAW_FIELD as F, RAW_FIELD_COUNT, rawDeliveryJson } from './raw-delivery.js';
import { aggregates, customerAddress, customerName, type SeededCustomer, writeCustomers } from './seed-customers.js';
import {
  classifyPlanned,
  DELIVERABLE_LOCATIONS,
  e164,
  HOUR_MS,
  type Kind,
  Kind as Kinds,
  localPhone,
  type SeedPlan,
  SIM_PRODUCTS,
} from './seed-plan.js';

const TX_ROWS = 20_000;

export type { SeededCustomer };

export interface SeedResult {
  orders: number;
  customers: number;
  rollupRows: number;
  seconds: number;
  /** A few customers with 3 or more orders (for phone and profile lookups). */
  regulars: SeededCustomer[];
}

const j = (s: string) => JSON.stringify(s);

const DESCRIPTIONS: Record<Kind, (p: (typeof SIM_PRODUCTS)[number]) => string> = {
  [Kinds.Sale]: (p) => `1 * ${p.nameEn} (${p.sku})`,
  [Kinds.Maintenance]: (p) => `Repaired ${p.nameEn} (${p.sku})`,
  [Kinds.FreePart]: (p) => `1 * ${p.partEn} for ${p.nameEn} (${p.sku})`,
  [Kinds.Refund]: (p) => `Refund for ${p.nameEn} (${p.sku})`,
  [Kinds.ReturnPickup]: (p) => `Return pickup: ${p.nameEn} (${p.sku})`,
  [Kinds.Exchange]: (p) => `Exchange: 1 * ${p.nameEn} (${p.sku})`,
};
const KIND_LIST = Object.values(Kinds) as Kind[];
/** Descriptions per product × kind (and as JSON), built once. */
const DESCRIPTION = SIM_PRODUCTS.map((p) => KIND_LIST.map((k) => DESCRIPTIONS[k](p)));
const DESCRIPTION_J = DESCRIPTION.map((row) => row.map(j));
const CITIES = [...new Set(DELIVERABLE_LOCATIONS.map((l) => l.city.name))];
const CITY_OF_PLACE = DELIVERABLE_LOCATIONS.map((l) => CITIES.indexOf(l.city.name));
const PLACE_J = DELIVERABLE_LOCATIONS.map((l) => ({
  city: j(l.city.name),
  zone: j(l.zone.name),
  district: j(l.district.name),
}));

function maskedStateOf(state: number): string {
  if (state === STATE_DELIVERED) return 'Delivered';
  if (state === STATE_RETURNED) return 'Returned';
  if (state === 48 || state === 49) return 'Canceled';
  return 'In progress';
}

/** 21 characters of the simulator's id alphabet: 9 that encode the order index exactly, then 12 of a hash. */
function externalIdOf(i: number, salt: number): string {
  let x = (Math.imul(i ^ salt, 0x9e3779b1) >>> 0) + i * 4_294_967_296;
  let out = '';
  for (let k = 0; k < 9; k++) {
    out += ID_ALPHABET[x % 64];
    x = Math.floor(x / 64);
  }
  let h = Math.imul(i + 1, 0x85ebca6b) ^ salt;
  for (let k = 0; k < 12; k++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    out += ID_ALPHABET[h >>> 26];
  }
  return out;
}

/** Local day of an instant, cached per quarter hour (every real time zone offset is a multiple of 15 min). */
function dayCache(timeZone: string) {
  const cache = new Map<number, number>();
  const days: string[] = [];
  const index = new Map<string, number>();
  return {
    days,
    of(ms: number): number {
      const q = Math.floor(ms / 900_000);
      let d = cache.get(q);
      if (d === undefined) {
        const day = localDay(iso(q * 900_000), timeZone);
        d = index.get(day);
        if (d === undefined) {
          d = days.length;
          days.push(day);
          index.set(day, d);
        }
        cache.set(q, d);
      }
      return d;
    },
  };
}

/** Writes the planned book for the tenant; the database must hold the tenant and none of its orders yet. */
export function seedOrderBook(
  sqlite: SqliteDatabase.Database,
  tenant: Tenant,
  plan: SeedPlan,
  log: (message: string) => void = () => undefined,
): SeedResult {
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const threshold = tenant.settings.classification.mainOrderCodThreshold;
  const classes = ORDER_CATEGORIES.map(() => ({ serviceType: '', orderLevel: 0 }));
  const categories = new Uint8Array(plan.orders);
  for (let i = 0; i < plan.orders; i++) {
    const cls = classifyPlanned(plan, i, threshold);
    const k = ORDER_CATEGORIES.indexOf(cls.category);
    categories[i] = k;
    classes[k] = { serviceType: cls.serviceType, orderLevel: cls.orderLevel };
  }
  const syncedAt = iso(plan.anchorMs);
  const col = Object.fromEntries(ORDER_COLUMNS.map((c, i) => [c, i])) as Record<(typeof ORDER_COLUMNS)[number], number>;
  const v: unknown[] = new Array(ORDER_COLUMNS.length).fill(null);
  const raw: string[] = new Array(RAW_FIELD_COUNT).fill('null');
  // Constant for every row.
  v[col.tenant_id] = tenant.id;
  v[col.source] = 'bosta';
  v[col.items_count] = 1;
  v[col.payment_method] = 'COD';
  v[col.synced_at] = syncedAt;
  const salt = plan.orders ^ 0x5eed;
  const rollups = new Map<number, [number, number, number, number, number, number, number, number, number]>();
  const days = dayCache(tenant.timeZone);

  const written = bulkLoad(
    sqlite,
    ['orders', 'customers'],
    () => {
      const { ids, regulars } = writeCustomers(sqlite, tenant, plan, aggregates(plan, categories));
      log(`${plan.customers.toLocaleString('en-US')} customers written at ${elapsed()}`);
      const insert = sqlite.prepare(
        `insert into orders (${ORDER_COLUMNS.join(', ')}) values (${ORDER_COLUMNS.map(() => '?').join(', ')})`,
      );
      const insertDocument = sqlite.prepare('insert into order_documents (order_id, tenant_id, raw) values (?, ?, ?)');
      const write = sqlite.transaction((from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const c = plan.orderCustomer[i];
          const place = plan.customerLocation[c];
          const loc = DELIVERABLE_LOCATIONS[place];
          const kind = plan.orderKind[i] as Kind;
          const type = plan.orderType[i];
          const state = plan.orderState[i];
          const cod = plan.orderCodMinor[i];
          const category = categories[i];
          const createdMs = plan.orderCreatedMs[i];
          const hours = plan.orderHours[i];
          const finalMs = hours > 0 ? Math.min(createdMs + hours * HOUR_MS, plan.anchorMs) : 0;
          const created = iso(createdMs);
          const updated = iso(finalMs || Math.min(createdMs + 2 * HOUR_MS, plan.anchorMs));
          const deliveredAt = state === STATE_DELIVERED ? iso(finalMs) : null;
          const { first, last } = customerName(c);
          const name = `${first} ${last}`;
          const phone = e164(plan.customerPrefix[c], plan.customerPhone[c]);
          const externalId = externalIdOf(i, salt);
          const tracking = String(10_000_000 + i * 37 + (Math.imul(i, 2_654_435_761) >>> 27));
          const reference = `#${100_000 + i}`;
          const line = customerAddress(c, loc.district.name);
          const stateName: string = BOSTA_STATES[state as keyof typeof BOSTA_STATES];
          const typeName: string = BOSTA_TYPE_VALUES[type as keyof typeof BOSTA_TYPE_VALUES];
          const masked = maskedStateOf(state);
          const fees = shipmentFeeFor(loc.city, type);
          const hoursToDelivery = deliveryHours(created, deliveredAt);

          v[col.external_id] = externalId;
          v[col.tracking_number] = tracking;
          v[col.business_reference] = reference;
          v[col.type_code] = type;
          v[col.type_name] = typeName;
          v[col.state_code] = state;
          v[col.state_name] = stateName;
          v[col.masked_state] = masked;
          v[col.cod_minor] = cod;
          v[col.fees_minor] = fees * 100;
          v[col.customer_id] = ids[c];
          v[col.phone] = phone;
          v[col.receiver_name] = name;
          v[col.receiver_phone_raw] = phone;
          v[col.second_phone] = c % 10 === 0 ? localPhone((c + 1) % 4, (plan.customerPhone[c] + 7) % 67_108_864) : null;
          v[col.city] = loc.city.name;
          v[col.zone] = loc.zone.name;
          v[col.district] = loc.district.name;
          v[col.address] = line;
          v[col.package_description] = DESCRIPTION[plan.orderProduct[i]][kind];
          v[col.courier_notes] = i % 13 === 0 ? 'Call before delivery' : null;
          v[col.attempts] = state === STATE_RETURNED ? 3 : hours > 0 ? 1 + (i % 2) : 0;
          v[col.calls] = i % 4;
          v[col.exception_reason] = state === 47 ? 'Customer is not at the address.' : null;
          v[col.exception_code] = state === 47 ? '6' : null;
          v[col.category] = ORDER_CATEGORIES[category];
          v[col.service_type] = classes[category].serviceType;
          v[col.order_level] = classes[category].orderLevel;
          v[col.delivery_hours] = hoursToDelivery;
          v[col.created_at] = created;
          v[col.updated_at] = updated;
          v[col.delivered_at] = deliveredAt;
          v[col.returned_at] = state === STATE_RETURNED ? iso(finalMs) : null;
          v[col.state_changed_at] = updated;
          v[col.hierarchy_status] = ORDER_CATEGORIES[category] === 'real_sale' ? 'main' : 'unlinked';

          raw[F.id] = `"${externalId}"`;
          raw[F.tn] = `"${tracking}"`;
          raw[F.typeCode] = String(type);
          raw[F.typeValue] = `"${typeName}"`;
          raw[F.stateCode] = String(state);
          raw[F.stateValue] = `"${stateName}"`;
          raw[F.masked] = `"${masked}"`;
          raw[F.cod] = String(cod / 100);
          raw[F.fees] = String(fees);
          raw[F.ref] = `"${reference}"`;
          raw[F.first] = j(first);
          raw[F.last] = j(last);
          raw[F.full] = j(name);
          raw[F.phone] = `"${phone}"`;
          raw[F.city] = PLACE_J[place].city;
          raw[F.zone] = PLACE_J[place].zone;
          raw[F.district] = PLACE_J[place].district;
          raw[F.line] = j(line);
          raw[F.description] = DESCRIPTION_J[plan.orderProduct[i]][kind];
          raw[F.created] = `"${created}"`;
          raw[F.updated] = `"${updated}"`;
          const { lastInsertRowid } = insert.run(v);
          insertDocument.run(lastInsertRowid, tenant.id, rawDeliveryJson(raw));

          // The rollup row of (day, city, state, category, type), keyed by a number: fields are small integers.
          const day = days.of(createdMs);
          const city = CITY_OF_PLACE[place];
          const key = (((day * 1024 + city) * 256 + state) * 8 + category) * 256 + type;
          let r = rollups.get(key);
          if (!r) {
            r = [day, city, state, category, type, 0, 0, 0, 0];
            rollups.set(key, r);
          }
          r[5]++;
          r[6] += cod;
          if (hoursToDelivery !== null) {
            r[7] += hoursToDelivery;
            r[8]++;
          }
        }
      });
      for (let i = 0; i < plan.orders; i += TX_ROWS) {
        write(i, Math.min(plan.orders, i + TX_ROWS));
        if ((i / TX_ROWS) % 10 === 9) log(`${(i + TX_ROWS).toLocaleString('en-US')} orders written at ${elapsed()}`);
      }

      const insertRollup = sqlite.prepare(
        `insert into order_daily_rollups (tenant_id, day, city, state_code, category, type_code, orders, cod_minor,
        delivery_hours_sum, delivery_hours_count) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      sqlite.transaction(() => {
        for (const [day, city, state, category, type, orders, cod, hoursSum, hoursCount] of rollups.values()) {
          const d = days.days[day];
          insertRollup.run(
            tenant.id,
            d,
            CITIES[city],
            state,
            ORDER_CATEGORIES[category],
            type,
            orders,
            cod,
            hoursSum,
            hoursCount,
          );
        }
      })();
      log(
        `${plan.orders.toLocaleString('en-US')} orders and ${rollups.size.toLocaleString('en-US')} rollup rows written at ${elapsed()}`,
      );
      return regulars;
    },
    log,
  );
  return {
    orders: plan.orders,
    customers: plan.customers,
    rollupRows: rollups.size,
    seconds: (performance.now() - started) / 1000,
    regulars: written,
  };
}
