import { Type } from 'typebox';
import { EVENT_PATTERN_SOURCE, MAX_EVENT_TYPE_LENGTH } from '../../platform/events/event-filter.js';
import { PageQuery, Strict, Timestamp } from '../../platform/http/schema.js';

export const EventDto = Type.Object(
  {
    id: Type.Integer(),
    type: Type.String(),
    entityType: Type.String(),
    entityId: Type.String(),
    payload: Type.Unknown(),
    occurredAt: Type.String(),
    dispatchedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'Event' },
);

export const EventPage = Type.Object({
  items: Type.Array(EventDto),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const EventsQuery = Strict({
  ...PageQuery,
  type: Type.Optional(
    Type.String({
      maxLength: MAX_EVENT_TYPE_LENGTH,
      pattern: EVENT_PATTERN_SOURCE,
      description: 'An exact type (`order.created`), a prefix (`order.*`) or `*`',
    }),
  ),
  entityType: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
});

export interface EventsQueryInput {
  limit?: number;
  cursor?: string;
  type?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
}
