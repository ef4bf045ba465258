/**
 * Where a scheduled call stands. `missed`: nobody completed or cancelled it by the end of the merchant's day it
 * was due (set by the hourly `calls.mark-missed` job). A missed call is still open: it stays overdue on the desk
 * and can still be completed (a late call back) or cancelled.
 */
export const CALL_STATUSES = ['scheduled', 'completed', 'missed', 'cancelled'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** The statuses of a call still waiting for someone to make it. */
export const OPEN_CALL_STATUSES: readonly CallStatus[] = ['scheduled', 'missed'];

export function isOpenCall(status: string): boolean {
  return (OPEN_CALL_STATUSES as readonly string[]).includes(status);
}

/** What came of a call an agent completed. */
export const CALL_OUTCOMES = [
  'reached',
  'no_answer',
  'busy',
  'wrong_number',
  'callback_requested',
  'resolved',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Outcomes where the agent actually spoke with the customer: they count as the first response to a ticket. */
const CONTACT_OUTCOMES: readonly CallOutcome[] = ['reached', 'callback_requested', 'resolved'];

export function isContact(outcome: CallOutcome): boolean {
  return CONTACT_OUTCOMES.includes(outcome);
}

/**
 * Where the follow-up date of a completed call goes. A call about a still-open interaction keeps the work in
 * that one thread (its follow-up date moves); a call without one, or whose interaction is already resolved or
 * closed, opens a new `follow_up` interaction, so the date shows on the desk and nothing reopens silently.
 */
export type FollowUpPlan = 'set_on_linked' | 'create_follow_up';

export function followUpPlan(linked: { resolved: boolean } | null): FollowUpPlan {
  return linked && !linked.resolved ? 'set_on_linked' : 'create_follow_up';
}

/** A scheduled call is overdue once its time has passed and nobody completed or cancelled it. */
export function isCallOverdue(status: string, scheduledAt: string, now: string): boolean {
  return isOpenCall(status) && Date.parse(scheduledAt) < Date.parse(now);
}
