import { Type } from 'typebox';
import { NullableString, PageQuery, Strict, Timestamp } from '../../platform/http/schema.js';
import { CALL_OUTCOMES, CALL_STATUSES } from './call-rules.js';
import {
  AssigneeFilter,
  CustomerRef,
  DateOrInstant,
  enumList,
  InteractionDto,
  UserRef,
} from './interactions.schemas.js';

const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);
const RowId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

export const CallOutcomeSchema = Type.Union(CALL_OUTCOMES.map((o) => Type.Literal(o)));
export const CallStatusSchema = Type.Union(CALL_STATUSES.map((s) => Type.Literal(s)));

export const CallDto = Type.Object(
  {
    id: Type.Integer(),
    customerId: Type.Integer(),
    customer: CustomerRef,
    interactionId: NullableInteger,
    assigneeId: NullableInteger,
    assignee: UserRef,
    scheduledAt: Type.String(),
    purpose: Type.String(),
    status: CallStatusSchema,
    overdue: Type.Boolean({ description: 'Still scheduled and its time has passed' }),
    outcome: Type.Union([CallOutcomeSchema, Type.Null()]),
    notes: NullableString,
    durationMinutes: NullableInteger,
    followUpAt: NullableString,
    completedAt: NullableString,
    createdBy: NullableInteger,
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  // No $id: the completion result embeds this schema twice, and one $id may resolve to one schema only.
  { title: 'ScheduledCall' },
);

export const CallPage = Type.Object({ items: Type.Array(CallDto), nextCursor: NullableString });

export const ScheduleCallBody = Strict({
  customerId: RowId,
  scheduledAt: Type.String({ format: 'date-time', description: 'No more than 5 minutes in the past' }),
  purpose: Type.String({ minLength: 1, maxLength: 500 }),
  assigneeId: Type.Optional(Type.Union([RowId, Type.Null()], { description: 'Default: the calling user' })),
  interactionId: Type.Optional(
    Type.Union([RowId, Type.Null()], { description: "One of this customer's interactions" }),
  ),
});

export const CompleteCallBody = Strict({
  outcome: CallOutcomeSchema,
  notes: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()])),
  durationMinutes: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 1440 }), Type.Null()])),
  followUpAt: Type.Optional(
    Type.Union([Timestamp, Type.Null()], {
      description: 'Moves the follow-up of the linked open interaction, or opens a follow_up interaction',
    }),
  ),
});

export const CancelCallBody = Strict({
  reason: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()], { description: 'Kept in notes' })),
});

export const CallListQuery = Strict({
  ...PageQuery,
  status: Type.Optional(enumList(CALL_STATUSES, 'Status or comma list: scheduled,missed')),
  assignee: Type.Optional(AssigneeFilter),
  customerId: Type.Optional(RowId),
  interactionId: Type.Optional(RowId),
  day: Type.Optional(
    Type.String({
      pattern: '^(today|\\d{4}-\\d{2}-\\d{2})$',
      description: '"today" or a date: calls due that day in the tenant\'s time zone',
    }),
  ),
  from: Type.Optional(DateOrInstant('Scheduled at or after')),
  to: Type.Optional(DateOrInstant('Scheduled at or before; a date includes that whole day')),
});

export const CompleteCallResultDto = Type.Object({
  call: CallDto,
  followUp: Type.Union(
    [
      Type.Object({
        action: Type.Union([Type.Literal('created'), Type.Literal('updated')]),
        interaction: InteractionDto,
      }),
      Type.Null(),
    ],
    { description: 'Where the follow-up date went, when one was given' },
  ),
  interaction: Type.Union([InteractionDto, Type.Null()], {
    description: 'The linked interaction after the call (an outcome "resolved" resolves it)',
  }),
});
