import { Type } from 'typebox';
import { EVENT_PATTERN_SOURCE, MAX_EVENT_TYPE_LENGTH } from '../../platform/events/event-filter.js';
import { PageQuery, Strict } from '../../platform/http/schema.js';

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const MAX_URL_LENGTH = 2048;
export const MAX_EVENT_PATTERNS = 50;

export const WebhookDto = Type.Object(
  {
    id: Type.Integer(),
    url: Type.String(),
    description: NullableString,
    eventTypes: Type.Array(Type.String()),
    active: Type.Boolean(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Webhook' },
);

/** Create and rotate-secret answers: the only two responses that ever carry the signing secret. */
export const WebhookWithSecret = Type.Object({
  webhook: WebhookDto,
  secret: Type.String({ description: 'whsec_…: the HMAC key of Orderloop-Signature; shown only once' }),
});

const EventPatterns = Type.Array(
  Type.String({ minLength: 1, maxLength: MAX_EVENT_TYPE_LENGTH, pattern: EVENT_PATTERN_SOURCE }),
  {
    minItems: 1,
    maxItems: MAX_EVENT_PATTERNS,
    description: 'Exact types (`order.created`), prefixes (`order.*`) or `*`',
  },
);
const Url = Type.String({ minLength: 1, maxLength: MAX_URL_LENGTH, description: 'http:// or https:// endpoint' });
const Description = Type.String({ maxLength: 500 });

export const CreateWebhookBody = Strict({
  url: Url,
  eventTypes: EventPatterns,
  description: Type.Optional(Description),
  active: Type.Optional(Type.Boolean()),
});

export const UpdateWebhookBody = Strict({
  url: Type.Optional(Url),
  eventTypes: Type.Optional(EventPatterns),
  description: Type.Optional(Type.Union([Description, Type.Null()])),
  active: Type.Optional(Type.Boolean()),
});

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DeliveryDto = Type.Object(
  {
    id: Type.Integer(),
    webhookId: Type.Integer(),
    eventId: Type.Union([Type.Integer(), Type.Null()]),
    eventType: Type.String(),
    status: Type.String(),
    attempts: Type.Integer(),
    nextAttemptAt: NullableString,
    lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
    lastError: NullableString,
    lastResponse: NullableString,
    payload: Type.Unknown(),
    createdAt: Type.String(),
    deliveredAt: NullableString,
  },
  { $id: 'WebhookDelivery' },
);

export const DeliveryPage = Type.Object({
  items: Type.Array(DeliveryDto),
  nextCursor: NullableString,
});

export const DeliveriesQuery = Strict({
  ...PageQuery,
  status: Type.Optional(Type.Union(DELIVERY_STATUSES.map((s) => Type.Literal(s)))),
});

export const DeliveryParams = Strict({ deliveryId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

export interface NewWebhook {
  url: string;
  eventTypes: string[];
  description?: string;
  active?: boolean;
}

export interface WebhookPatch {
  url?: string;
  eventTypes?: string[];
  description?: string | null;
  active?: boolean;
}
