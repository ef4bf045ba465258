import { apiFetch, apiResponse, queryString } from './client';
import type {
  ApiKey,
  BostaConnection,
  BostaStatus,
  CustomerAnalytics,
  CustomerHierarchy,
  CustomerListParams,
  CustomerOrdersParams,
  CustomerPageDto,
  CustomerProfile,
  Me,
  NewUser,
  NewWebhook,
  OrderAnalytics,
  OrderDetail,
  OrderFamily,
  OrderLink,
  OrderListParams,
  OrderPageDto,
  OrderStates,
  OrderStats,
  OrderTimeline,
  Page,
  RollupParams,
  Segments,
  SyncRun,
  Tenant,
  TenantChange,
  TokenPair,
  User,
  UserChange,
  Webhook,
  WebhookChange,
  WebhookDeliveryPage,
  WebhookSecret,
  WebhookDelivery,
  Call,
  DeskDashboard,
  FollowUps,
  InspectionInput,
  Interaction,
  InteractionListParams,
  InteractionPageDto,
  Inspection,
  MaintenanceInput,
  NewCall,
  NewInteraction,
  NewServiceAction,
  RefundInput,
  ReplaceFullInput,
  ReplacePartInput,
  ReviewInput,
  ReviewItem,
  ScanResult,
  ServiceAction,
  ServiceActionDetail,
  ServiceAnalytics,
  ServiceDashboard,
  ServiceListParams,
} from './types';

const enc = encodeURIComponent;

/** Every call the dashboard makes, typed by the server's schemas. */
export const api = {
  auth: {
    login: (body: { email: string; password: string; tenant?: string }) =>
      apiFetch<TokenPair>('/auth/login', { method: 'POST', body, anonymous: true }),
    logout: (refreshToken: string) =>
      apiFetch<void>('/auth/logout', { method: 'POST', body: { refreshToken }, anonymous: true }),
    me: (signal?: AbortSignal) => apiFetch<Me>('/auth/me', { signal }),
  },
  orders: {
    list: (q: OrderListParams, signal?: AbortSignal) => apiFetch<OrderPageDto>('/orders', { query: q, signal }),
    get: (id: number, signal?: AbortSignal) => apiFetch<OrderDetail>(`/orders/${id}`, { signal }),
    timeline: (id: number, signal?: AbortSignal) => apiFetch<OrderTimeline>(`/orders/${id}/timeline`, { signal }),
    setNotes: (id: number, localNotes: string | null) =>
      apiFetch<OrderDetail>(`/orders/${id}`, { method: 'PATCH', body: { localNotes } }),
    stats: (q: RollupParams, signal?: AbortSignal) => apiFetch<OrderStats>('/orders/stats', { query: q, signal }),
    states: (q: RollupParams, signal?: AbortSignal) => apiFetch<OrderStates>('/orders/states', { query: q, signal }),
    analytics: (q: RollupParams, signal?: AbortSignal) =>
      apiFetch<OrderAnalytics>('/orders/analytics', { query: q, signal }),
    /** The filtered CSV as a Blob (the export needs the bearer, so it is fetched rather than linked). */
    exportCsv: async (q: Omit<OrderListParams, 'limit' | 'cursor' | 'total'>) =>
      (await apiResponse(`/orders/export.csv`, { query: q })).blob(),
    exportHref: (q: object) => `/api/v1/orders/export.csv${queryString(q)}`,
  },
  hierarchy: {
    family: (orderId: number, signal?: AbortSignal) => apiFetch<OrderFamily>(`/orders/${orderId}/family`, { signal }),
    customer: (phone: string, signal?: AbortSignal) =>
      apiFetch<CustomerHierarchy>(`/orders/hierarchy/customer/${enc(phone)}`, { signal }),
    link: (body: { mainOrderId: number; subOrderId: number; reason: string }) =>
      apiFetch<OrderLink>('/orders/hierarchy/link', { method: 'POST', body }),
    unlink: (linkId: number, reason?: string) =>
      apiFetch<void>(`/orders/hierarchy/links/${linkId}`, { method: 'DELETE', query: { reason } }),
  },
  customers: {
    list: (q: CustomerListParams, signal?: AbortSignal) =>
      apiFetch<CustomerPageDto>('/customers', { query: q, signal }),
    profile: (idOrPhone: string, signal?: AbortSignal) =>
      apiFetch<CustomerProfile>(`/customers/${enc(idOrPhone)}`, { signal }),
    orders: (id: number, q: CustomerOrdersParams, signal?: AbortSignal) =>
      apiFetch<OrderPageDto>(`/customers/${id}/orders`, { query: q, signal }),
    segments: (signal?: AbortSignal) => apiFetch<Segments>('/customers/segments', { signal }),
    analytics: (signal?: AbortSignal) => apiFetch<CustomerAnalytics>('/customers/analytics', { signal }),
  },
  tenant: {
    get: (signal?: AbortSignal) => apiFetch<Tenant>('/tenant', { signal }),
    change: (body: TenantChange) => apiFetch<Tenant>('/tenant', { method: 'PATCH', body }),
  },
  users: {
    list: (signal?: AbortSignal) => apiFetch<{ items: User[] }>('/users', { signal }),
    create: (body: NewUser) => apiFetch<User>('/users', { method: 'POST', body }),
    change: (id: number, body: UserChange) => apiFetch<User>(`/users/${id}`, { method: 'PATCH', body }),
    remove: (id: number) => apiFetch<void>(`/users/${id}`, { method: 'DELETE' }),
  },
  apiKeys: {
    list: (signal?: AbortSignal) => apiFetch<{ items: ApiKey[] }>('/api-keys', { signal }),
    create: (body: { name: string; role: string }) =>
      apiFetch<{ key: ApiKey; secret: string }>('/api-keys', { method: 'POST', body }),
    revoke: (id: number) => apiFetch<ApiKey>(`/api-keys/${id}`, { method: 'DELETE' }),
  },
  webhooks: {
    list: (signal?: AbortSignal) => apiFetch<{ items: Webhook[] }>('/webhooks', { signal }),
    create: (body: NewWebhook) => apiFetch<WebhookSecret>('/webhooks', { method: 'POST', body }),
    change: (id: number, body: WebhookChange) => apiFetch<Webhook>(`/webhooks/${id}`, { method: 'PATCH', body }),
    remove: (id: number) => apiFetch<void>(`/webhooks/${id}`, { method: 'DELETE' }),
    test: (id: number) => apiFetch<WebhookDelivery>(`/webhooks/${id}/test`, { method: 'POST' }),
    rotateSecret: (id: number) => apiFetch<WebhookSecret>(`/webhooks/${id}/rotate-secret`, { method: 'POST' }),
    deliveries: (id: number, q: { limit?: number; cursor?: string; status?: string }, signal?: AbortSignal) =>
      apiFetch<WebhookDeliveryPage>(`/webhooks/${id}/deliveries`, { query: q, signal }),
    retry: (deliveryId: number) =>
      apiFetch<WebhookDelivery>(`/webhooks/deliveries/${deliveryId}/retry`, { method: 'POST' }),
  },
  bosta: {
    status: (signal?: AbortSignal) => apiFetch<BostaStatus>('/integrations/bosta', { signal }),
    configure: (body: BostaConnection) => apiFetch<BostaStatus>('/integrations/bosta', { method: 'PUT', body }),
    test: () =>
      apiFetch<{ ok: boolean; deliveries: number | null; error: string | null }>('/integrations/bosta/test', {
        method: 'POST',
      }),
    sync: (mode: 'incremental' | 'full') =>
      apiFetch<SyncRun>('/integrations/bosta/sync', { method: 'POST', body: { mode } }),
    runs: (q: { limit?: number; cursor?: string }, signal?: AbortSignal) =>
      apiFetch<Page<SyncRun>>('/integrations/bosta/runs', { query: q, signal }),
    run: (id: number, signal?: AbortSignal) => apiFetch<SyncRun>(`/integrations/bosta/runs/${id}`, { signal }),
  },
  service: {
    list: (q: ServiceListParams, signal?: AbortSignal) =>
      apiFetch<Page<ServiceAction>>('/service-actions', { query: q, signal }),
    get: (id: number, signal?: AbortSignal) => apiFetch<ServiceActionDetail>(`/service-actions/${id}`, { signal }),
    /** One action per wizard session: the same `Idempotency-Key` makes a double submit return the first action. */
    create: (body: NewServiceAction, idempotencyKey: string) =>
      apiFetch<ServiceAction>('/service-actions', {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    cancel: (id: number, reason: string) =>
      apiFetch<ServiceAction>(`/service-actions/${id}/cancel`, { method: 'POST', body: { reason } }),
    retryPickup: (id: number) => apiFetch<ServiceAction>(`/service-actions/${id}/retry-pickup`, { method: 'POST' }),
    retryOutbound: (id: number) => apiFetch<ServiceAction>(`/service-actions/${id}/retry-outbound`, { method: 'POST' }),
    maintenance: (id: number, body: MaintenanceInput) =>
      apiFetch<ServiceAction>(`/service-actions/${id}/maintenance`, { method: 'POST', body }),
    replacePart: (id: number, body: ReplacePartInput) =>
      apiFetch<ServiceAction>(`/service-actions/${id}/replace-part`, { method: 'POST', body }),
    replaceFull: (id: number, body: ReplaceFullInput) =>
      apiFetch<ServiceAction>(`/service-actions/${id}/replace-full`, { method: 'POST', body }),
    refund: (id: number, body: RefundInput) =>
      apiFetch<ServiceAction>(`/service-actions/${id}/refund`, { method: 'POST', body }),
    close: (id: number) => apiFetch<ServiceAction>(`/service-actions/${id}/close`, { method: 'POST' }),
    dashboard: (signal?: AbortSignal) => apiFetch<ServiceDashboard>('/service-actions/dashboard', { signal }),
    analytics: (q: { from?: string; to?: string }, signal?: AbortSignal) =>
      apiFetch<ServiceAnalytics>('/service-actions/analytics', { query: q, signal }),
  },
  hub: {
    scan: (body: { trackingNumber: string; hub: string; agent: string }) =>
      apiFetch<ScanResult>('/hub/scan', { method: 'POST', body }),
    inspect: (actionId: number, body: InspectionInput) =>
      apiFetch<{ action: ServiceAction; inspection: Inspection }>(`/hub/inspections/${actionId}`, {
        method: 'POST',
        body,
      }),
  },
  reviews: {
    queue: (signal?: AbortSignal) => apiFetch<{ items: ReviewItem[] }>('/reviews', { signal }),
    decide: (actionId: number, body: ReviewInput) =>
      apiFetch<{ action: ServiceAction; inspection: Inspection }>(`/reviews/${actionId}`, { method: 'POST', body }),
  },
  desk: {
    list: (q: InteractionListParams, signal?: AbortSignal) =>
      apiFetch<InteractionPageDto>('/interactions', { query: q, signal }),
    change: (id: number, body: { status?: Interaction['status'] }) =>
      apiFetch<Interaction>(`/interactions/${id}`, { method: 'PATCH', body }),
    ofCustomer: (customerId: number, q: { limit?: number; cursor?: string }, signal?: AbortSignal) =>
      apiFetch<InteractionPageDto>(`/customers/${customerId}/interactions`, { query: q, signal }),
    log: (customerId: number, body: NewInteraction) =>
      apiFetch<Interaction>(`/customers/${customerId}/interactions`, { method: 'POST', body }),
    dashboard: (signal?: AbortSignal) => apiFetch<DeskDashboard>('/interactions/dashboard', { signal }),
    followUps: (q: { assignee?: string; limit?: number }, signal?: AbortSignal) =>
      apiFetch<FollowUps>('/follow-ups', { query: q, signal }),
    scheduleCall: (body: NewCall) => apiFetch<Call>('/calls', { method: 'POST', body }),
  },
};
