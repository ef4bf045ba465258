/**
 * Bosta's codes and names (reference §6, §7): state codes with their official values, type codes with their
 * detail values and the upper-case names used by search filters and webhooks.
 */

/** Domestic delivery state codes (§7.1) with their official `state.value`. */
export const BOSTA_STATES = {
  10: 'Pickup requested',
  11: 'Waiting for route',
  20: 'Route Assigned',
  21: 'Picked up from business',
  22: 'Picking up from consignee',
  23: 'Picked up from consignee',
  24: 'Received at warehouse',
  25: 'Fulfilled',
  30: 'In transit between Hubs',
  40: 'Picking up',
  41: 'Picked up',
  45: 'Delivered',
  46: 'Returned to business',
  47: 'Exception',
  48: 'Terminated',
  49: 'Canceled',
  60: 'Returned to stock',
  100: 'Lost',
  101: 'Damaged',
  102: 'Investigation',
  103: 'Awaiting your action',
  104: 'Archived',
  105: 'On hold',
} as const satisfies Record<number, string>;

export type BostaStateCode = keyof typeof BOSTA_STATES;

/** States integrators treat as final (§7.2). 47 (Exception) is transient. */
export const BOSTA_FINAL_STATES: ReadonlySet<number> = new Set([45, 46, 48, 49, 100, 101]);

/** Delivery type codes (§6) with the `type.value` seen in real detail responses. */
export const BOSTA_TYPE_VALUES = {
  10: 'Send',
  15: 'Cash Collection',
  20: 'Return to Origin',
  25: 'Customer Return Pickup',
  30: 'Exchange',
} as const satisfies Record<number, string>;

export type BostaTypeCode = keyof typeof BOSTA_TYPE_VALUES;

/** Upper-case type names used by search filters and webhooks (§6). */
export type BostaTypeName =
  | 'SEND'
  | 'CASH_COLLECTION'
  | 'RTO'
  | 'CUSTOMER_RETURN_PICKUP'
  | 'EXCHANGE'
  | 'SIGN_AND_RETURN'
  | 'FXF_SEND';

export const BOSTA_TYPE_NAME_BY_CODE: Readonly<Record<BostaTypeCode, BostaTypeName>> = {
  10: 'SEND',
  15: 'CASH_COLLECTION',
  20: 'RTO',
  25: 'CUSTOMER_RETURN_PICKUP',
  30: 'EXCHANGE',
};

/** Reverse of BOSTA_TYPE_NAME_BY_CODE; SIGN_AND_RETURN and FXF_SEND have no known code. */
export const BOSTA_TYPE_CODE_BY_NAME: Readonly<Partial<Record<BostaTypeName, BostaTypeCode>>> = {
  SEND: 10,
  CASH_COLLECTION: 15,
  RTO: 20,
  CUSTOMER_RETURN_PICKUP: 25,
  EXCHANGE: 30,
};

/** Egypt's country id in Bosta (§3.3). */
export const BOSTA_EGYPT_COUNTRY_ID = '60e4482c7cb7d4bc4849c4d5';
