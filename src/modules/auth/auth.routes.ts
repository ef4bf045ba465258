import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { can, PERMISSIONS, type Permission } from '../../platform/auth/permissions.js';
import { principalOf } from '../../platform/http/auth-hook.js';
import { notFound, unauthorized } from '../../platform/http/errors.js';
import { recordAudit } from '../audit/audit.repo.js';
import { findTenantById } from '../tenants/tenants.repo.js';
import { LoginBody, MeDto, RefreshBody, TokenPairDto } from './auth.schemas.js';
import { login, logout, refresh } from './auth.service.js';

const LOGIN_RATE = { max: 20, timeWindow: 60_000 };

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const policy = { maxFailures: ctx.config.loginMaxFailures, lockMinutes: ctx.config.loginLockMinutes };

  app.post(
    '/api/v1/auth/login',
    {
      config: { public: true, rateLimit: LOGIN_RATE },
      schema: {
        tags: ['auth'],
        summary: 'Log in with email and password',
        security: [],
        body: LoginBody,
        response: { 200: TokenPairDto },
      },
    },
    async (request) => {
      const body = request.body as { email: string; password: string; tenant?: string };
      const out = await login(db, ctx.tokens, policy, body);
      if (!out.ok) {
        await recordAudit(db, request, {
          action: 'auth.login_failed',
          tenantId: out.tenantId,
          actorType: 'user',
          actorId: out.userId,
          details: { email: body.email.toLowerCase(), reason: out.reason },
        });
        throw unauthorized(
          out.reason === 'inactive' ? 'This account is deactivated' : 'Wrong email or password',
          out.reason === 'inactive' ? 'account_inactive' : 'invalid_credentials',
        );
      }
      await recordAudit(db, request, {
        action: 'auth.login',
        tenantId: out.tenantId,
        actorType: 'user',
        actorId: out.userId,
      });
      return out.tokens;
    },
  );

  app.post(
    '/api/v1/auth/refresh',
    {
      config: { public: true, rateLimit: LOGIN_RATE },
      schema: {
        tags: ['auth'],
        summary: 'Swap a refresh token for a new pair (rotation; reuse revokes the family)',
        security: [],
        body: RefreshBody,
        response: { 200: TokenPairDto },
      },
    },
    async (request) => {
      try {
        const { userId, tenantId, ...pair } = await refresh(
          db,
          ctx.tokens,
          (request.body as { refreshToken: string }).refreshToken,
        );
        void userId;
        void tenantId;
        return pair;
      } catch (e) {
        if ((e as { code?: string }).code === 'refresh_token_reused') {
          await recordAudit(db, request, {
            action: 'auth.refresh_reused',
            tenantId: null,
            actorType: 'anonymous',
            actorId: null,
          });
        }
        throw e;
      }
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Revoke a refresh token and its family', security: [], body: RefreshBody },
    },
    async (request, reply) => {
      const who = await logout(db, (request.body as { refreshToken: string }).refreshToken);
      if (who)
        await recordAudit(db, request, {
          action: 'auth.logout',
          tenantId: who.tenantId,
          actorType: 'user',
          actorId: who.userId,
        });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { permission: 'me:read' },
      schema: {
        tags: ['auth'],
        summary: 'Who the caller is, its tenant and its permissions',
        response: { 200: MeDto },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const tenant = await findTenantById(db, p.tenantId);
      if (!tenant) throw notFound('tenant');
      const user = p.userId
        ? await db
            .selectFrom('users')
            .select(['id', 'email', 'name', 'role'])
            .where('id', '=', p.userId)
            .executeTakeFirst()
        : null;
      return {
        actorType: p.actorType,
        user: user ?? null,
        apiKeyId: p.apiKeyId,
        role: p.role,
        permissions: (Object.keys(PERMISSIONS) as Permission[]).filter((perm) => can(p.role, perm)),
        tenant: {
          id: tenant.id,
          name: tenant.name,
          slug: tenant.slug,
          currency: tenant.currency,
          country: tenant.country,
          timeZone: tenant.timeZone,
        },
      };
    },
  );
}
