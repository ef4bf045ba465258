import type { TenantSettings } from '../tenants/tenant-settings.js';

export type Segment = 'new' | 'regular' | 'vip' | 'problematic';
export const SEGMENTS: readonly Segment[] = ['new', 'regular', 'vip', 'problematic'];

export interface CustomerTotals {
  ordersCount: number;
  deliveredCount: number;
  returnedCount: number;
  lifetimeValueMinor: number;
}

/** Returned (or refused) parcels over finished ones; 0 when nothing finished yet. */
export function returnRate(t: CustomerTotals): number {
  const finished = t.deliveredCount + t.returnedCount;
  return finished === 0 ? 0 : t.returnedCount / finished;
}

/**
 * The segment of a customer by the tenant's rules: problematic when at least two parcels finished and the
 * return rate reaches the limit; vip by order count or lifetime value; regular by order count; else new.
 */
export function segmentOf(t: CustomerTotals, rules: TenantSettings['segments']): Segment {
  if (t.deliveredCount + t.returnedCount >= 2 && returnRate(t) >= rules.problematicMinReturnRate) return 'problematic';
  if (t.ordersCount >= rules.vipMinOrders || t.lifetimeValueMinor >= rules.vipMinLifetimeValue * 100) return 'vip';
  if (t.ordersCount >= rules.regularMinOrders) return 'regular';
  return 'new';
}
