import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, ROLES } from '../../src/platform/auth/permissions.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { testDialects } from '../support/databases.js';
import { sampleOf } from '../support/schema-sample.js';
import { fillUrl, protectedRoutes } from './route-walk.js';

describe.each(testDialects())('roles: the permissions table decides every route (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('each role × route is allowed exactly when the table says so', async () => {
    const routes = protectedRoutes(t);
    let allowed = 0;
    let denied = 0;
    for (const role of ROLES) {
      const token = await t.tenantA.token(role);
      for (const route of routes) {
        const res = await t.req({
          method: route.method as any,
          // Ids that exist nowhere: an allowed call answers 404/400, never changes a real row.
          url: fillUrl(route.url, {}),
          token,
          ...(route.hasBody ? { payload: sampleOf(route.bodySchema) as object } : {}),
        });
        const label = `${role} ${route.method} ${route.url} → ${res.statusCode} ${res.body.slice(0, 200)}`;
        expect(res.statusCode, label).not.toBe(401);
        expect(res.statusCode, label).toBeLessThan(500);
        if (can(role, route.permission!)) {
          allowed++;
          expect(res.statusCode === 403 && res.json().error.code === 'forbidden', label).toBe(false);
        } else {
          denied++;
          expect(res.statusCode, label).toBe(403);
          expect(res.json().error.code, label).toBe('forbidden');
        }
      }
    }
    expect(allowed).toBeGreaterThan(0);
    expect(denied).toBeGreaterThan(0);
  });

  it('API keys are held to the same table as users', async () => {
    const viewerKey = await t.tenantA.apiKey('viewer');
    const adminKey = await t.tenantA.apiKey('admin');
    expect((await t.req({ method: 'GET', url: '/api/v1/users', token: viewerKey })).statusCode).toBe(403);
    expect((await t.req({ method: 'GET', url: '/api/v1/users', token: adminKey })).statusCode).toBe(200);
  });

  it('every API route declares a permission or is explicitly public', () => {
    for (const r of t.app.routeTable.filter((x) => x.url.startsWith('/api/'))) {
      expect(r.permission !== null || r.public, `${r.method} ${r.url}`).toBe(true);
    }
  });
});
