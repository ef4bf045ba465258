// Types of the API, derived from the server's TypeBox schemas. Type-only imports: no server code reaches the bundle.
import type { Static } from 'typebox';
import type { MeDto, TokenPairDto } from '../../../src/modules/auth/auth.schemas.js';
import type {
  CustomerAnalyticsDto,
  CustomerDto,
  CustomerListQuery,
  CustomerOrdersQuery,
  CustomerPage,
  CustomerProfileDto,
  SegmentsDto,
} from '../../../src/modules/customers/customers.schemas.js';
import type {
  OrderAnalyticsDto,
  OrderCategoriesDto,
  OrderDetailDto,
  OrderDto,
  OrderListQuery,
  OrderPage,
  OrderStatesDto,
  OrderStatsDto,
  OrderTimelineDto,
  RollupQuery,
} from '../../../src/modules/orders/orders.schemas.js';
import type {
  CustomerHierarchyDto,
  FamilyDto,
  OrderBriefDto,
  OrderFamilyDto,
  OrderLinkDto,
} from '../../../src/modules/hierarchy/hierarchy.schemas.js';
import type { TenantDto, TenantPatch } from '../../../src/modules/tenants/tenants.schemas.js';
import type { TenantSettings } from '../../../src/modules/tenants/tenant-settings.js';
import type { CreateUserBody, UpdateUserBody, UserDto } from '../../../src/modules/users/users.schemas.js';
import type {
  CreateWebhookBody,
  DeliveryDto,
  DeliveryPage,
  UpdateWebhookBody,
  WebhookDto,
  WebhookWithSecret,
} from '../../../src/modules/webhooks/webhooks.schemas.js';
import type { BostaConnectionBody, BostaStatusDto, SyncRunDto } from '../../../src/integrations/bosta/bosta.schemas.js';
import type { ErrorEnvelope } from '../../../src/platform/http/schema.js';
import type { Permission, Role } from '../../../src/platform/auth/permissions.js';
import type { OrderCategory } from '../../../src/modules/orders/classify-order.js';
import type { OrderSortName } from '../../../src/modules/orders/order-sort.js';
import type { Segment } from '../../../src/modules/customers/segment.js';

export type { OrderCategory, OrderSortName, Permission, Role, Segment, TenantSettings };

/**
 * A few server schemas build a union from an array (`Type.Union(LIST.map(Type.Literal))`), which TypeBox cannot
 * type statically (it comes out as `never`); those fields are restated here from the lists' own types.
 */
type Override<T, R> = Omit<T, keyof R> & R;

export type TokenPair = Static<typeof TokenPairDto>;
export type Me = Static<typeof MeDto>;
export type ErrorBody = Static<typeof ErrorEnvelope>;

export type Order = Static<typeof OrderDto>;
export type OrderDetail = Static<typeof OrderDetailDto>;
export type OrderListParams = Override<
  Static<typeof OrderListQuery>,
  { sort?: OrderSortName; category?: OrderCategory }
>;
export type OrderPageDto = Static<typeof OrderPage>;
export type OrderTimeline = Static<typeof OrderTimelineDto>;
export type OrderStats = Static<typeof OrderStatsDto>;
export type OrderStates = Static<typeof OrderStatesDto>;
export type OrderCategories = Static<typeof OrderCategoriesDto>;
export type OrderAnalytics = Static<typeof OrderAnalyticsDto>;
export type RollupParams = Static<typeof RollupQuery>;

export type OrderBrief = Static<typeof OrderBriefDto>;
export type OrderLink = Static<typeof OrderLinkDto>;
export type Family = Static<typeof FamilyDto>;
export type FamilyNode = Family['nodes'][number];
export type OrderFamily = Static<typeof OrderFamilyDto>;
export type CustomerHierarchy = Static<typeof CustomerHierarchyDto>;

export type Customer = Static<typeof CustomerDto>;
export type CustomerListParams = Override<
  Static<typeof CustomerListQuery>,
  { segment?: Segment; sort?: '-lastOrderAt' | '-lifetimeValue' | '-ordersCount' | 'name' }
>;
export type CustomerPageDto = Static<typeof CustomerPage>;
export type CustomerProfile = Static<typeof CustomerProfileDto>;
export type CustomerOrdersParams = Override<Static<typeof CustomerOrdersQuery>, { category?: OrderCategory }>;
export type Segments = Static<typeof SegmentsDto>;
export type CustomerAnalytics = Static<typeof CustomerAnalyticsDto>;

export type Tenant = Static<typeof TenantDto>;
export type TenantChange = Static<typeof TenantPatch>;

export type User = Static<typeof UserDto>;
export type NewUser = Override<Static<typeof CreateUserBody>, { role: Role }>;
export type UserChange = Override<Static<typeof UpdateUserBody>, { role?: Role }>;

export type Webhook = Static<typeof WebhookDto>;
export type NewWebhook = Static<typeof CreateWebhookBody>;
export type WebhookChange = Static<typeof UpdateWebhookBody>;
export type WebhookSecret = Static<typeof WebhookWithSecret>;
export type WebhookDelivery = Static<typeof DeliveryDto>;
export type WebhookDeliveryPage = Static<typeof DeliveryPage>;

export type BostaStatus = Static<typeof BostaStatusDto>;
export type BostaConnection = Static<typeof BostaConnectionBody>;
export type SyncRun = Static<typeof SyncRunDto>;

/**
 * The API key row. Its schema (`ApiKeyDto`) is private to `api-keys.routes.ts`, so it is restated here; keep
 * the two in step (or export the schema from a `api-keys.schemas.ts` and derive this type from it).
 */
export interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  role: string;
  createdBy: number | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

// ——— The service cycle and the desk (phase 2) ———
// The service routes declare no response schemas, so their types come from the functions that build the answers
// (type-only imports, as above); the desk's come from its TypeBox schemas.
import type { ServiceActionDto } from '../../../src/modules/service/service-actions.dto.js';
import type { actionContext } from '../../../src/modules/service/service-context.js';
import type { serviceDashboard } from '../../../src/modules/service/service-dashboard.js';
import type { serviceAnalytics } from '../../../src/modules/service/service-analytics.js';
import type { reviewQueue } from '../../../src/modules/service/reviews.service.js';
import type { inspectionDto } from '../../../src/modules/service/service-actions.repo.js';
import type { RECOMMENDED_ACTIONS, SERVICE_TYPES } from '../../../src/modules/service/service-rules.js';
import type { SERVICE_STATUSES, ServiceEvent } from '../../../src/modules/service/transitions.js';
import type {
  AddressBody,
  CreateActionBody,
  InspectionBody,
  ListActionsQuery,
  MaintenanceBody,
  RefundBody,
  ReplaceFullBody,
  ReplacePartBody,
  ReviewBody,
} from '../../../src/modules/service/service.schemas.js';
import type {
  CreateInteractionBody,
  DashboardDto as DeskDashboardDto,
  FollowUpsDto,
  InteractionDto,
  InteractionListQuery,
  InteractionPage,
} from '../../../src/modules/interactions/interactions.schemas.js';
import type { CallDto, ScheduleCallBody } from '../../../src/modules/interactions/calls.schemas.js';
import type { CALL_OUTCOMES, CALL_STATUSES } from '../../../src/modules/interactions/call-rules.js';
import type {
  CHANNELS,
  INTERACTION_STATUSES,
  INTERACTION_TYPES,
  PRIORITIES,
} from '../../../src/modules/interactions/interaction-rules.js';

export type ServiceType = (typeof SERVICE_TYPES)[number];
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];
export type RecommendedAction = (typeof RECOMMENDED_ACTIONS)[number];
export type { ServiceEvent };

/** A service action as every service route answers it (with the caller's `allowedEvents` and `overdue`). */
export type ServiceAction = Override<ServiceActionDto, { type: ServiceType; status: ServiceStatus }>;
export type ServiceContext = Awaited<ReturnType<typeof actionContext>>;
export type ServiceActionDetail = ServiceAction & { context: ServiceContext };
export type Inspection = ReturnType<typeof inspectionDto>;
export type ServiceDashboard = Awaited<ReturnType<typeof serviceDashboard>>;
export type ServiceAnalytics = Awaited<ReturnType<typeof serviceAnalytics>>;
export type ReviewItem = Awaited<ReturnType<typeof reviewQueue>>[number];
/** `POST /hub/scan` (and the `details` of its 409 `already_received`). */
export interface ScanResult {
  action: ServiceAction;
  inspection: Inspection;
  context: ServiceContext;
}

export type PickupAddress = Static<typeof AddressBody>;
export type NewServiceAction = Override<Static<typeof CreateActionBody>, { type: ServiceType }>;
export type ServiceListParams = Override<Static<typeof ListActionsQuery>, { type?: ServiceType }>;
export type InspectionInput = Override<
  Static<typeof InspectionBody>,
  {
    condition: 'excellent' | 'good' | 'fair' | 'poor' | 'damaged';
    functionality: 'working' | 'partially_working' | 'not_working';
    recommendedAction: RecommendedAction;
    priority?: 'low' | 'medium' | 'high' | 'urgent';
  }
>;
export type ReviewDecision = 'approved' | 'rejected' | 'requires_changes';
export type ReviewInput = Override<Static<typeof ReviewBody>, { decision: ReviewDecision }>;
export type MaintenanceInput = Static<typeof MaintenanceBody>;
export type ReplacePartInput = Static<typeof ReplacePartBody>;
export type ReplaceFullInput = Static<typeof ReplaceFullBody>;
export type RefundInput = Static<typeof RefundBody>;

export type InteractionType = (typeof INTERACTION_TYPES)[number];
export type Channel = (typeof CHANNELS)[number];
export type Priority = (typeof PRIORITIES)[number];
export type InteractionStatus = (typeof INTERACTION_STATUSES)[number];
export type CallStatus = (typeof CALL_STATUSES)[number];
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export type Interaction = Override<
  Static<typeof InteractionDto>,
  {
    type: InteractionType;
    channel: Channel;
    priority: Priority;
    status: InteractionStatus;
    nextStatuses: InteractionStatus[];
  }
>;
export type InteractionPageDto = Override<Static<typeof InteractionPage>, { items: Interaction[] }>;
export type InteractionListParams = Override<
  Static<typeof InteractionListQuery>,
  { type?: InteractionType; priority?: Priority; channel?: Channel }
>;
export type NewInteraction = Override<
  Static<typeof CreateInteractionBody>,
  { type: InteractionType; channel: Channel; priority?: Priority; status?: InteractionStatus }
>;
export type DeskDashboard = Static<typeof DeskDashboardDto>;
type FollowUpsStatic = Static<typeof FollowUpsDto>;
export type FollowUp = Override<
  FollowUpsStatic['items'][number],
  { kind: 'interaction' | 'call'; priority: Priority | null }
>;
export type FollowUps = Override<FollowUpsStatic, { items: FollowUp[] }>;
export type Call = Override<Static<typeof CallDto>, { status: CallStatus; outcome: CallOutcome | null }>;
export type NewCall = Static<typeof ScheduleCallBody>;
