import { Type } from 'typebox';
import { Strict } from '../../platform/http/schema.js';
import { ORDER_CATEGORIES } from './classify-order.js';
import { DATE_OR_INSTANT_PATTERN, STATE_LIST_PATTERN } from './order-filters.js';
import { ORDER_SORT_NAMES } from './order-sort.js';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);
const Money = (description: string) => Type.Number({ description: `${description}, decimal in the tenant's currency` });

export const CategorySchema = Type.Union(ORDER_CATEGORIES.map((c) => Type.Literal(c)));
export const HierarchyStatusSchema = Type.Union([
  Type.Literal('unlinked'),
  Type.Literal('main'),
  Type.Literal('linked'),
]);

const orderFields = {
  id: Type.Integer(),
  source: Type.String({ description: 'bosta | manual | pos | moysklad' }),
  externalId: Type.String(),
  trackingNumber: NullableString,
  businessReference: NullableString,
  typeCode: Type.Integer(),
  typeName: Type.String(),
  stateCode: Type.Integer(),
  stateName: Type.String(),
  maskedState: NullableString,
  cod: Money('Cash on delivery; negative = a refund paid at the door'),
  fees: Money('Courier fees'),
  customerId: NullableInteger,
  phone: Type.Union([Type.String(), Type.Null()], { description: 'Receiver phone in E.164' }),
  receiverName: NullableString,
  receiverPhoneRaw: NullableString,
  secondPhone: NullableString,
  city: NullableString,
  zone: NullableString,
  district: NullableString,
  address: NullableString,
  packageDescription: NullableString,
  itemsCount: NullableInteger,
  courierNotes: NullableString,
  attempts: Type.Integer(),
  calls: Type.Integer(),
  paymentMethod: NullableString,
  exceptionReason: NullableString,
  exceptionCode: NullableString,
  category: Type.String(),
  serviceType: Type.String(),
  orderLevel: Type.Integer(),
  hierarchyStatus: Type.String(),
  parentOrderId: NullableInteger,
  deliveryHours: Type.Union([Type.Number(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  deliveredAt: NullableString,
  returnedAt: NullableString,
  stateChangedAt: NullableString,
  localNotes: NullableString,
  syncedAt: Type.String(),
};

export const OrderDto = Type.Object(orderFields, { $id: 'Order' });
export const OrderDetailDto = Type.Object(
  { ...orderFields, raw: Type.Unknown({ description: 'The courier payload as received' }) },
  { $id: 'OrderDetail' },
);

export const OrderPage = Type.Object({
  items: Type.Array(OrderDto),
  nextCursor: NullableString,
  total: Type.Optional(Type.Integer({ description: 'Orders matching the filters (with total=true)' })),
});

const DateOrInstant = (description: string) =>
  Type.String({ pattern: DATE_OR_INSTANT_PATTERN, maxLength: 40, description: `${description} (date or date-time)` });

/** The filters shared by the list, the CSV export and a customer's orders. */
export const orderFilterFields = {
  phone: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Receiver phone in any format' })),
  state: Type.Optional(Type.String({ pattern: STATE_LIST_PATTERN, description: 'State code or comma list: 45,46' })),
  type: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'Delivery type code' })),
  category: Type.Optional(CategorySchema),
  city: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  zone: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  tracking: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Exact tracking number' })),
  createdFrom: Type.Optional(DateOrInstant('Created at or after')),
  createdTo: Type.Optional(DateOrInstant('Created at or before; a date includes that whole day')),
  deliveredFrom: Type.Optional(DateOrInstant('Delivered at or after')),
  deliveredTo: Type.Optional(DateOrInstant('Delivered at or before; a date includes that whole day')),
  codMin: Type.Optional(Type.Number({ minimum: -1e9, maximum: 1e9 })),
  codMax: Type.Optional(Type.Number({ minimum: -1e9, maximum: 1e9 })),
  hierarchy: Type.Optional(HierarchyStatusSchema),
  hasNotes: Type.Optional(Type.Boolean({ description: 'Has courier or local notes' })),
  customerId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
};

export const OrderSortSchema = Type.Union(
  ORDER_SORT_NAMES.map((s) => Type.Literal(s)),
  { description: 'A leading "-" sorts descending; orders without the value (deliveredAt) come last' },
);

export const OrderListQuery = Strict({
  ...orderFilterFields,
  sort: Type.Optional(OrderSortSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25 })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor of the previous page, same sort' })),
  total: Type.Optional(Type.Boolean({ description: 'Also count every matching order' })),
});

export const OrderExportQuery = Strict({ ...orderFilterFields, sort: Type.Optional(OrderSortSchema) });

export const TrackingParams = Strict({ trackingNumber: Type.String({ minLength: 1, maxLength: 100 }) });

export const OrderNotesBody = Strict({
  localNotes: Type.Union([Type.String({ maxLength: 5000 }), Type.Null()], {
    description: 'Our own notes; null clears',
  }),
});

export const OrderTimelineDto = Type.Object({
  orderId: Type.Integer(),
  timeline: Type.Array(
    Type.Object({
      stateCode: Type.Integer(),
      stateName: Type.String(),
      at: Type.String(),
      source: Type.String(),
      note: NullableString,
    }),
  ),
  changes: Type.Array(
    Type.Object({
      field: Type.String(),
      from: NullableString,
      to: NullableString,
      source: Type.String(),
      at: Type.String(),
    }),
  ),
});

const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD, a day in the tenant time zone' });

export const RollupQuery = Strict({
  from: Type.Optional(Day),
  to: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD inclusive' })),
  city: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

const Measures = {
  orders: Type.Integer(),
  delivered: Type.Integer(),
  returned: Type.Integer(),
  failed: Type.Integer({ description: 'Terminated, cancelled, lost or damaged' }),
  successRate: Type.Number({ description: 'delivered / (delivered + returned + failed), 0..1' }),
  returnRate: Type.Number({ description: 'returned / (delivered + returned + failed), 0..1' }),
  codRevenue: Money('Delivered real sales and maintenance'),
  refunds: Money('Refunds paid out at delivery, positive'),
  net: Money('codRevenue − refunds'),
  averageDeliveryHours: Type.Union([Type.Number(), Type.Null()]),
};

const ShareRow = {
  orders: Type.Integer(),
  cod: Money('Sum of COD'),
  percentage: Type.Number({ description: 'Share of the orders, 0..100' }),
};

export const OrderStatsDto = Type.Object({
  currency: Type.String(),
  orders: Type.Integer(),
  delivered: Type.Integer(),
  returned: Type.Integer(),
  cancelled: Type.Integer({ description: 'Terminated (48) or cancelled (49)' }),
  inProgress: Type.Integer({ description: 'Not in a final state' }),
  codRevenue: Money('Delivered real sales and maintenance'),
  refunds: Money('Refunds paid out at delivery, positive'),
  net: Money('codRevenue − refunds'),
  uniqueCustomers: Type.Integer({ description: 'Customers with at least one order (whole history)' }),
  latestOrder: Type.Union([
    Type.Object({ id: Type.Integer(), trackingNumber: NullableString, createdAt: Type.String() }),
    Type.Null(),
  ]),
  byCategory: Type.Array(Type.Object({ category: Type.String(), ...ShareRow })),
});

export const OrderStatesDto = Type.Object({
  total: Type.Integer(),
  byState: Type.Array(Type.Object({ stateCode: Type.Integer(), stateName: Type.String(), ...ShareRow })),
  byType: Type.Array(Type.Object({ typeCode: Type.Integer(), typeName: Type.String(), ...ShareRow })),
});

export const OrderCategoriesDto = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({ category: Type.String(), ...ShareRow, delivered: Type.Integer(), returned: Type.Integer() }),
  ),
});

export const OrderAnalyticsDto = Type.Object({
  currency: Type.String(),
  from: NullableString,
  to: NullableString,
  city: NullableString,
  totals: Type.Object(Measures),
  byCity: Type.Array(Type.Object({ city: Type.String({ description: '"" when unknown' }), ...Measures })),
  byDay: Type.Array(Type.Object({ day: Type.String(), ...Measures })),
  byDayCategory: Type.Array(
    Type.Object({
      day: Type.String(),
      categories: Type.Record(Type.String(), Type.Integer(), { description: 'orders per category' }),
    }),
  ),
});
