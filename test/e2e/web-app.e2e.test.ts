import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebApp } from '../../src/platform/http/web-app.js';

// How the server hands out the built dashboard: files, the SPA fallback, caching, and what it never answers.
describe('registerWebApp', () => {
  let dist: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'orderloop-web-'));
    mkdirSync(join(dist, 'assets'));
    mkdirSync(join(dist, '.vite'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Orderloop</title><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dist, '.vite', 'manifest.json'), '{}');
    app = Fastify();
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send({ error: { code: 'route_not_found', message: request.url, requestId: request.id } }),
    );
    app.get('/api/v1/ping', async () => ({ ok: true }));
    await registerWebApp(app, dist);
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html at / and for client routes, never cached', async () => {
    for (const url of ['/', '/orders/42?q=010', '/customers/%2B201001234567', '/settings/bosta']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toMatch(/text\/html/);
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.body).toContain('<div id="root">');
    }
  });

  it('serves hashed assets with a year-long immutable cache, other files briefly', async () => {
    const js = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-type']).toMatch(/javascript/);
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('leaves the server paths to the API: unknown ones stay JSON 404s', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/ping' })).json()).toEqual({ ok: true });
    for (const url of ['/api/v1/nope', '/docs/nope', '/hooks/x', '/health/x', '/metrics/x', '/ready/x']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(404);
      expect(r.json().error.code).toBe('route_not_found');
    }
  });

  it('never hands out dotfiles or files outside the build; a missing hashed asset is a 404', async () => {
    expect((await app.inject({ method: 'GET', url: '/assets/old-chunk.js' })).statusCode).toBe(404);
    for (const url of ['/.vite/manifest.json', '/..%2Fpackage.json', '/assets/..%2F..%2Fpackage.json']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.body, url).not.toBe('{}');
      expect(r.body, url).not.toContain('"name"');
    }
  });

  it('skips cleanly without a build', async () => {
    const bare = Fastify();
    await registerWebApp(bare, join(dist, 'missing'));
    await bare.ready();
    expect((await bare.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
    await bare.close();
  });
});
