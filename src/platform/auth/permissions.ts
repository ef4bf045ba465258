/** Every role a user or API key can hold, from most to least powerful. */
export const ROLES = [
  'owner',
  'admin',
  'manager',
  'agent',
  'hub_agent',
  'team_leader',
  'technician',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

const ALL: readonly Role[] = ROLES;
const ADMINS: readonly Role[] = ['owner', 'admin'];
const MANAGERS: readonly Role[] = ['owner', 'admin', 'manager'];

/**
 * The one table that decides who may do what. Every API route names one permission; the auth hook looks
 * the caller's role up here. Change access by changing this table, never in a route.
 */
export const PERMISSIONS = {
  'me:read': ALL,
  'users:read': ADMINS,
  'users:write': ADMINS,
  'api_keys:read': ADMINS,
  'api_keys:write': ADMINS,
  'audit:read': ADMINS,
  'tenant:read': ALL,
  'tenant:write': ADMINS,
  'events:read': MANAGERS,
  'webhooks:read': ADMINS,
  'webhooks:write': ADMINS,
  'orders:read': ALL,
  'orders:write': MANAGERS,
  'orders:link': ['owner', 'admin', 'manager', 'agent', 'team_leader'],
  'customers:read': ALL,
  'customers:write': ['owner', 'admin', 'manager', 'agent'],
  'customers:merge': MANAGERS,
  'interactions:read': ALL,
  'interactions:write': ['owner', 'admin', 'manager', 'agent', 'team_leader'],
  'integrations:read': MANAGERS,
  'integrations:write': ADMINS,
  'integrations:sync': MANAGERS,
  'service:read': ALL,
  'service:write': ['owner', 'admin', 'manager', 'agent'],
  'service:execute': ['owner', 'admin', 'manager', 'technician'],
  'service:close': MANAGERS,
  'service:request_review': ['owner', 'admin', 'manager', 'hub_agent', 'technician'],
  'service:reinspect': ['owner', 'admin', 'manager', 'hub_agent', 'team_leader'],
  'hub:operate': ['owner', 'admin', 'manager', 'hub_agent'],
  'reviews:read': ['owner', 'admin', 'manager', 'team_leader'],
  'reviews:decide': ['owner', 'admin', 'manager', 'team_leader'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Whether a role holds a permission, according to the table. */
export function can(role: string, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly string[]).includes(role);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Roles an actor may hand out: nobody grants a role above their own; only owners create owners. */
export function canGrant(actorRole: Role, target: Role): boolean {
  return ROLES.indexOf(actorRole) <= ROLES.indexOf(target);
}
