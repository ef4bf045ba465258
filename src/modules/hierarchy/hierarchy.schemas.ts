import { type Static, Type } from 'typebox';
import { Strict } from '../../platform/http/schema.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const OrderBriefDto = Type.Object(
  {
    id: Type.Integer(),
    customerId: Nullable(Type.Integer()),
    trackingNumber: Nullable(Type.String()),
    category: Type.String(),
    stateCode: Type.Integer(),
    stateName: Type.String(),
    cod: Type.Number({ description: 'Cash on delivery in the tenant currency' }),
    createdAt: Type.String(),
    packageDescription: Nullable(Type.String()),
    hierarchyStatus: Type.String({ description: 'main | linked | unlinked' }),
    parentOrderId: Nullable(Type.Integer()),
  },
  { description: 'An order as a family tree shows it' },
);

export const OrderLinkDto = Type.Object(
  {
    id: Type.Integer(),
    parentOrderId: Type.Integer(),
    childOrderId: Type.Integer(),
    relationship: Type.String({ description: 'maintenance | service | return | refund | replacement | …' }),
    rule: Type.String({ description: 'nearest_earlier_main | nearest_later_main | manual_link | service_action | …' }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    linkedBy: Type.String({ description: 'auto | user | service_action' }),
    actorId: Nullable(Type.Integer()),
    reason: Nullable(Type.String()),
    active: Type.Boolean(),
    createdAt: Type.String(),
    deactivatedAt: Nullable(Type.String()),
  },
  { description: 'A parent → child link; inactive ones are history' },
);

const FamilyNodeDto = Type.Object({
  order: OrderBriefDto,
  parentOrderId: Nullable(Type.Integer()),
  depth: Type.Integer({ minimum: 0 }),
  link: Nullable(OrderLinkDto),
});

export const FamilyDto = Type.Object({
  rootOrderId: Type.Integer(),
  nodes: Type.Array(FamilyNodeDto, { description: 'The root first, then descendants depth-first in time order' }),
});

export const OrderFamilyDto = Type.Object({ orderId: Type.Integer(), family: FamilyDto });

export const SubOrdersDto = Type.Object({
  orderId: Type.Integer(),
  items: Type.Array(Type.Object({ order: OrderBriefDto, link: OrderLinkDto })),
});

export const MainOrderDto = Type.Object({
  orderId: Type.Integer(),
  mainOrder: Nullable(OrderBriefDto),
  link: Nullable(OrderLinkDto),
  rootOrder: Nullable(OrderBriefDto),
});

export const CustomerHierarchyDto = Type.Object({
  phone: Type.String(),
  families: Type.Array(FamilyDto),
  standalone: Type.Array(OrderBriefDto, { description: 'Orders in no family: operational, unlinked sub-orders' }),
});

export const HierarchyAnalyticsDto = Type.Object({
  mainOrders: Type.Integer(),
  subOrders: Type.Integer(),
  linkedSubOrders: Type.Integer(),
  unlinkedSubOrders: Type.Integer(),
  coverage: Type.Number({ description: 'linked sub-orders / all sub-orders' }),
  links: Type.Integer(),
  averageConfidence: Nullable(Type.Number()),
  byRelationship: Type.Array(
    Type.Object({ relationship: Type.String(), links: Type.Integer(), averageConfidence: Type.Number() }),
  ),
  byLinkedBy: Type.Object({ auto: Type.Integer(), user: Type.Integer(), serviceAction: Type.Integer() }),
  autoConfidence: Type.Object({ high: Type.Integer(), medium: Type.Integer(), low: Type.Integer() }),
  manualUnlinks: Type.Integer(),
});

export const LinkBody = Strict({
  mainOrderId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  subOrderId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  reason: Type.String({ minLength: 1, maxLength: 500 }),
});
export type LinkBodyInput = Static<typeof LinkBody>;

export const UnlinkQuery = Strict({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) });

export const PhoneParams = Strict({ phone: Type.String({ minLength: 3, maxLength: 40 }) });

export const JobParams = Strict({ jobId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9:_-]+$' }) });

export const DetectionAccepted = Type.Object({ jobId: Type.String() });

export const DetectionStatusDto = Type.Object({
  jobId: Type.String(),
  status: Type.String({ description: 'queued | running | completed | failed' }),
  attempts: Type.Integer(),
  error: Nullable(Type.String()),
  requestedAt: Type.String(),
  startedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
  summary: Type.Unknown({ description: 'Counts of the finished run: customers, orders, links added, …' }),
});
