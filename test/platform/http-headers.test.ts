import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// Security headers and CORS are platform concerns of every response; SQLite is enough (no database in play).
describe('HTTP security headers and CORS', () => {
  let plain: TestApp;
  let withCors: TestApp;
  beforeAll(async () => {
    plain = await createTestApp('sqlite');
    withCors = await createTestApp('sqlite', { CORS_ORIGINS: 'https://shop.example' });
  });
  afterAll(async () => {
    await plain?.close();
    await withCors?.close();
  });

  it('every response carries the security headers, errors and authenticated answers alike', async () => {
    const token = await plain.tenantA.token('agent');
    for (const res of [
      await plain.req({ method: 'GET', url: '/health' }),
      await plain.req({ method: 'GET', url: '/api/v1/orders?limit=1', token }),
      await plain.req({ method: 'GET', url: '/api/v1/orders' }),
    ]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-request-id']).toBeTruthy();
    }
  });

  it('answers no cross-origin request unless the origin is configured', async () => {
    const origin = 'https://shop.example';
    const none = await plain.req({ method: 'GET', url: '/health', headers: { origin } });
    expect(none.headers['access-control-allow-origin']).toBeUndefined();

    const allowed = await withCors.req({ method: 'GET', url: '/health', headers: { origin } });
    expect(allowed.headers['access-control-allow-origin']).toBe(origin);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const preflight = await withCors.req({
      method: 'OPTIONS',
      url: '/api/v1/orders',
      headers: { origin, 'access-control-request-method': 'GET' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    const other = await withCors.req({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
