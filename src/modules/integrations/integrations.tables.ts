import type { Id, Json } from '../../platform/db/schema.js';

declare module '../../platform/db/schema.js' {
  interface DB {
    integration_connections: {
      id: Id;
      tenant_id: number;
      provider: string;
      base_url: string;
      credentials_enc: string;
      settings: Json;
      watermark: string | null;
      status: string;
      created_at: string;
      updated_at: string;
    };
    sync_runs: {
      id: Id;
      tenant_id: number;
      provider: string;
      mode: string;
      trigger: string;
      status: string;
      cursor: Json;
      pages_done: number;
      pages_total: number | null;
      deliveries_total: number | null;
      deliveries_seen: number;
      created_count: number;
      updated_count: number;
      unchanged_count: number;
      error: string | null;
      started_at: string;
      heartbeat_at: string;
      finished_at: string | null;
    };
    webhook_receipts: { tenant_id: number; provider: string; dedupe_key: string; received_at: string };
  }
}
