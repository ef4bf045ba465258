import { Writable } from 'node:stream';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKey } from '../../src/platform/auth/keys.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { testDialects } from '../support/databases.js';

const SECRET = 'test-secret-test-secret-test-secret-0123456789';

describe.each(testDialects())('auth (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '1' });
    await t.tenantA.token('agent');
    await t.tenantA.token('admin');
  });
  afterAll(async () => t?.close());

  const login = (email: string, password: string) =>
    t.req({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

  it('logs in, reads /me, refreshes with rotation, and logs out', async () => {
    const res = await login('agent@alpha.test', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const pair = res.json();
    expect(pair.tokenType).toBe('Bearer');
    expect(pair.expiresIn).toBe(900);
    const me = await t.req({ method: 'GET', url: '/api/v1/auth/me', token: pair.accessToken });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe('agent@alpha.test');
    expect(me.json().tenant.slug).toBe('alpha');
    expect(me.json().permissions).toContain('orders:read');
    expect(me.json().permissions).not.toContain('users:write');

    const r1 = await t.req({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: pair.refreshToken },
    });
    expect(r1.statusCode).toBe(200);
    expect(r1.json().refreshToken).not.toBe(pair.refreshToken);
    const out = await t.req({
      method: 'POST',
      url: '/api/v1/auth/logout',
      payload: { refreshToken: r1.json().refreshToken },
    });
    expect(out.statusCode).toBe(204);
    const after = await t.req({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: r1.json().refreshToken },
    });
    expect(after.statusCode).toBe(401);
  });

  it('reusing a spent refresh token revokes the whole family', async () => {
    const pair = (await login('agent@alpha.test', TEST_PASSWORD)).json();
    const next = (
      await t.req({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: pair.refreshToken } })
    ).json();
    const replay = await t.req({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: pair.refreshToken },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('refresh_token_reused');
    const stolen = await t.req({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: next.refreshToken },
    });
    expect(stolen.statusCode).toBe(401);
  });

  it('expired, tampered and foreign-key tokens get 401', async () => {
    const key = new Uint8Array(deriveKey(SECRET, 'jwt-access-v1'));
    const now = Math.floor(Date.now() / 1000);
    const user = (await t.req({ method: 'GET', url: '/api/v1/auth/me', token: await t.tenantA.token('agent') })).json()
      .user;
    const build = (k: Uint8Array, iat: number) =>
      new SignJWT({ tid: t.tenantA.tenant.id, role: 'owner' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(user.id))
        .setIssuer('orderloop')
        .setAudience('orderloop-api')
        .setIssuedAt(iat)
        .setExpirationTime(iat + 900)
        .sign(k);
    const valid = await build(key, now);
    expect((await t.req({ method: 'GET', url: '/api/v1/auth/me', token: valid })).statusCode).toBe(200);
    const expired = await build(key, now - 3600);
    const r = await t.req({ method: 'GET', url: '/api/v1/auth/me', token: expired });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('invalid_token');
    const [h, p, s] = valid.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(p, 'base64url').toString()),
        role: 'owner',
        tid: t.tenantB.tenant.id,
      }),
    ).toString('base64url');
    expect(
      (await t.req({ method: 'GET', url: '/api/v1/auth/me', token: `${h}.${forgedPayload}.${s}` })).statusCode,
    ).toBe(401);
    const otherKey = await build(new Uint8Array(32).fill(7), now);
    expect((await t.req({ method: 'GET', url: '/api/v1/auth/me', token: otherKey })).statusCode).toBe(401);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    expect((await t.req({ method: 'GET', url: '/api/v1/auth/me', token: none })).statusCode).toBe(401);
  });

  it('the role in the database wins over the role in a still-valid token', async () => {
    const adminToken = await t.tenantA.token('admin');
    const me = (await t.req({ method: 'GET', url: '/api/v1/auth/me', token: adminToken })).json();
    const owner = await t.tenantA.token('owner');
    const demote = await t.req({
      method: 'PATCH',
      url: `/api/v1/users/${me.user.id}`,
      token: owner,
      payload: { role: 'viewer' },
    });
    expect(demote.statusCode).toBe(200);
    expect((await t.req({ method: 'GET', url: '/api/v1/users', token: adminToken })).statusCode).toBe(403);
    await t.req({ method: 'PATCH', url: `/api/v1/users/${me.user.id}`, token: owner, payload: { active: false } });
    expect((await t.req({ method: 'GET', url: '/api/v1/auth/me', token: adminToken })).statusCode).toBe(401);
    const audit = (await t.req({ method: 'GET', url: '/api/v1/audit?action=user.*', token: owner })).json();
    expect(audit.items.map((i: any) => i.action)).toEqual(
      expect.arrayContaining(['user.role_changed', 'user.deactivated']),
    );
  });

  it('locks an account out after repeated failures with 429 and Retry-After', async () => {
    await t.tenantA.token('technician');
    for (let i = 0; i < 3; i++) {
      const r = await login('technician@alpha.test', 'wrong-password-!!');
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe('invalid_credentials');
    }
    const locked = await login('technician@alpha.test', TEST_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.json().error.code).toBe('too_many_requests');
    const owner = await t.tenantA.token('owner');
    const audit = (await t.req({ method: 'GET', url: '/api/v1/audit?action=auth.login_failed', token: owner })).json();
    expect(audit.items.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(audit)).not.toContain('wrong-password');
  });

  it('API keys: created once, listed without secret, revoked keys stop working', async () => {
    const owner = await t.tenantA.token('owner');
    const created = await t.req({
      method: 'POST',
      url: '/api/v1/api-keys',
      token: owner,
      payload: { name: 'erp', role: 'manager' },
    });
    expect(created.statusCode).toBe(201);
    const { key, secret } = created.json();
    expect(secret).toMatch(/^olk_/);
    expect((await t.req({ method: 'GET', url: '/api/v1/auth/me', token: secret })).json().actorType).toBe('api_key');
    const list = await t.req({ method: 'GET', url: '/api/v1/api-keys', token: owner });
    expect(list.body).not.toContain(secret.slice(17));
    expect((await t.req({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}`, token: owner })).statusCode).toBe(200);
    expect((await t.req({ method: 'GET', url: '/api/v1/auth/me', token: secret })).statusCode).toBe(401);
    await t.req({
      method: 'POST',
      url: '/api/v1/users',
      token: owner,
      payload: { email: 'admin2@alpha.test', name: 'Admin Two', role: 'admin', password: TEST_PASSWORD },
    });
    const admin = (await login('admin2@alpha.test', TEST_PASSWORD)).json().accessToken;
    const grant = await t.req({
      method: 'POST',
      url: '/api/v1/api-keys',
      token: admin,
      payload: { name: 'x', role: 'owner' },
    });
    expect(grant.statusCode).toBe(403);
    expect(grant.json().error.code).toBe('role_not_grantable');
  });
});

describe('secrets never reach the logs', () => {
  it('passwords, tokens and API keys are absent from request logs', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const t = await createTestApp('sqlite', { LOG_LEVEL: 'trace' });
    try {
      // Swap in a logger that writes to our sink for a second app on the same database.
      const { buildApp } = await import('../../src/app.js');
      const app = await buildApp({ ...t.ctx, logger: createLogger('trace', sink) });
      const key = await t.tenantA.apiKey('admin');
      await t.tenantA.token('agent');
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'agent@alpha.test', password: TEST_PASSWORD },
      });
      const { accessToken, refreshToken } = r.json();
      await app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: `Bearer ${key}` } });
      await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${accessToken}` } });
      await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'agent@alpha.test', password: 'a-wrong-password-xyz' },
      });
      await app.close();
      const all = lines.join('');
      expect(lines.length).toBeGreaterThan(4);
      for (const secret of [TEST_PASSWORD, 'a-wrong-password-xyz', key, accessToken, refreshToken]) {
        expect(all.includes(secret), `log contains ${secret.slice(0, 8)}…`).toBe(false);
      }
    } finally {
      await t.close();
    }
  });
});
