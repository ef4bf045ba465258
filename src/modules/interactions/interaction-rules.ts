/** What kind of contact an interaction records. */
export const INTERACTION_TYPES = ['call', 'complaint', 'inquiry', 'follow_up', 'ticket'] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

/** How the customer reached us (or we them). */
export const CHANNELS = ['phone', 'whatsapp', 'telegram', 'email', 'in_person', 'web'] as const;
export type Channel = (typeof CHANNELS)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const INTERACTION_STATUSES = ['open', 'in_progress', 'waiting_customer', 'resolved', 'closed'] as const;
export type InteractionStatus = (typeof INTERACTION_STATUSES)[number];

/** Statuses that still need someone's work: they count as open on the dashboard and can be overdue. */
export const UNRESOLVED_STATUSES: readonly InteractionStatus[] = ['open', 'in_progress', 'waiting_customer'];
export const RESOLVED_STATUSES: readonly InteractionStatus[] = ['resolved', 'closed'];

/**
 * The status machine as data (the API returns the next statuses of each interaction, so the UI shows exactly
 * those as buttons). Work moves freely between the unresolved statuses; a resolved interaction can be reopened
 * or closed; closed is final: a new problem is a new ticket, so closed tickets keep honest resolution times.
 */
export const STATUS_MOVES: Readonly<Record<InteractionStatus, readonly InteractionStatus[]>> = {
  open: ['in_progress', 'waiting_customer', 'resolved', 'closed'],
  in_progress: ['open', 'waiting_customer', 'resolved', 'closed'],
  waiting_customer: ['open', 'in_progress', 'resolved', 'closed'],
  resolved: ['open', 'in_progress', 'waiting_customer', 'closed'],
  closed: [],
};

export function isResolvedStatus(status: string): boolean {
  return (RESOLVED_STATUSES as readonly string[]).includes(status);
}

/** The timestamps a status change maintains. */
export interface Lifecycle {
  status: InteractionStatus;
  createdAt: string;
  resolvedAt: string | null;
  resolutionMinutes: number | null;
  firstResponseAt: string | null;
}

export type StatusChange =
  | { ok: true; lifecycle: Lifecycle }
  | { ok: false; from: InteractionStatus; to: InteractionStatus; allowed: InteractionStatus[] };

/** Whole minutes from one instant to a later one (never negative: clocks of two writers may disagree). */
export function minutesBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
}

/**
 * A new interaction's lifecycle. One logged in any status but `open` was already acted on (an agent logging a
 * call they are handling or just solved), so its first response is its creation.
 */
export function initialLifecycle(status: InteractionStatus, now: string): Lifecycle {
  const resolved = isResolvedStatus(status);
  return {
    status,
    createdAt: now,
    resolvedAt: resolved ? now : null,
    resolutionMinutes: resolved ? 0 : null,
    firstResponseAt: status === 'open' ? null : now,
  };
}

/**
 * Moves an interaction to `to` at `now`. Resolving or closing stamps `resolvedAt` and the resolution time;
 * closing a resolved one keeps the time it was resolved; reopening clears both. Any move counts as the first
 * response when none was recorded yet (somebody looked at it).
 */
export function changeStatus(before: Lifecycle, to: InteractionStatus, now: string): StatusChange {
  if (to === before.status) return { ok: true, lifecycle: before };
  if (!STATUS_MOVES[before.status].includes(to)) {
    return { ok: false, from: before.status, to, allowed: [...STATUS_MOVES[before.status]] };
  }
  const firstResponseAt = before.firstResponseAt ?? now;
  if (!isResolvedStatus(to)) {
    return {
      ok: true,
      lifecycle: { ...before, status: to, resolvedAt: null, resolutionMinutes: null, firstResponseAt },
    };
  }
  const resolvedAt = before.resolvedAt ?? now;
  const resolutionMinutes = before.resolvedAt ? before.resolutionMinutes : minutesBetween(before.createdAt, now);
  return { ok: true, lifecycle: { ...before, status: to, resolvedAt, resolutionMinutes, firstResponseAt } };
}

/** A follow-up is overdue once its time has passed while the interaction is still unresolved. */
export function isOverdue(followUpAt: string | null, status: string, now: string): boolean {
  return followUpAt !== null && !isResolvedStatus(status) && Date.parse(followUpAt) < Date.parse(now);
}

/** Clocks of agents' devices drift and forms take a while to submit: "now" in a request may lag by this much. */
export const PAST_GRACE_MS = 5 * 60_000;

/** Whether an instant meant to lie ahead (a call, a follow-up) is further in the past than the grace allows. */
export function isTooFarInPast(at: string, now: string): boolean {
  return Date.parse(at) < Date.parse(now) - PAST_GRACE_MS;
}
