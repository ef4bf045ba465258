/**
 * `POST /deliveries/search` over the compact store (§3.1.2, §13, §14): paging with a configurable base and
 * maximum limit, sort by updatedAt/createdAt, filters on type names, phones (last 10 digits), tracking numbers
 * and a free-text term. The unfiltered `-updatedAt` listing (the sync path) never scans the whole store.
 */
import { BOSTA_TYPE_CODE_BY_NAME, type BostaTypeName } from '../codes.js';
import { customerProfile } from './customers.js';
import { nationalKey } from './identifiers.js';
import type { SearchSettings } from './settings.js';
import type { DeliveryStore } from './store.js';

export interface SearchResult {
  slots: number[];
  count: number;
  page: number;
  limit: number;
}

export interface SearchProblem {
  status: number;
  errorCode: string;
  message: string;
}

const KNOWN_KEYS = new Set([
  'page',
  'limit',
  'sortBy',
  'type',
  'mobilePhones',
  'trackingNumbers',
  'searchTerm',
  'pageSize',
]);

type SortKey = '-updatedAt' | 'updatedAt' | '-createdAt' | 'createdAt';

function toInt(value: unknown): number | undefined {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

function toList(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const items = (Array.isArray(value) ? value : String(value).split(','))
    .map((v) => String(v).trim())
    .filter((v) => v.length > 0);
  return items.length > 0 ? items : undefined;
}

export class SearchEngine {
  private cache?: { key: string; version: number; slots: number[] };
  private createdOrder?: { size: number; slots: Uint32Array };

  constructor(private readonly store: DeliveryStore) {}

  run(body: Record<string, unknown>, settings: SearchSettings): SearchResult | SearchProblem {
    if (settings.rejectUnknownFilters) {
      const unknown = Object.keys(body).find((k) => !KNOWN_KEYS.has(k));
      if (unknown) return { status: 400, errorCode: '1000', message: `"${unknown}" is not allowed` };
    }
    const page = Math.max(settings.pageBase, toInt(body.page) ?? settings.pageBase);
    let limit = toInt(body.limit) ?? toInt(body.pageSize) ?? settings.defaultLimit;
    if (limit < 1) limit = settings.defaultLimit;
    limit = Math.min(limit, settings.maxLimit);
    const sort = this.sortKey(body.sortBy);
    let offset = (page - settings.pageBase) * limit;

    // Empty filters (`type: []`, `mobilePhones: ""`) are ignored, as absent ones are.
    const filtered =
      toList(body.type) !== undefined ||
      toList(body.mobilePhones) !== undefined ||
      toList(body.trackingNumbers) !== undefined ||
      (typeof body.searchTerm === 'string' && body.searchTerm.trim() !== '');
    if (!filtered) {
      const count = this.visibleCount();
      if (settings.repeatLastPage && count > 0 && offset >= count) offset = Math.floor((count - 1) / limit) * limit;
      return { slots: this.unfilteredSlice(sort, offset, limit), count, page, limit };
    }
    const slots = this.filtered(body, sort);
    if (settings.repeatLastPage && slots.length > 0 && offset >= slots.length) {
      offset = Math.floor((slots.length - 1) / limit) * limit;
    }
    return { slots: slots.slice(offset, offset + limit), count: slots.length, page, limit };
  }

  private sortKey(value: unknown): SortKey {
    return value === 'updatedAt' || value === '-createdAt' || value === 'createdAt' ? value : '-updatedAt';
  }

  private ensureIndex(): void {
    const store = this.store;
    if (!store.index.isBuilt) store.index.build(store.size, (s) => store.isVisible(s));
  }

  private visibleCount(): number {
    return this.store.size - this.store.hiddenCount;
  }

  private unfilteredSlice(sort: SortKey, offset: number, limit: number): number[] {
    if (sort === '-updatedAt' || sort === 'updatedAt') {
      this.ensureIndex();
      return sort === '-updatedAt'
        ? this.store.index.sliceDesc(offset, limit)
        : this.store.index.sliceAsc(offset, limit);
    }
    const order = this.createdDesc();
    const total = order.length;
    if (sort === '-createdAt') return order.slice(offset, offset + limit);
    const end = Math.max(0, total - offset);
    return order.slice(Math.max(0, end - limit), end).reverse();
  }

  /** Visible slots by createdAt, newest first. New slots always carry the newest createdAt. */
  private createdDesc(): number[] {
    const store = this.store;
    if (!this.createdOrder) {
      const base = new Uint32Array(store.size);
      for (let i = 0; i < store.size; i++) base[i] = i;
      base.sort((a, b) => store.createdAt[b] - store.createdAt[a] || a - b);
      this.createdOrder = { size: store.size, slots: base };
    }
    const key = `createdAt:${store.size}:${store.hiddenCount}`;
    if (this.cache?.key === key && this.cache.version === store.version) return this.cache.slots;
    const out: number[] = [];
    for (let s = store.size - 1; s >= this.createdOrder.size; s--) if (store.isVisible(s)) out.push(s);
    for (const s of this.createdOrder.slots) if (store.isVisible(s)) out.push(s);
    this.cache = { key, version: store.version, slots: out };
    return out;
  }

  private filtered(body: Record<string, unknown>, sort: SortKey): number[] {
    const key = JSON.stringify([body.type, body.mobilePhones, body.trackingNumbers, body.searchTerm, sort]);
    const store = this.store;
    if (this.cache?.key === key && this.cache.version === store.version) return this.cache.slots;
    let candidates: number[] | undefined;
    const tns = toList(body.trackingNumbers);
    if (tns)
      candidates = [...new Set(tns.map((tn) => store.slotOfTrackingNumber(tn)))].filter((s) => store.isVisible(s));
    const phones = toList(body.mobilePhones);
    if (phones) {
      const bySlot = this.slotsByPhones(phones);
      candidates = candidates ? candidates.filter((s) => bySlot.has(s)) : [...bySlot];
    }
    const term = typeof body.searchTerm === 'string' ? body.searchTerm.trim() : '';
    if (term) {
      const matches = this.slotsByTerm(term);
      candidates = candidates ? candidates.filter((s) => matches.has(s)) : [...matches];
    }
    const types = this.typeCodes(body.type);
    let slots: number[];
    if (candidates) {
      slots = types ? candidates.filter((s) => types.has(store.type[s])) : candidates;
      this.sortSlots(slots, sort);
    } else {
      slots = [];
      this.ensureIndex();
      store.index.forEachDesc((s) => {
        if (!types || types.has(store.type[s])) slots.push(s);
        return true;
      });
      if (sort === 'updatedAt') slots.reverse();
      else if (sort !== '-updatedAt') this.sortSlots(slots, sort);
    }
    this.cache = { key, version: store.version, slots };
    return slots;
  }

  private typeCodes(value: unknown): Set<number> | undefined {
    const names = toList(value);
    if (!names) return undefined;
    const codes = new Set<number>();
    for (const name of names) {
      const byName = BOSTA_TYPE_CODE_BY_NAME[name.toUpperCase() as BostaTypeName];
      if (byName !== undefined) codes.add(byName);
      else if (/^\d+$/.test(name)) codes.add(Number(name));
    }
    return codes;
  }

  private sortSlots(slots: number[], sort: SortKey): void {
    const { updatedAt, createdAt } = this.store;
    const byUpdated = sort === '-updatedAt' || sort === 'updatedAt';
    const key = byUpdated ? updatedAt : createdAt;
    const dir = sort.startsWith('-') ? -1 : 1;
    slots.sort((a, b) => dir * (key[a] - key[b]) || a - b);
  }

  /** Slots whose receiver phone ends with one of the given numbers (last 10 digits). */
  private slotsByPhones(phones: string[]): Set<number> {
    const store = this.store;
    const keys = new Set(phones.map(nationalKey).filter((k) => k.length === 10));
    const out = new Set<number>();
    for (const k of keys) {
      const c = store.ids.customerOfNational(k);
      if (c >= 0 && c < store.customerTotal)
        for (const s of store.slotsOfCustomer(c)) if (store.isVisible(s)) out.add(s);
    }
    for (const [slot, live] of store.live) {
      const patched = (live.patch?.receiver as { phone?: string } | undefined)?.phone;
      const phone = patched ?? live.created?.input.receiver.phone;
      if (phone === undefined) continue;
      if (keys.has(nationalKey(phone)) && store.isVisible(slot)) out.add(slot);
      else out.delete(slot);
    }
    return out;
  }

  /** Free text: a tracking number, phone digits, a reference, or part of the receiver's name. */
  private slotsByTerm(term: string): Set<number> {
    const store = this.store;
    const out = new Set<number>();
    const tnSlot = store.slotOfTrackingNumber(term);
    if (tnSlot >= 0 && store.isVisible(tnSlot)) out.add(tnSlot);
    if (/^[+\d\s-]{10,}$/.test(term)) for (const s of this.slotsByPhones([term])) out.add(s);
    const refSlot = store.ids.indexOfReference(term.startsWith('#') ? term : `#${term}`);
    if (refSlot >= 0 && store.isVisible(refSlot) && !store.isCreated(refSlot)) out.add(refSlot);
    if (/\d{5,}/.test(term)) return out;
    const needle = term.toLowerCase();
    for (let c = 0; c < store.customerTotal; c++) {
      if (customerProfile(store.seed, store.ids, c).fullName.toLowerCase().includes(needle)) {
        for (const s of store.slotsOfCustomer(c))
          if (store.isVisible(s) && !store.live.get(s)?.patch?.receiver) out.add(s);
      }
    }
    for (const [slot, live] of store.live) {
      const r = (live.patch?.receiver ?? live.created?.input.receiver) as
        | { firstName?: string; lastName?: string }
        | undefined;
      if (r && `${r.firstName ?? ''} ${r.lastName ?? ''}`.toLowerCase().includes(needle) && store.isVisible(slot))
        out.add(slot);
    }
    return out;
  }
}
