import type { Role } from '../../platform/auth/permissions.js';

/** Where a service action is in the after-sales cycle (DESIGN §4.2). */
export const SERVICE_STATUSES = [
  'requested',
  'return_ordered',
  'return_in_transit',
  'return_received',
  'inspected',
  'review_pending',
  'approved',
  'rejected',
  'in_progress',
  'outbound_shipped',
  'completed',
  'closed',
  'cancelled',
] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const OPEN_STATUSES: readonly ServiceStatus[] = SERVICE_STATUSES.filter(
  (s) => s !== 'closed' && s !== 'cancelled',
);

/** What happens to an action. `system` events come from the courier and jobs, never from a person. */
export type ServiceEvent =
  | 'return_ordered'
  | 'retry_pickup'
  | 'pickup_in_transit'
  | 'receive'
  | 'inspect'
  | 'request_review'
  | 'approve'
  | 'reject'
  | 'request_changes'
  | 'reinspect'
  | 'start_execution'
  | 'ship_outbound'
  | 'refund'
  | 'outbound_delivered'
  | 'close'
  | 'cancel';

export type Actor = Role | 'system';

export interface Transition {
  from: readonly ServiceStatus[];
  event: ServiceEvent;
  to: ServiceStatus;
  roles: readonly Actor[];
  /** Shown to people (buttons) when true; system-only transitions are not buttons. */
  manual: boolean;
}

const OPS: readonly Role[] = ['owner', 'admin', 'manager'];
const AGENTS: readonly Actor[] = [...OPS, 'agent', 'system'];
const HUB: readonly Actor[] = [...OPS, 'hub_agent', 'system'];
const LEADERS: readonly Actor[] = [...OPS, 'team_leader'];
const TECHNICIANS: readonly Actor[] = [...OPS, 'technician', 'system'];
const CANCELLABLE: readonly ServiceStatus[] = [
  'requested',
  'return_ordered',
  'return_in_transit',
  'return_received',
  'inspected',
  'review_pending',
  'approved',
  'rejected',
];

/**
 * The state machine as data: the service consults it for every change, the API lists the allowed events of
 * an action for its caller, and the dashboard shows exactly those as buttons.
 */
export const TRANSITIONS: readonly Transition[] = [
  { from: ['requested'], event: 'return_ordered', to: 'return_ordered', roles: AGENTS, manual: false },
  { from: ['requested'], event: 'retry_pickup', to: 'return_ordered', roles: AGENTS, manual: true },
  { from: ['return_ordered'], event: 'pickup_in_transit', to: 'return_in_transit', roles: ['system'], manual: false },
  { from: ['return_ordered', 'return_in_transit'], event: 'receive', to: 'return_received', roles: HUB, manual: true },
  { from: ['return_received'], event: 'inspect', to: 'inspected', roles: HUB, manual: true },
  { from: ['inspected'], event: 'request_review', to: 'review_pending', roles: [...HUB, 'technician'], manual: true },
  { from: ['review_pending'], event: 'approve', to: 'approved', roles: LEADERS, manual: true },
  { from: ['review_pending'], event: 'reject', to: 'rejected', roles: LEADERS, manual: true },
  { from: ['review_pending'], event: 'request_changes', to: 'return_received', roles: LEADERS, manual: true },
  { from: ['rejected'], event: 'reinspect', to: 'return_received', roles: [...LEADERS, 'hub_agent'], manual: true },
  { from: ['inspected', 'approved'], event: 'start_execution', to: 'in_progress', roles: TECHNICIANS, manual: true },
  { from: ['in_progress'], event: 'ship_outbound', to: 'outbound_shipped', roles: TECHNICIANS, manual: true },
  {
    from: ['inspected', 'approved', 'in_progress'],
    event: 'refund',
    to: 'completed',
    roles: TECHNICIANS,
    manual: true,
  },
  {
    from: ['outbound_shipped'],
    event: 'outbound_delivered',
    to: 'completed',
    roles: ['system', ...OPS],
    manual: false,
  },
  { from: ['completed'], event: 'close', to: 'closed', roles: ['system', ...OPS], manual: true },
  { from: CANCELLABLE, event: 'cancel', to: 'cancelled', roles: [...OPS, 'agent'], manual: true },
];

/** The transition an event makes from a status, if the table has one. */
export function transitionFor(from: ServiceStatus, event: ServiceEvent): Transition | undefined {
  return TRANSITIONS.find((t) => t.event === event && t.from.includes(from));
}

/** Events an actor may trigger on an action in this status. */
export function allowedEvents(from: ServiceStatus, actor: Actor, opts: { manualOnly?: boolean } = {}): ServiceEvent[] {
  return TRANSITIONS.filter(
    (t) => t.from.includes(from) && t.roles.includes(actor) && (!opts.manualOnly || t.manual),
  ).map((t) => t.event);
}

export type TransitionCheck =
  | { ok: true; transition: Transition }
  | { ok: false; reason: 'invalid_transition'; allowed: ServiceEvent[] }
  | { ok: false; reason: 'role_cannot_transition'; allowed: ServiceEvent[] };

/** Checks a change against the table: does the event exist from here, and may this actor make it. */
export function checkTransition(from: ServiceStatus, event: ServiceEvent, actor: Actor): TransitionCheck {
  const t = transitionFor(from, event);
  if (!t)
    return {
      ok: false,
      reason: 'invalid_transition',
      allowed: TRANSITIONS.filter((x) => x.from.includes(from)).map((x) => x.event),
    };
  if (!t.roles.includes(actor))
    return { ok: false, reason: 'role_cannot_transition', allowed: allowedEvents(from, actor) };
  return { ok: true, transition: t };
}
