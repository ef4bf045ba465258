import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { customerOrderSummary } from '../orders/orders.repo.js';
import { listCustomerPhones } from './customers.repo.js';
import { resolveCustomerRef } from './customers.service.js';

const LAST_ORDERS = 10;
const REVENUE_CATEGORIES = new Set(['real_sale', 'maintenance']);

/**
 * What an agent sees on a call: the customer (found by id or any phone format, through merges), the KPIs,
 * the order split by category, every address they ordered to (`head`) and the last orders, each as the JSON
 * text the database built (`lastOrders`, for `CustomerProfileDto`). All reads go through the orders_customer
 * index, so a profile costs the same at a million orders; a phone's own customer takes one query to find, and
 * all of its orders one more.
 */
export async function customerProfile(ctx: TenantCtx, ref: string, country: string) {
  const { customer, mergedFrom } = await resolveCustomerRef(ctx, ref, country);
  const { byCategory, addresses, lastOrders } = await customerOrderSummary(ctx, customer.id, LAST_ORDERS);
  const phones = await listCustomerPhones(ctx, customer.id);
  const revenueOrders = byCategory.filter((c) => REVENUE_CATEGORIES.has(c.category)).reduce((s, c) => s + c.orders, 0);
  const head = {
    ...customer,
    mergedFrom,
    phones,
    kpis: {
      orders: customer.ordersCount,
      delivered: customer.deliveredCount,
      returned: customer.returnedCount,
      returnRate: customer.returnRate,
      lifetimeValue: customer.lifetimeValue,
      refunds: customer.refunds,
      averageOrderValue: revenueOrders === 0 ? 0 : Math.round((customer.lifetimeValue / revenueOrders) * 100) / 100,
      firstOrderAt: customer.firstOrderAt,
      lastOrderAt: customer.lastOrderAt,
      segment: customer.segment,
    },
    byCategory,
    addresses,
  };
  return { head, lastOrders };
}
