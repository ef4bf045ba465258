import { Type } from 'typebox';
import { PageQuery, Strict } from '../../platform/http/schema.js';
import { OrderDto, orderFilterFields } from '../orders/orders.schemas.js';
import { SEGMENTS } from './segment.js';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const Money = (description: string) => Type.Number({ description: `${description}, decimal in the tenant's currency` });

export const SegmentSchema = Type.Union(SEGMENTS.map((s) => Type.Literal(s)));

const customerFields = {
  id: Type.Integer(),
  phone: Type.String({ description: 'E.164' }),
  secondPhone: NullableString,
  name: Type.String(),
  email: NullableString,
  city: NullableString,
  zone: NullableString,
  district: NullableString,
  address: NullableString,
  notes: NullableString,
  tags: Type.Array(Type.String()),
  source: Type.String(),
  ordersCount: Type.Integer(),
  deliveredCount: Type.Integer(),
  returnedCount: Type.Integer(),
  returnRate: Type.Number({ description: 'returned / (delivered + returned), 0..1' }),
  lifetimeValue: Money('COD collected on delivered real sales and maintenance'),
  refunds: Money('Refunds paid out, positive'),
  firstOrderAt: NullableString,
  lastOrderAt: NullableString,
  segment: Type.String(),
  mergedIntoId: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

export const CustomerDto = Type.Object(customerFields, { $id: 'Customer' });

export const CustomerPage = Type.Object({
  items: Type.Array(CustomerDto),
  nextCursor: NullableString,
});

export const CUSTOMER_SORT_NAMES = ['-lastOrderAt', '-lifetimeValue', '-ordersCount', 'name'] as const;

export const CustomerListQuery = Strict({
  ...PageQuery,
  // A name-sorted cursor carries the name itself: room for 200 Arabic letters.
  cursor: Type.Optional(Type.String({ maxLength: 1024 })),
  segment: Type.Optional(SegmentSchema),
  city: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  search: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Start of the name, or a phone in any format' }),
  ),
  minOrders: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  minLifetimeValue: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12 })),
  lastOrderDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 36_500, description: 'Ordered within N days' })),
  hasReturns: Type.Optional(Type.Boolean()),
  sort: Type.Optional(
    Type.Union(
      CUSTOMER_SORT_NAMES.map((s) => Type.Literal(s)),
      { description: 'Default -lastOrderAt; customers who never ordered come last' },
    ),
  ),
});

const Text = (max: number) => Type.String({ maxLength: max });
const NullableText = (max: number) => Type.Union([Text(max), Type.Null()]);

export const CreateCustomerBody = Strict({
  phone: Type.String({ minLength: 3, maxLength: 40, description: 'Any format; stored as E.164' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  email: Type.Optional(NullableText(254)),
  city: Type.Optional(NullableText(200)),
  zone: Type.Optional(NullableText(200)),
  district: Type.Optional(NullableText(200)),
  address: Type.Optional(NullableText(1000)),
  notes: Type.Optional(NullableText(5000)),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 })),
});

export const UpdateCustomerBody = Strict({
  phone: Type.Optional(Type.String({ minLength: 3, maxLength: 40, description: 'Any format; stored as E.164' })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  email: Type.Optional(NullableText(254)),
  city: Type.Optional(NullableText(200)),
  zone: Type.Optional(NullableText(200)),
  district: Type.Optional(NullableText(200)),
  address: Type.Optional(NullableText(1000)),
  notes: Type.Optional(NullableText(5000)),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 })),
});

export const MergeCustomersBody = Strict({
  survivorId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  duplicateId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});

export const MergeResultDto = Type.Object({
  survivor: CustomerDto,
  duplicateId: Type.Integer(),
  movedOrders: Type.Integer(),
  movedPhones: Type.Integer(),
  movedInteractions: Type.Integer({ description: 'Tickets and other interactions handed to the survivor' }),
  movedScheduledCalls: Type.Integer(),
  movedServiceActions: Type.Integer(),
});

/** A customer id (up to 9 digits) or a phone in any format. */
export const CustomerRefParams = Strict({
  id: Type.String({ minLength: 1, maxLength: 40, description: 'Customer id, or a phone in any format (aliases too)' }),
});

const profileHeadFields = {
  ...customerFields,
  mergedFrom: Type.Union([Type.Object({ id: Type.Integer(), phone: Type.String() }), Type.Null()], {
    description: 'Set when the id or phone asked for belongs to a customer merged into this one',
  }),
  phones: Type.Array(Type.Object({ phone: Type.String(), kind: Type.String() }), {
    description: 'Other phones leading to this customer (second phones, merged duplicates)',
  }),
  kpis: Type.Object({
    orders: Type.Integer(),
    delivered: Type.Integer(),
    returned: Type.Integer(),
    returnRate: Type.Number(),
    lifetimeValue: Money('Lifetime value'),
    refunds: Money('Refunds'),
    averageOrderValue: Money('Lifetime value per revenue order (real sale or maintenance)'),
    firstOrderAt: NullableString,
    lastOrderAt: NullableString,
    segment: Type.String(),
  }),
  byCategory: Type.Array(Type.Object({ category: Type.String(), orders: Type.Integer(), cod: Money('Sum of COD') })),
  addresses: Type.Array(
    Type.Object({
      city: NullableString,
      zone: NullableString,
      district: NullableString,
      address: NullableString,
      orders: Type.Integer(),
      lastUsedAt: Type.String(),
    }),
  ),
};

/** The profile without its last orders, which the database hands over as JSON text (see `orderJson`). */
export const CustomerProfileHead = Type.Object(profileHeadFields);

export const CustomerProfileDto = Type.Object({ ...profileHeadFields, lastOrders: Type.Array(OrderDto) });

export const CustomerOrdersQuery = Strict({
  ...PageQuery,
  category: orderFilterFields.category,
  state: orderFilterFields.state,
  createdFrom: orderFilterFields.createdFrom,
  createdTo: orderFilterFields.createdTo,
});

export const SegmentsDto = Type.Object({
  items: Type.Array(
    Type.Object({
      segment: Type.String(),
      description: Type.String(),
      rule: Type.Record(Type.String(), Type.Number()),
      customers: Type.Integer(),
    }),
  ),
  total: Type.Integer(),
});

const SegmentFigures = {
  customers: Type.Integer(),
  averageOrders: Type.Number(),
  averageLifetimeValue: Money('Average lifetime value'),
  lifetimeValue: Money('Total lifetime value'),
  returnRate: Type.Number({ description: 'returned / (delivered + returned) over the group, 0..1' }),
};

export const CustomerAnalyticsDto = Type.Object({
  currency: Type.String(),
  overall: Type.Object(SegmentFigures),
  bySegment: Type.Array(Type.Object({ segment: Type.String(), ...SegmentFigures })),
  byCity: Type.Array(Type.Object({ city: Type.String({ description: '"" when unknown' }), ...SegmentFigures }), {
    description: 'The 20 cities with the most customers',
  }),
});
