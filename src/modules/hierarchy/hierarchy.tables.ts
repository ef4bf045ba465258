import type { Id, Json, SqlBool } from '../../platform/db/schema.js';

declare module '../../platform/db/schema.js' {
  interface DB {
    order_links: {
      id: Id;
      tenant_id: number;
      parent_order_id: number;
      child_order_id: number;
      relationship: string;
      rule: string;
      confidence: number;
      linked_by: string;
      actor_id: number | null;
      reason: string | null;
      active: SqlBool;
      created_at: string;
      deactivated_at: string | null;
    };
    /** One full re-detection per row: ties a queue job to its tenant and keeps the outcome. */
    hierarchy_runs: {
      id: Id;
      tenant_id: number;
      job_id: string;
      status: string;
      requested_by: number | null;
      summary: Json | null;
      error: string | null;
      created_at: string;
      started_at: string | null;
      finished_at: string | null;
    };
  }
}
