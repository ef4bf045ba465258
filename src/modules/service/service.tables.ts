import type { Id, Json, SqlBool } from '../../platform/db/schema.js';

export interface ServiceActionsTable {
  id: Id;
  tenant_id: number;
  number: string;
  customer_id: number;
  main_order_id: number | null;
  type: string;
  subtype: string;
  status: string;
  reason: string;
  notes: string | null;
  product_sku: string | null;
  product_name: string | null;
  warranty_status: string;
  warranty_until: string | null;
  estimated_cost_minor: number;
  actual_cost_minor: number | null;
  customer_pays_minor: number | null;
  pickup_address: Json;
  return_order_id: number | null;
  return_tracking_number: string | null;
  outbound_order_id: number | null;
  outbound_tracking_number: string | null;
  assignee_id: number | null;
  technician: string | null;
  execution: string | null;
  replacement_sku: string | null;
  refund_minor: number | null;
  refund_reason: string | null;
  refunded_at: string | null;
  flagged: SqlBool;
  flag_reason: string | null;
  courier_error: string | null;
  cancel_reason: string | null;
  idempotency_key: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  status_changed_at: string;
  completed_at: string | null;
  closed_at: string | null;
}

export interface HubInspectionsTable {
  id: Id;
  tenant_id: number;
  action_id: number;
  hub: string;
  agent: string;
  scanned_by: number | null;
  scanned_at: string;
  condition: string | null;
  missing_parts: Json | null;
  visible_damage: string | null;
  functionality: string | null;
  checklist: Json | null;
  quality_score: number | null;
  good_qty: number | null;
  damaged_qty: number | null;
  restock_location: string | null;
  recommended_action: string | null;
  priority: string | null;
  estimated_cost_minor: number | null;
  estimated_days: number | null;
  notes: string | null;
  review_required: SqlBool;
  inspected_by: number | null;
  inspected_at: string | null;
  review_decision: string | null;
  review_notes: string | null;
  reviewed_by: number | null;
  reviewed_at: string | null;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    service_actions: ServiceActionsTable;
    service_events: {
      id: Id;
      tenant_id: number;
      action_id: number;
      event: string;
      from_status: string | null;
      to_status: string;
      actor_type: string;
      actor_id: number | null;
      actor_role: string;
      note: string | null;
      at: string;
    };
    hub_inspections: HubInspectionsTable;
    service_parts: {
      id: Id;
      tenant_id: number;
      action_id: number;
      kind: string;
      sku: string;
      qty: number;
      unit_cost_minor: number;
      stock_applied: SqlBool;
      created_at: string;
    };
  }
}
