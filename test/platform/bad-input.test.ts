import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { testDialects } from '../support/databases.js';
import { sampleOf, wrongTypeOf } from '../support/schema-sample.js';
import { fillUrl, paramsOf, protectedRoutes } from './route-walk.js';

function expectEnvelope(res: { statusCode: number; json(): any; body: string }, status: number, label: string) {
  expect(res.statusCode, `${label} → ${res.body.slice(0, 300)}`).toBe(status);
  const body = res.json();
  expect(typeof body.error?.code, label).toBe('string');
  expect(typeof body.error?.message, label).toBe('string');
  expect(typeof body.error?.requestId, label).toBe('string');
}

describe.each(testDialects())('bad input on every route gets a 4xx in the envelope (%s)', (dialect) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    token = await t.tenantA.token('owner');
  });
  afterAll(async () => t?.close());

  it('malformed JSON, unknown fields, wrong types and oversized bodies', async () => {
    const routes = t.app.routeTable.filter((r) => r.url.startsWith('/api/') && r.hasBody);
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      const url = fillUrl(route.url, {});
      const label = `${route.method} ${route.url}`;
      const base = { method: route.method as any, url, token: route.public ? undefined : token };
      expectEnvelope(
        await t.req({ ...base, headers: { 'content-type': 'application/json' }, payload: '{"broken": ' }),
        400,
        `${label} malformed`,
      );
      const valid = sampleOf(route.bodySchema) as Record<string, unknown>;
      expectEnvelope(await t.req({ ...base, payload: { ...valid, surpriseField: 1 } }), 400, `${label} unknown field`);
      const props = (route.bodySchema as any).properties ?? {};
      for (const [key, schema] of Object.entries(props)) {
        const wrong = wrongTypeOf(schema);
        if (wrong === undefined) continue;
        expectEnvelope(
          await t.req({ ...base, payload: { ...valid, [key]: wrong } }),
          400,
          `${label} wrong type of ${key}`,
        );
      }
      const huge = JSON.stringify({ ...valid, padding: 'x'.repeat(1024 * 1024 + 10) });
      expectEnvelope(
        await t.req({ ...base, headers: { 'content-type': 'application/json' }, payload: huge }),
        413,
        `${label} oversized`,
      );
      expectEnvelope(
        await t.req({ ...base, headers: { 'content-type': 'application/json' }, payload: '[1,2,3]' }),
        400,
        `${label} array body`,
      );
    }
  });

  it('bad pagination and unknown query parameters on every list', async () => {
    const lists = protectedRoutes(t).filter((r) => r.hasQuery);
    expect(lists.length).toBeGreaterThan(0);
    for (const route of lists) {
      const url = fillUrl(route.url, {});
      const props = (route.querySchema as any).properties ?? {};
      const cases = ['unknownParam=1'];
      if (props.limit) cases.push('limit=0', 'limit=100000', 'limit=abc', 'limit=-5');
      for (const q of cases) {
        expectEnvelope(
          await t.req({ method: route.method as any, url: `${url}?${q}`, token }),
          400,
          `${route.url}?${q}`,
        );
      }
      if (props.cursor && paramsOf(route.url).length === 0) {
        expectEnvelope(
          await t.req({ method: 'GET', url: `${url}?cursor=not-a-cursor`, token }),
          400,
          `${route.url} bad cursor`,
        );
      }
    }
  });

  it('bad path ids, unknown routes and wrong methods', async () => {
    for (const route of protectedRoutes(t).filter((r) => r.url.includes(':id'))) {
      for (const bad of ['abc', '-1', '0', '1.5']) {
        const url = route.url.replace(/:id\b/, bad).replace(/:([A-Za-z]+)/g, '1');
        expectEnvelope(
          await t.req({
            method: route.method as any,
            url,
            token,
            ...(route.hasBody ? { payload: sampleOf(route.bodySchema) as object } : {}),
          }),
          400,
          `${route.method} ${url}`,
        );
      }
    }
    expectEnvelope(await t.req({ method: 'GET', url: '/api/v1/no-such-thing', token }), 404, 'unknown route');
    expectEnvelope(await t.req({ method: 'GET', url: '/api/v1/users' }), 401, 'no token');
    expectEnvelope(
      await t.req({ method: 'GET', url: '/api/v1/users', headers: { authorization: 'Basic abc' } }),
      401,
      'basic auth',
    );
  });
});
