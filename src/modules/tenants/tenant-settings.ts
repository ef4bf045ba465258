/** Business settings of a tenant. Every field has a default, so a stored partial object is always complete. */
export interface TenantSettings {
  classification: {
    /** Delivered with COD above this (major units) is a real sale. */
    mainOrderCodThreshold: number;
  };
  hierarchy: {
    /** Days a sub-order may be from its main order. */
    linkWindowDays: number;
  };
  segments: {
    vipMinOrders: number;
    vipMinLifetimeValue: number;
    regularMinOrders: number;
    problematicMinReturnRate: number;
  };
  sync: {
    /** Minutes between scheduled incremental syncs. */
    bostaIntervalMinutes: number;
  };
  service: {
    refundReviewThreshold: number;
    labourCost: number;
    /** Warranty of products without a catalogue entry, in months from delivery. */
    warrantyMonths: number;
    estimatedCost: Record<'maintenance' | 'replace_part' | 'replace_full' | 'return_refund', number>;
    slaHours: Record<string, number>;
  };
}

export const DEFAULT_TENANT_SETTINGS: TenantSettings = {
  classification: { mainOrderCodThreshold: 500 },
  hierarchy: { linkWindowDays: 365 },
  segments: { vipMinOrders: 10, vipMinLifetimeValue: 5000, regularMinOrders: 3, problematicMinReturnRate: 0.5 },
  sync: { bostaIntervalMinutes: 2 },
  service: {
    refundReviewThreshold: 5000,
    labourCost: 150,
    warrantyMonths: 12,
    estimatedCost: { maintenance: 300, replace_part: 500, replace_full: 0, return_refund: 0 },
    slaHours: {
      requested: 24,
      return_ordered: 72,
      return_in_transit: 96,
      return_received: 24,
      inspected: 24,
      review_pending: 24,
      approved: 48,
      in_progress: 72,
      outbound_shipped: 96,
      completed: 48,
    },
  },
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type TenantSettingsPatch = DeepPartial<TenantSettings>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep-merges a stored or submitted partial onto a base, keeping only keys the base knows with the same kind. */
export function mergeSettings<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (!(k in base)) continue;
    const cur = (base as Record<string, unknown>)[k];
    if (isPlainObject(cur)) out[k] = mergeSettings(cur, v);
    else if (typeof v === typeof cur) out[k] = v;
  }
  return out as T;
}

/** Lists keys of a patch that are unknown or of the wrong kind, as dotted paths (for a 400). */
export function settingsProblems(base: unknown, patch: unknown, path = ''): string[] {
  if (!isPlainObject(base) || !isPlainObject(patch)) return [];
  const problems: string[] = [];
  for (const [k, v] of Object.entries(patch)) {
    const p = path ? `${path}.${k}` : k;
    if (!(k in base)) {
      problems.push(`${p} is not a setting`);
      continue;
    }
    const cur = (base as Record<string, unknown>)[k];
    if (isPlainObject(cur)) {
      if (!isPlainObject(v)) problems.push(`${p} must be an object`);
      else problems.push(...settingsProblems(cur, v, p));
    } else if (typeof v !== typeof cur) problems.push(`${p} must be a ${typeof cur}`);
    else if (typeof v === 'number' && (!Number.isFinite(v) || v < 0))
      problems.push(`${p} must be a non-negative number`);
  }
  return problems;
}
