import type { Id, Json } from '../../platform/db/schema.js';

export interface CustomersTable {
  id: Id;
  tenant_id: number;
  phone: string;
  second_phone: string | null;
  name: string;
  email: string | null;
  city: string | null;
  zone: string | null;
  district: string | null;
  address: string | null;
  notes: string | null;
  tags: Json;
  source: string;
  orders_count: number;
  delivered_count: number;
  returned_count: number;
  lifetime_value_minor: number;
  refunds_minor: number;
  first_order_at: string | null;
  last_order_at: string | null;
  segment: string;
  merged_into_id: number | null;
  created_at: string;
  updated_at: string;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    customers: CustomersTable;
    customer_phones: { tenant_id: number; phone: string; customer_id: number; kind: string };
  }
}
