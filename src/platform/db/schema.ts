import type { ColumnType, Generated } from 'kysely';

/**
 * The database as Kysely sees it. Platform tables are declared here; each module adds its own tables by
 * declaration merging (`declare module '…/platform/db/schema.js' { interface DB { … } }`) next to its repository.
 */
export interface DB extends PlatformTables {}

/** Booleans are 0/1 in SQLite and boolean in PostgreSQL; read them through `bool()`. */
export type SqlBool = ColumnType<boolean | number, boolean, boolean>;
/** JSON is text in SQLite and jsonb in PostgreSQL; read it through `parseJson()`, write a JSON string. */
export type Json = ColumnType<unknown, string, string>;
export type Id = Generated<number>;

export interface PlatformTables {
  leases: { name: string; owner: string; expires_at: string };
  tenants: {
    id: Id;
    name: string;
    slug: string;
    currency: string;
    country: string;
    time_zone: string;
    settings: Json;
    created_at: string;
    updated_at: string;
  };
  users: {
    id: Id;
    tenant_id: number;
    email: string;
    name: string;
    password_hash: string;
    role: string;
    active: SqlBool;
    last_login_at: string | null;
    created_at: string;
    updated_at: string;
    deleted_at: string | null;
  };
  refresh_tokens: {
    id: Id;
    tenant_id: number;
    user_id: number;
    family_id: string;
    token_hash: string;
    expires_at: string;
    created_at: string;
    used_at: string | null;
    revoked_at: string | null;
  };
  api_keys: {
    id: Id;
    tenant_id: number;
    name: string;
    prefix: string;
    key_hash: string;
    role: string;
    created_by: number | null;
    created_at: string;
    last_used_at: string | null;
    revoked_at: string | null;
  };
  login_attempts: {
    key: string;
    failures: number;
    first_failure_at: string;
    locked_until: string | null;
  };
  audit_log: {
    id: Id;
    tenant_id: number | null;
    actor_type: string;
    actor_id: number | null;
    action: string;
    target_type: string | null;
    target_id: string | null;
    ip: string | null;
    request_id: string | null;
    details: Json;
    at: string;
  };
  jobs: {
    id: Id;
    name: string;
    payload: Json;
    key: string | null;
    status: string;
    attempts: number;
    max_attempts: number;
    run_at: string;
    locked_by: string | null;
    locked_until: string | null;
    last_error: string | null;
    created_at: string;
    updated_at: string;
    finished_at: string | null;
  };
  events: {
    id: Id;
    tenant_id: number;
    type: string;
    entity_type: string;
    entity_id: string;
    payload: Json;
    occurred_at: string;
    dispatched_at: string | null;
  };
  webhook_subscriptions: {
    id: Id;
    tenant_id: number;
    url: string;
    description: string | null;
    secret_enc: string;
    event_types: Json;
    active: SqlBool;
    created_at: string;
    updated_at: string;
  };
  webhook_deliveries: {
    id: Id;
    tenant_id: number;
    subscription_id: number;
    event_id: number | null;
    event_type: string;
    payload: Json;
    status: string;
    attempts: number;
    next_attempt_at: string;
    locked_until: string | null;
    last_status_code: number | null;
    last_error: string | null;
    last_response: string | null;
    created_at: string;
    delivered_at: string | null;
  };
}
