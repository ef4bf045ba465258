import type { Permission } from './api/types';
import type { MessageKey } from './i18n';

export interface NavItem {
  path: string;
  label: MessageKey;
  /** Shown when the caller holds any of these permissions (from /auth/me). */
  anyOf: Permission[];
  icon: 'dashboard' | 'orders' | 'customers' | 'settings' | 'service' | 'hub' | 'reviews' | 'technician' | 'desk';
}

/**
 * The navigation, in order, each item behind the permission its API declares (the routes in `routes.tsx` check
 * the same permissions again).
 */
export const NAV: NavItem[] = [
  { path: '/', label: 'nav.dashboard', anyOf: ['orders:read'], icon: 'dashboard' },
  { path: '/orders', label: 'nav.orders', anyOf: ['orders:read'], icon: 'orders' },
  { path: '/customers', label: 'nav.customers', anyOf: ['customers:read'], icon: 'customers' },
  { path: '/service', label: 'nav.service', anyOf: ['service:read'], icon: 'service' },
  { path: '/hub', label: 'nav.hub', anyOf: ['hub:operate'], icon: 'hub' },
  { path: '/reviews', label: 'nav.reviews', anyOf: ['reviews:read'], icon: 'reviews' },
  { path: '/technician', label: 'nav.technician', anyOf: ['service:execute'], icon: 'technician' },
  { path: '/desk', label: 'nav.desk', anyOf: ['interactions:read'], icon: 'desk' },
  {
    path: '/settings',
    label: 'nav.settings',
    anyOf: ['integrations:read', 'users:read', 'api_keys:read', 'webhooks:read', 'tenant:read'],
    icon: 'settings',
  },
];

export function allowed(item: { anyOf: Permission[] }, can: (p: Permission) => boolean): boolean {
  return item.anyOf.some(can);
}
