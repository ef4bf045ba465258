import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { can, type Permission } from '../auth/permissions.js';
import { type Principal, resolvePrincipal } from '../auth/principal.js';
import type { TenantCtx } from '../db/tenant-ctx.js';
import { forbidden, unauthorized } from './errors.js';

/** One registered route, as the walkers in the test suite and the docs see it. */
export interface RouteEntry {
  method: string;
  url: string;
  permission: Permission | null;
  public: boolean;
  hasBody: boolean;
  hasQuery: boolean;
  querySchema: unknown;
  bodySchema: unknown;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The permission (from the permissions table) this route requires. */
    permission?: Permission;
    /** Reachable without credentials (login, health, webhooks with their own checks). */
    public?: boolean;
  }
}

/** The tenant context of an authenticated request. */
export function tenantCtx(ctx: AppContext, request: FastifyRequest): TenantCtx {
  const p = request.principal;
  if (!p) throw unauthorized();
  return { tenantId: p.tenantId, db: ctx.database.db, dialect: ctx.database.dialect };
}

/** The authenticated principal of a request (routes that declare a permission always have one). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized();
  return request.principal;
}

/**
 * Every /api route must declare a permission or say it is public: a route that forgets fails at start-up.
 * The hook authenticates the bearer (JWT or API key) and asks the permissions table.
 */
export function installAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('principal', null);
  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route) => {
    const cfg = (route.config ?? {}) as { permission?: Permission; public?: boolean };
    const schema = (route.schema ?? {}) as { body?: unknown; querystring?: unknown };
    for (const method of [route.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      table.push({
        method,
        url: route.url,
        permission: cfg.permission ?? null,
        public: Boolean(cfg.public),
        hasBody: Boolean(schema.body),
        hasQuery: Boolean(schema.querystring),
        querySchema: schema.querystring,
        bodySchema: schema.body,
      });
    }
    if (!route.url.startsWith('/api/')) return;
    if (!cfg.permission && !cfg.public) {
      throw new Error(`route ${route.method} ${route.url} declares neither a permission nor public`);
    }
  });
  app.addHook('onRequest', async (request) => {
    const cfg = request.routeOptions.config as { permission?: Permission; public?: boolean };
    if (!cfg?.permission) return;
    const header = request.headers.authorization;
    if (!header) throw unauthorized('Send Authorization: Bearer <access token or API key>');
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw unauthorized('Authorization must be "Bearer <token>"', 'invalid_authorization');
    const principal = await resolvePrincipal(ctx.database.db, ctx.tokens, m[1]);
    if (!principal) throw unauthorized('The token or API key is invalid, expired or revoked', 'invalid_token');
    request.principal = principal;
    if (!can(principal.role, cfg.permission)) {
      throw forbidden(`Role "${principal.role}" lacks the permission "${cfg.permission}"`);
    }
  });
}
