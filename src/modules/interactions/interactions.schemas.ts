import { type TSchema, Type } from 'typebox';
import { NullableString, PageQuery, Strict, Timestamp } from '../../platform/http/schema.js';
import { DATE_OR_INSTANT_PATTERN } from '../orders/order-filters.js';
import { CHANNELS, INTERACTION_STATUSES, INTERACTION_TYPES, PRIORITIES } from './interaction-rules.js';

const literals = (values: readonly string[], description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const NullableInteger = Nullable(Type.Integer());
const RowId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Text = (max: number) => Type.String({ maxLength: max });

export const InteractionTypeSchema = literals(INTERACTION_TYPES);
export const ChannelSchema = literals(CHANNELS);
export const PrioritySchema = literals(PRIORITIES);
export const InteractionStatusSchema = literals(INTERACTION_STATUSES);

/** A comma list of enum values, e.g. `open,in_progress`. */
export const enumList = (values: readonly string[], description: string) =>
  Type.String({ pattern: `^(${values.join('|')})(,(${values.join('|')}))*$`, maxLength: 200, description });

/** `me` (the caller), `none` (unassigned) or a user id. */
export const AssigneeFilter = Type.String({
  pattern: '^(me|none|[1-9]\\d{0,15})$',
  description: '"me", "none" (unassigned) or a user id',
});

export const DateOrInstant = (description: string) =>
  Type.String({ pattern: DATE_OR_INSTANT_PATTERN, maxLength: 40, description: `${description} (date or date-time)` });

export const CustomerRef = Type.Object({ id: Type.Integer(), name: Type.String(), phone: Type.String() });
export const UserRef = Nullable(Type.Object({ id: Type.Integer(), name: Type.String() }));

export const InteractionDto = Type.Object(
  {
    id: Type.Integer(),
    ticketNumber: Type.String({ description: 'Human-readable, unique per tenant: T-7KQ3M9XA' }),
    customerId: Type.Integer(),
    customer: CustomerRef,
    type: InteractionTypeSchema,
    channel: ChannelSchema,
    subject: Type.String(),
    description: NullableString,
    priority: PrioritySchema,
    status: InteractionStatusSchema,
    nextStatuses: Type.Array(InteractionStatusSchema, { description: 'Statuses this one may move to' }),
    assigneeId: NullableInteger,
    assignee: UserRef,
    followUpAt: NullableString,
    overdue: Type.Boolean({ description: 'Follow-up time passed while unresolved' }),
    satisfaction: NullableInteger,
    resolution: NullableString,
    resolutionMinutes: Type.Union([Type.Integer(), Type.Null()], { description: 'Created → resolved, minutes' }),
    serviceActionId: NullableInteger,
    createdBy: Type.Union([Type.Integer(), Type.Null()], { description: 'User id; null when an API key made it' }),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    resolvedAt: NullableString,
    firstResponseAt: NullableString,
  },
  // No $id: the completion result embeds this schema twice, and one $id may resolve to one schema only.
  { title: 'Interaction' },
);

export const InteractionPage = Type.Object({ items: Type.Array(InteractionDto), nextCursor: NullableString });

export const CreateInteractionBody = Strict({
  type: InteractionTypeSchema,
  channel: ChannelSchema,
  subject: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Nullable(Text(10_000))),
  priority: Type.Optional(PrioritySchema),
  status: Type.Optional(literals(INTERACTION_STATUSES, 'Default open; log an answered inquiry as resolved')),
  assigneeId: Type.Optional(Nullable(RowId)),
  followUpAt: Type.Optional(Nullable(Timestamp)),
  resolution: Type.Optional(Nullable(Text(10_000))),
  serviceActionId: Type.Optional(Nullable(RowId)),
});

export const UpdateInteractionBody = Strict({
  status: Type.Optional(InteractionStatusSchema),
  assigneeId: Type.Optional(Nullable(RowId)),
  priority: Type.Optional(PrioritySchema),
  followUpAt: Type.Optional(Nullable(Timestamp)),
  resolution: Type.Optional(Nullable(Text(10_000))),
  satisfaction: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()], {
      description: '1–5, only on a resolved or closed interaction',
    }),
  ),
});

export const CustomerInteractionsQuery = Strict({
  ...PageQuery,
  type: Type.Optional(InteractionTypeSchema),
  status: Type.Optional(enumList(INTERACTION_STATUSES, 'Status or comma list')),
});

export const InteractionListQuery = Strict({
  ...PageQuery,
  status: Type.Optional(enumList(INTERACTION_STATUSES, 'Status or comma list: open,in_progress')),
  type: Type.Optional(InteractionTypeSchema),
  priority: Type.Optional(PrioritySchema),
  channel: Type.Optional(ChannelSchema),
  assignee: Type.Optional(AssigneeFilter),
  customerId: Type.Optional(RowId),
  overdue: Type.Optional(Type.Boolean({ description: 'Follow-up time passed and not resolved (or the opposite)' })),
  createdFrom: Type.Optional(DateOrInstant('Created at or after')),
  createdTo: Type.Optional(DateOrInstant('Created at or before; a date includes that whole day')),
  search: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Part of the subject, or a ticket number' }),
  ),
});

const byStatus = Type.Object({ open: Type.Integer(), in_progress: Type.Integer(), waiting_customer: Type.Integer() });
const byPriority = Type.Object({
  low: Type.Integer(),
  medium: Type.Integer(),
  high: Type.Integer(),
  urgent: Type.Integer(),
});

export const DashboardDto = Type.Object({
  timeZone: Type.String(),
  day: Type.String({ description: "Today in the tenant's time zone" }),
  open: Type.Object(
    { total: Type.Integer(), byStatus, byPriority },
    { description: 'Unresolved interactions (open, in progress, waiting for the customer)' },
  ),
  mine: Type.Union(
    [Type.Object({ open: Type.Integer(), overdue: Type.Integer(), callsToday: Type.Integer() }), Type.Null()],
    {
      description: "The caller's own queue; null for API keys",
    },
  ),
  overdue: Type.Object({ followUps: Type.Integer(), calls: Type.Integer() }),
  today: Type.Object({
    created: Type.Integer(),
    resolved: Type.Integer(),
    callsCompleted: Type.Integer(),
    callsScheduled: Type.Integer({ description: 'Calls due today, whatever became of them (cancelled excluded)' }),
  }),
  averageResolutionMinutes: Type.Union([Type.Number(), Type.Null()], {
    description: 'Over interactions resolved in the last 30 days; null when none',
  }),
});

export const FollowUpsQuery = Strict({
  assignee: Type.Optional(AssigneeFilter),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

export const FollowUpDto = Type.Object({
  kind: literals(['interaction', 'call']),
  id: Type.Integer(),
  dueAt: Type.String(),
  overdue: Type.Boolean(),
  title: Type.String({ description: 'Interaction subject or call purpose' }),
  ticketNumber: NullableString,
  status: Type.String(),
  priority: Type.Union([PrioritySchema, Type.Null()]),
  interactionId: NullableInteger,
  customerId: Type.Integer(),
  customer: CustomerRef,
  assigneeId: NullableInteger,
  assignee: UserRef,
});

export const FollowUpsDto = Type.Object({
  timeZone: Type.String(),
  day: Type.String(),
  items: Type.Array(FollowUpDto, { description: 'Oldest due first' }),
  totals: Type.Object({ overdue: Type.Integer(), dueLaterToday: Type.Integer() }),
  hasMore: Type.Boolean(),
});
