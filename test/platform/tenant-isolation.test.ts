import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { testDialects } from '../support/databases.js';
import { sampleOf } from '../support/schema-sample.js';
import { B_MARKER } from '../support/tenant-fixtures.js';
import { fillUrl, fixtureFor, paramsOf, protectedRoutes } from './route-walk.js';

describe.each(testDialects())('tenant isolation on every route (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('tenant A, by user token and by API key, gets 404 for every resource of tenant B', async () => {
    const routes = protectedRoutes(t).filter((r) => paramsOf(r.url).length > 0);
    expect(routes.length).toBeGreaterThan(0);
    const credentials = [await t.tenantA.token('owner'), await t.tenantA.apiKey('owner')];
    const checked: string[] = [];
    for (const route of routes) {
      const fixture = fixtureFor(route.url);
      expect(
        fixture,
        `no tenant fixture for ${route.method} ${route.url}: add one to test/support/tenant-fixtures.ts`,
      ).toBeTruthy();
      // A fresh resource per route: an earlier DELETE must not turn a later 404 into a vacuous pass.
      const ids = await fixture!.make(t, t.tenantB);
      const url = fillUrl(route.url, ids);
      for (const token of credentials) {
        const res = await t.req({
          method: route.method as any,
          url,
          token,
          ...(route.hasBody ? { payload: sampleOf(route.bodySchema) as object } : {}),
        });
        expect(res.statusCode, `${route.method} ${url} → ${res.body}`).toBe(404);
      }
      // The owner of B does reach the same resource, so the 404 above is isolation, not a broken fixture.
      if (route.method === 'GET') {
        const own = await t.req({ method: 'GET', url, token: await t.tenantB.token('owner') });
        expect(own.statusCode, `${route.method} ${url} as tenant B → ${own.body}`).toBe(200);
      }
      checked.push(`${route.method} ${route.url}`);
    }
    expect(checked.length).toBe(routes.length);
  });

  it('no list or summary of tenant A shows anything of tenant B', async () => {
    for (const f of new Set(
      protectedRoutes(t)
        .map((r) => fixtureFor(r.url))
        .filter(Boolean),
    )) {
      await f!.make(t, t.tenantB);
    }
    const token = await t.tenantA.token('owner');
    const lists = protectedRoutes(t).filter((r) => r.method === 'GET' && paramsOf(r.url).length === 0);
    expect(lists.length).toBeGreaterThan(0);
    for (const route of lists) {
      const res = await t.req({ method: 'GET', url: route.url, token });
      expect(res.statusCode, `${route.url} → ${res.body}`).toBeLessThan(500);
      expect(res.body.includes(B_MARKER), `${route.url} leaks tenant B data`).toBe(false);
    }
  });
});
