import type { Id, Json } from '../../platform/db/schema.js';

export interface OrdersTable {
  id: Id;
  tenant_id: number;
  source: string;
  external_id: string;
  tracking_number: string | null;
  business_reference: string | null;
  type_code: number;
  type_name: string;
  state_code: number;
  state_name: string;
  masked_state: string | null;
  cod_minor: number;
  fees_minor: number;
  customer_id: number | null;
  phone: string | null;
  receiver_name: string | null;
  receiver_phone_raw: string | null;
  second_phone: string | null;
  city: string | null;
  zone: string | null;
  district: string | null;
  address: string | null;
  package_description: string | null;
  items_count: number | null;
  courier_notes: string | null;
  attempts: number;
  calls: number;
  payment_method: string | null;
  exception_reason: string | null;
  exception_code: string | null;
  category: string;
  service_type: string;
  order_level: number;
  hierarchy_status: string;
  parent_order_id: number | null;
  delivery_hours: number | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  returned_at: string | null;
  state_changed_at: string | null;
  local_notes: string | null;
  synced_at: string;
}

/** The courier's document of an order, as received (one row per order, written by ingest). */
export interface OrderDocumentsTable {
  order_id: number;
  tenant_id: number;
  raw: Json;
}

/** The measures of the daily summary and its coarser grains. */
export interface DailySummaryMeasures {
  orders: number;
  delivered: number;
  returned: number;
  failed: number;
  revenue_minor: number;
  refunds_minor: number;
  delivery_hours_sum: number;
  delivery_hours_count: number;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    orders: OrdersTable;
    order_documents: OrderDocumentsTable;
    order_timeline: {
      id: Id;
      tenant_id: number;
      order_id: number;
      state_code: number;
      state_name: string;
      at: string;
      source: string;
      note: string | null;
    };
    order_changes: {
      id: Id;
      tenant_id: number;
      order_id: number;
      field: string;
      from_value: string | null;
      to_value: string | null;
      source: string;
      at: string;
    };
    order_daily_summary: DailySummaryMeasures & { tenant_id: number; day: string; city: string; category: string };
    /** `order_daily_summary` over all cities (kept with it at ingest, `analytics-summary.ts`). */
    order_daily_category_summary: DailySummaryMeasures & { tenant_id: number; day: string; category: string };
    /** `order_daily_summary` per month over all categories (kept with it at ingest, `analytics-summary.ts`). */
    order_monthly_city_summary: DailySummaryMeasures & { tenant_id: number; month: string; city: string };
    /** Moves with every write to the tenant's summaries (`summary-version.ts`). */
    order_summary_versions: { tenant_id: number; version: number };
    order_daily_rollups: {
      tenant_id: number;
      day: string;
      city: string;
      state_code: number;
      category: string;
      type_code: number;
      orders: number;
      cod_minor: number;
      delivery_hours_sum: number;
      delivery_hours_count: number;
    };
  }
}
