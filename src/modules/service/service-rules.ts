import type { TenantSettings } from '../tenants/tenant-settings.js';

export const SERVICE_TYPES = ['maintenance', 'replace_part', 'replace_full', 'return_refund'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const RECOMMENDED_ACTIONS = ['maintenance', 'replace_part', 'replace_full', 'refund', 'dispose'] as const;
export type RecommendedAction = (typeof RECOMMENDED_ACTIONS)[number];

export type WarrantyStatus = 'in_warranty' | 'out_of_warranty' | 'unknown';

/** The hierarchy relationship of the courier deliveries an action creates. */
export function relationshipOf(type: ServiceType): 'maintenance' | 'replacement' | 'return' {
  if (type === 'replace_full') return 'replacement';
  if (type === 'return_refund') return 'return';
  return 'maintenance';
}

/** Warranty from the purchase (delivery) date and the product's warranty months; unknown without a date. */
export function warrantyOf(
  purchasedAt: string | null,
  months: number,
  now: Date,
): { status: WarrantyStatus; until: string | null } {
  if (!purchasedAt) return { status: 'unknown', until: null };
  const until = new Date(purchasedAt);
  until.setUTCMonth(until.getUTCMonth() + months);
  return { status: until.getTime() >= now.getTime() ? 'in_warranty' : 'out_of_warranty', until: until.toISOString() };
}

/**
 * Whether a team leader must review an inspection: a quality score of 3 or less, a recommendation to refund
 * or dispose, or a refund above the tenant's threshold.
 */
export function reviewRequired(
  i: { qualityScore: number; recommendedAction: RecommendedAction; refundMinor?: number | null },
  settings: TenantSettings['service'],
): boolean {
  if (i.qualityScore <= 3) return true;
  if (i.recommendedAction === 'refund' || i.recommendedAction === 'dispose') return true;
  return (i.refundMinor ?? 0) > Math.round(settings.refundReviewThreshold * 100);
}

export interface PartLine {
  sku: string;
  qty: number;
  unitCostMinor: number;
}

/** Cost of a repair or replacement: parts plus labour; the customer pays nothing under warranty. */
export function serviceCost(
  parts: PartLine[],
  labourMinor: number,
  warranty: WarrantyStatus,
): { costMinor: number; customerPaysMinor: number } {
  const costMinor = parts.reduce((s, p) => s + p.qty * p.unitCostMinor, 0) + labourMinor;
  return { costMinor, customerPaysMinor: warranty === 'in_warranty' ? 0 : costMinor };
}

/** Hours a status may last before the action is overdue, from tenant settings; null when untimed. */
export function slaHours(status: string, settings: TenantSettings['service']): number | null {
  const h = settings.slaHours[status];
  return typeof h === 'number' && h > 0 ? h : null;
}

/** Whether an action has stayed in its status past the SLA. */
export function isOverdue(
  status: string,
  statusChangedAt: string,
  settings: TenantSettings['service'],
  now: Date,
): boolean {
  const h = slaHours(status, settings);
  return h !== null && Date.parse(statusChangedAt) + h * 3_600_000 < now.getTime();
}
