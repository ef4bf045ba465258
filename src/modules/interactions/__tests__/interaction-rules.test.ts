import { describe, expect, it } from 'vitest';
import { followUpPlan, isCallOverdue, isContact } from '../call-rules.js';
import { dayWindow, todayWindow } from '../desk-day.js';
import {
  changeStatus,
  initialLifecycle,
  INTERACTION_STATUSES,
  isOverdue,
  isTooFarInPast,
  type Lifecycle,
  minutesBetween,
  STATUS_MOVES,
} from '../interaction-rules.js';

const T0 = '2026-03-01T08:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function life(over: Partial<Lifecycle> = {}): Lifecycle {
  return { status: 'open', createdAt: T0, resolvedAt: null, resolutionMinutes: null, firstResponseAt: null, ...over };
}

describe('interaction status machine', () => {
  it('new interactions: open waits for a response, anything else was already handled', () => {
    expect(initialLifecycle('open', T0)).toEqual(life());
    expect(initialLifecycle('in_progress', T0)).toEqual(life({ status: 'in_progress', firstResponseAt: T0 }));
    expect(initialLifecycle('resolved', T0)).toEqual(
      life({ status: 'resolved', firstResponseAt: T0, resolvedAt: T0, resolutionMinutes: 0 }),
    );
    expect(initialLifecycle('closed', T0)).toMatchObject({ resolvedAt: T0, resolutionMinutes: 0 });
  });

  it('resolving stamps the time and the minutes since creation; the first move is the first response', () => {
    const r = changeStatus(life(), 'resolved', at(95));
    expect(r).toEqual({
      ok: true,
      lifecycle: life({ status: 'resolved', resolvedAt: at(95), resolutionMinutes: 95, firstResponseAt: at(95) }),
    });
    const worked = changeStatus(life({ status: 'in_progress', firstResponseAt: at(5) }), 'resolved', at(60));
    expect(worked.ok && worked.lifecycle.firstResponseAt).toBe(at(5));
  });

  it('closing a resolved interaction keeps when it was resolved; closing an open one resolves it now', () => {
    const resolved = life({ status: 'resolved', resolvedAt: at(30), resolutionMinutes: 30, firstResponseAt: at(1) });
    const closed = changeStatus(resolved, 'closed', at(600));
    expect(closed.ok && closed.lifecycle).toMatchObject({
      status: 'closed',
      resolvedAt: at(30),
      resolutionMinutes: 30,
    });
    const direct = changeStatus(life(), 'closed', at(12));
    expect(direct.ok && direct.lifecycle).toMatchObject({ resolvedAt: at(12), resolutionMinutes: 12 });
  });

  it('reopening clears the resolution time; a second resolution counts from creation again', () => {
    const resolved = life({ status: 'resolved', resolvedAt: at(30), resolutionMinutes: 30, firstResponseAt: at(1) });
    const reopened = changeStatus(resolved, 'waiting_customer', at(40));
    expect(reopened.ok && reopened.lifecycle).toEqual({
      ...resolved,
      status: 'waiting_customer',
      resolvedAt: null,
      resolutionMinutes: null,
    });
    if (!reopened.ok) throw new Error('unreachable');
    const again = changeStatus(reopened.lifecycle, 'resolved', at(120));
    expect(again.ok && again.lifecycle.resolutionMinutes).toBe(120);
  });

  it('closed is final and says so with an empty allowed list; the same status is a no-op', () => {
    const closed = life({ status: 'closed', resolvedAt: at(3), resolutionMinutes: 3 });
    for (const to of INTERACTION_STATUSES.filter((s) => s !== 'closed')) {
      expect(changeStatus(closed, to, at(9))).toEqual({ ok: false, from: 'closed', to, allowed: [] });
    }
    expect(changeStatus(closed, 'closed', at(9))).toEqual({ ok: true, lifecycle: closed });
    expect(changeStatus(life(), 'open', at(9))).toEqual({ ok: true, lifecycle: life() });
  });

  it('every status but closed can reach every other', () => {
    for (const from of INTERACTION_STATUSES.filter((s) => s !== 'closed')) {
      expect([...STATUS_MOVES[from], from].sort()).toEqual([...INTERACTION_STATUSES].sort());
    }
  });

  it('minutes never go negative when clocks disagree', () => {
    expect(minutesBetween(at(10), at(0))).toBe(0);
    expect(minutesBetween(T0, '2026-03-01T08:01:29.000Z')).toBe(1);
  });
});

describe('overdue and the past', () => {
  it('a follow-up is overdue only when passed and unresolved', () => {
    expect(isOverdue(at(-1), 'open', T0)).toBe(true);
    expect(isOverdue(at(-1), 'waiting_customer', T0)).toBe(true);
    expect(isOverdue(at(-1), 'resolved', T0)).toBe(false);
    expect(isOverdue(at(-1), 'closed', T0)).toBe(false);
    expect(isOverdue(at(1), 'open', T0)).toBe(false);
    expect(isOverdue(null, 'open', T0)).toBe(false);
  });

  it('five minutes of grace for times meant to lie ahead', () => {
    expect(isTooFarInPast(at(-5), T0)).toBe(false);
    expect(isTooFarInPast(at(-5.01), T0)).toBe(true);
    expect(isTooFarInPast(at(60), T0)).toBe(false);
  });

  it('a call is overdue while still open (scheduled, or missed and not yet called back)', () => {
    for (const s of ['scheduled', 'missed']) {
      expect(isCallOverdue(s, at(-1), T0)).toBe(true);
      expect(isCallOverdue(s, at(1), T0)).toBe(false);
    }
    for (const s of ['completed', 'cancelled']) expect(isCallOverdue(s, at(-1), T0)).toBe(false);
  });
});

describe('calls and follow-ups', () => {
  it('a follow-up date stays on a linked open interaction, else opens a follow_up interaction', () => {
    expect(followUpPlan({ resolved: false })).toBe('set_on_linked');
    expect(followUpPlan({ resolved: true })).toBe('create_follow_up');
    expect(followUpPlan(null)).toBe('create_follow_up');
  });

  it('only outcomes that reached the customer count as a response', () => {
    expect(isContact('reached')).toBe(true);
    expect(isContact('callback_requested')).toBe(true);
    expect(isContact('resolved')).toBe(true);
    for (const o of ['no_answer', 'busy', 'wrong_number'] as const) expect(isContact(o)).toBe(false);
  });
});

describe("the merchant's day", () => {
  it('Cairo winter (UTC+2) and summer (UTC+3, DST since 2023)', () => {
    expect(dayWindow('2026-01-15', 'Africa/Cairo')).toEqual({
      day: '2026-01-15',
      from: '2026-01-14T22:00:00.000Z',
      before: '2026-01-15T22:00:00.000Z',
    });
    expect(dayWindow('2026-07-15', 'Africa/Cairo')).toMatchObject({ from: '2026-07-14T21:00:00.000Z' });
  });

  it('today is the local day holding now, not the UTC day', () => {
    expect(todayWindow('2026-01-15T23:30:00.000Z', 'Africa/Cairo').day).toBe('2026-01-16');
    expect(todayWindow('2026-01-15T09:00:00.000Z', 'America/Los_Angeles')).toEqual({
      day: '2026-01-15',
      from: '2026-01-15T08:00:00.000Z',
      before: '2026-01-16T08:00:00.000Z',
    });
  });

  it('a DST day is 23 hours long', () => {
    const w = dayWindow('2026-03-08', 'America/New_York');
    expect(Date.parse(w.before) - Date.parse(w.from)).toBe(23 * 3_600_000);
  });
});
