/** What an order is to the business. */
export type OrderCategory =
  | 'real_sale'
  | 'maintenance'
  | 'service'
  | 'refund'
  | 'return'
  | 'replacement'
  | 'operational';
/** Its place in a family: a main sale, or a sub-order of one kind. */
export type ServiceType = 'main' | OrderCategory;

export const ORDER_CATEGORIES: readonly OrderCategory[] = [
  'real_sale',
  'maintenance',
  'service',
  'refund',
  'return',
  'replacement',
  'operational',
];

/** Categories that hang under a main order in the hierarchy. */
export const SUB_ORDER_CATEGORIES: readonly OrderCategory[] = [
  'maintenance',
  'service',
  'refund',
  'return',
  'replacement',
];

export interface Classification {
  category: OrderCategory;
  serviceType: ServiceType;
  /** 0 for main and operational orders, 1 for sub-orders. */
  orderLevel: 0 | 1;
}

export const TYPE_SEND = 10;
export const TYPE_CASH_COLLECTION = 15;
export const TYPE_RTO = 20;
export const TYPE_CUSTOMER_RETURN_PICKUP = 25;
export const TYPE_EXCHANGE = 30;
export const STATE_DELIVERED = 45;
export const STATE_RETURNED = 46;
export const STATE_EXCEPTION = 47;

/**
 * Classifies an order (seed 001's rules, thresholds from tenant settings): a customer return pickup is a
 * return and an exchange a replacement whatever the COD; a negative COD is a refund; a delivered order is a
 * real sale above the threshold, maintenance at or below it, service at zero; everything else is operational.
 */
export function classifyOrder(
  o: { typeCode: number; stateCode: number; codMinor: number },
  mainOrderCodThreshold: number,
): Classification {
  const thresholdMinor = Math.round(mainOrderCodThreshold * 100);
  if (o.typeCode === TYPE_CUSTOMER_RETURN_PICKUP) return sub('return');
  if (o.typeCode === TYPE_EXCHANGE) return sub('replacement');
  if (o.codMinor < 0) return sub('refund');
  if (o.stateCode === STATE_DELIVERED && o.typeCode !== TYPE_RTO) {
    if (o.codMinor > thresholdMinor) return { category: 'real_sale', serviceType: 'main', orderLevel: 0 };
    if (o.codMinor > 0) return sub('maintenance');
    return sub('service');
  }
  return { category: 'operational', serviceType: 'operational', orderLevel: 0 };
}

function sub(category: OrderCategory): Classification {
  return { category, serviceType: category, orderLevel: 1 };
}
