import { Type } from 'typebox';
import { PageQuery, Strict } from '../../platform/http/schema.js';
import { RECOMMENDED_ACTIONS, SERVICE_TYPES } from './service-rules.js';
import { SERVICE_STATUSES } from './transitions.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const AddressBody = Strict({
  city: Type.String({ minLength: 2, maxLength: 100 }),
  cityId: Type.Optional(Type.String({ maxLength: 64 })),
  zone: Type.Optional(Type.String({ maxLength: 100 })),
  zoneId: Type.Optional(Type.String({ maxLength: 64 })),
  district: Type.Optional(Type.String({ maxLength: 100 })),
  districtId: Type.Optional(Type.String({ maxLength: 64 })),
  firstLine: Type.String({ minLength: 3, maxLength: 300 }),
  secondLine: Type.Optional(Type.String({ maxLength: 300 })),
  buildingNumber: Type.Optional(Type.String({ maxLength: 20 })),
  floor: Type.Optional(Type.String({ maxLength: 20 })),
  apartment: Type.Optional(Type.String({ maxLength: 20 })),
});

export const CreateActionBody = Strict({
  customerPhone: Type.String({
    minLength: 6,
    maxLength: 32,
    description: 'Any format; a new customer is created when unknown',
  }),
  customerName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  type: literals(SERVICE_TYPES),
  reason: Type.String({ minLength: 3, maxLength: 2000 }),
  mainOrderId: Type.Optional(Type.Integer({ minimum: 1 })),
  product: Type.Optional(
    Strict({
      sku: Type.Optional(Type.String({ maxLength: 64 })),
      name: Type.Optional(Type.String({ maxLength: 300 })),
    }),
  ),
  notes: Type.Optional(Type.String({ maxLength: 5000 })),
  pickupAddress: Type.Optional(AddressBody),
});

export const ListActionsQuery = Strict({
  ...PageQuery,
  status: Type.Optional(Type.String({ maxLength: 300, description: 'One status or a comma list' })),
  type: Type.Optional(literals(SERVICE_TYPES)),
  customerId: Type.Optional(Type.Integer({ minimum: 1 })),
  assigneeId: Type.Optional(Type.Integer({ minimum: 1 })),
  overdue: Type.Optional(Type.Boolean()),
  flagged: Type.Optional(Type.Boolean()),
  createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
  createdTo: Type.Optional(Type.String({ format: 'date-time' })),
});

export const PatchActionBody = Strict({
  notes: Type.Optional(Type.String({ maxLength: 5000 })),
  assigneeId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
});

export const CancelBody = Strict({ reason: Type.String({ minLength: 3, maxLength: 1000 }) });

const PartsBody = Type.Array(
  Strict({
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    qty: Type.Integer({ minimum: 1, maximum: 1000 }),
    unitCost: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  }),
  { maxItems: 50 },
);

export const MaintenanceBody = Strict({
  technician: Type.String({ minLength: 1, maxLength: 200 }),
  notes: Type.Optional(Type.String({ maxLength: 5000 })),
  parts: Type.Optional(PartsBody),
});
export const ReplacePartBody = Strict({
  technician: Type.String({ minLength: 1, maxLength: 200 }),
  parts: Type.Array(PartsBody.items, { minItems: 1, maxItems: 50 }),
  notes: Type.Optional(Type.String({ maxLength: 5000 })),
});
export const ReplaceFullBody = Strict({
  sku: Type.String({ minLength: 1, maxLength: 64 }),
  unitCost: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  technician: Type.Optional(Type.String({ maxLength: 200 })),
  notes: Type.Optional(Type.String({ maxLength: 5000 })),
});
export const RefundBody = Strict({
  amount: Type.Number({ exclusiveMinimum: 0, maximum: 10_000_000 }),
  reason: Type.Optional(Type.String({ minLength: 3, maxLength: 1000 })),
});

export const ScanBody = Strict({
  trackingNumber: Type.String({ minLength: 4, maxLength: 32 }),
  hub: Type.String({ minLength: 1, maxLength: 100 }),
  agent: Type.String({ minLength: 1, maxLength: 100 }),
});

export const InspectionBody = Strict({
  condition: literals(['excellent', 'good', 'fair', 'poor', 'damaged'] as const),
  missingParts: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
  visibleDamage: Type.Optional(Type.String({ maxLength: 2000 })),
  functionality: literals(['working', 'partially_working', 'not_working'] as const),
  checklist: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Boolean())),
  qualityScore: Type.Integer({ minimum: 1, maximum: 10 }),
  goodQty: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  damagedQty: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  restockLocation: Type.Optional(Type.String({ maxLength: 100 })),
  recommendedAction: literals(RECOMMENDED_ACTIONS),
  priority: Type.Optional(literals(['low', 'medium', 'high', 'urgent'] as const)),
  estimatedCost: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000_000 })),
  estimatedDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  notes: Type.Optional(Type.String({ maxLength: 5000 })),
});

export const ReviewBody = Strict({
  decision: literals(['approved', 'rejected', 'requires_changes'] as const),
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const RangeQuery = Strict({
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
});

export const StatusSchema = literals(SERVICE_STATUSES);
