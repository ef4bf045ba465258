/**
 * Simulator settings: the open questions of §14 made switchable, plus fault knobs. Every group can be changed
 * at runtime through the control API; faults apply to `/api/v2` only, never to control routes.
 */

export interface SearchSettings {
  /** 1 (default) or 0: the number of the first page. */
  pageBase: number;
  maxLimit: number;
  defaultLimit: number;
  /**
   * `full` (default): near-full documents without the detail-only `log`/`attempts`; `detail`: exactly what the
   * detail endpoint returns; `reduced`: only the fields clients are known to read from search items.
   */
  itemShape: 'full' | 'detail' | 'reduced';
  /** `createdAt`/`updatedAt` of search items: JS `Date.toString()` (default) or ISO. */
  createdAtFormat: 'toString' | 'iso';
  /** Paging past the end returns the last page again (a reported quirk). */
  repeatLastPage: boolean;
  /** Answer 400 to unknown body keys instead of ignoring them. */
  rejectUnknownFilters: boolean;
}

export interface WebhookSettings {
  includeDescription: boolean;
  includeEventType: boolean;
  trackingNumberType: 'string' | 'number';
  /** Probability that an event is sent twice. */
  duplicateRate: number;
  /** Probability that an event is held back and sent after the next one. */
  reorderRate: number;
  /** Delay before each send (ms). */
  delayMs: number;
  /** Extra tries after a failed send (non-2xx or network error). */
  retries: number;
  retryDelayMs: number;
  timeoutMs: number;
}

export interface FaultSettings {
  errorRate5xx: number;
  rateLimitRate: number;
  /** Seconds sent in `Retry-After` with a 429 (fractions allowed for tests). */
  retryAfterSeconds: number;
  /** Probability that a request is held `hangMs` before being answered. */
  hangRate: number;
  hangMs: number;
  /** Probability of a 200 answer with a truncated JSON body. */
  malformedJsonRate: number;
  /** Each search request first changes or adds this many deliveries (data moving mid-sync). */
  mutateDuringSync: number;
}

export interface SimulatorSettings {
  search: SearchSettings;
  terminate: { mode: 'keep48' | 'disappear' };
  create: { status: 200 | 201 };
  errors: { errorCodeType: 'string' | 'number' };
  webhook: WebhookSettings;
  faults: FaultSettings;
}

/** Partial settings at any depth, as accepted by options and the control API. */
export type SimulatorSettingsPatch = { [K in keyof SimulatorSettings]?: Partial<SimulatorSettings[K]> };

export function defaultSimulatorSettings(): SimulatorSettings {
  return {
    search: {
      pageBase: 1,
      maxLimit: 200,
      defaultLimit: 50,
      itemShape: 'full',
      createdAtFormat: 'toString',
      repeatLastPage: false,
      rejectUnknownFilters: false,
    },
    terminate: { mode: 'keep48' },
    create: { status: 201 },
    errors: { errorCodeType: 'string' },
    webhook: {
      includeDescription: true,
      includeEventType: true,
      trackingNumberType: 'string',
      duplicateRate: 0,
      reorderRate: 0,
      delayMs: 0,
      retries: 2,
      retryDelayMs: 50,
      timeoutMs: 5_000,
    },
    faults: {
      errorRate5xx: 0,
      rateLimitRate: 0,
      retryAfterSeconds: 1,
      hangRate: 0,
      hangMs: 30_000,
      malformedJsonRate: 0,
      mutateDuringSync: 0,
    },
  };
}

/** Applies a patch in place (group by group) and returns the settings. Unknown groups are ignored. */
export function applySettingsPatch(
  settings: SimulatorSettings,
  patch: SimulatorSettingsPatch | undefined,
): SimulatorSettings {
  if (!patch || typeof patch !== 'object') return settings;
  for (const group of Object.keys(settings) as Array<keyof SimulatorSettings>) {
    const value = patch[group];
    if (value && typeof value === 'object') Object.assign(settings[group], value);
  }
  return settings;
}

export function cloneSettings(settings: SimulatorSettings): SimulatorSettings {
  return structuredClone(settings);
}
