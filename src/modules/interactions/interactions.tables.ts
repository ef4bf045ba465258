import type { Id } from '../../platform/db/schema.js';

export interface InteractionsTable {
  id: Id;
  tenant_id: number;
  ticket_number: string;
  customer_id: number;
  type: string;
  channel: string;
  subject: string;
  description: string | null;
  priority: string;
  status: string;
  assignee_id: number | null;
  follow_up_at: string | null;
  satisfaction: number | null;
  resolution: string | null;
  resolution_minutes: number | null;
  service_action_id: number | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
  first_response_at: string | null;
}

export interface ScheduledCallsTable {
  id: Id;
  tenant_id: number;
  customer_id: number;
  interaction_id: number | null;
  assignee_id: number | null;
  scheduled_at: string;
  purpose: string;
  status: string;
  outcome: string | null;
  notes: string | null;
  duration_minutes: number | null;
  follow_up_at: string | null;
  completed_at: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    interactions: InteractionsTable;
    scheduled_calls: ScheduledCallsTable;
  }
}
