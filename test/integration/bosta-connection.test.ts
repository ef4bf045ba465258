import { lookup } from 'node:dns/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { testDialects } from '../support/databases.js';
import { isPublicAddress } from '../../src/platform/http/public-address.js';
import {
  DEFAULT_CONNECTION_SETTINGS,
  findConnection,
  saveConnection,
} from '../../src/modules/integrations/connections.repo.js';
import type { RunningBostaSimulator } from '../../src/integrations/bosta/simulator/server.js';
import { connectSimulator } from './bosta-support.js';

const KEY = 'tenant-bosta-key-0123456789';

/** The Bosta connection API: what a tenant may point the server at, and what the server then dials. */
describe.each(testDialects())('the Bosta connection (%s)', (dialect) => {
  let t: TestApp;
  let token: string;
  // A plain HTTP server on this machine that counts what reaches it.
  let trap: Server;
  let trapPort: number;
  let hits = 0;

  const put = (payload: object) => t.req({ method: 'PUT', url: '/api/v1/integrations/bosta', token, payload });
  const status = async () => (await t.req({ method: 'GET', url: '/api/v1/integrations/bosta', token })).json();
  const test = async () => t.req({ method: 'POST', url: '/api/v1/integrations/bosta/test', token });
  const store = (baseUrl: string, simulator = false) =>
    saveConnection(t.tenantA.ctx, t.ctx.secrets, 'bosta', {
      baseUrl,
      credentials: { apiKey: KEY, webhookSecret: null },
      settings: { ...DEFAULT_CONNECTION_SETTINGS, simulator },
    });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    token = await t.tenantA.token('admin');
    trap = createServer((_req, res) => {
      hits++;
      res.setHeader('content-type', 'application/json');
      res.end('{"success":true,"data":{"deliveries":[],"count":0}}');
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    trapPort = (trap.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => trap?.close(resolve));
    await t?.close();
  });

  it('refuses a base URL on this machine or its network (422, nothing stored); a public one is stored', async () => {
    for (const baseUrl of [
      `http://127.0.0.1:${trapPort}/api/v2`,
      'http://169.254.169.254/latest/meta-data',
      'http://localhost:4010/api/v2',
      'http://localhost.:4010/api/v2',
      'http://[::1]:4010/api/v2',
      'http://10.1.2.3/api/v2',
      'http://[::ffff:192.168.1.9]/api/v2',
    ]) {
      const res = await put({ apiKey: KEY, baseUrl });
      expect(res.statusCode, baseUrl).toBe(422);
      expect(res.json().error.code, baseUrl).toBe('bosta_url_not_public');
      expect(res.json().error.message, baseUrl).toContain('BOSTA_ALLOW_PRIVATE_URLS');
      expect((await status()).configured, baseUrl).toBe(false);
    }
    expect(hits).toBe(0);
    for (const baseUrl of ['ftp://bosta.example.test/api/v2', 'mailto:ops@bosta.example.test']) {
      const res = await put({ apiKey: KEY, baseUrl });
      expect(res.statusCode, baseUrl).toBe(400);
      expect(res.json().error.code, baseUrl).toBe('invalid_base_url');
    }
    expect((await status()).configured).toBe(false);

    const ok = await put({ apiKey: KEY, baseUrl: 'https://bosta.example.test/api/v2' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      configured: true,
      baseUrl: 'https://bosta.example.test/api/v2',
      simulator: false,
    });
    expect(ok.body).not.toContain(KEY);
  });

  it('never dials a non-public address for a connection a tenant gave, even one stored before the rule', async () => {
    // A literal address: every call fails at once, and the answer says why.
    await store(`http://127.0.0.1:${trapPort}/api/v2`);
    const literal = await test();
    expect(literal.statusCode, literal.body).toBe(200);
    expect(literal.json()).toMatchObject({ ok: false, deliveries: null });
    expect(literal.json().error).toContain('127.0.0.1 is not a public address');

    // A name: judged where it is resolved, so one that leads to this machine is refused before connecting.
    const name = hostname();
    const { address } = await lookup(name);
    expect(isPublicAddress(address), `${name} resolves to ${address}: this test needs a non-public one`).toBe(false);
    await store(`http://${name}:${trapPort}/api/v2`);
    const resolved = await test();
    expect(resolved.json()).toMatchObject({ ok: false, deliveries: null });
    expect(resolved.json().error).toContain('which is not a public address');
    expect(hits).toBe(0);
  });

  describe('trusted connections', () => {
    let sim: RunningBostaSimulator;
    afterAll(async () => sim?.close());

    it('the built-in simulator (demo) is reached on this machine; a real key then defaults to Bosta itself', async () => {
      sim = await connectSimulator(t, { deliveries: 30 });
      const res = await test();
      expect(res.json()).toEqual({ ok: true, deliveries: 30, error: null });

      const real = await put({ apiKey: KEY });
      expect(real.statusCode, real.body).toBe(200);
      expect(real.json()).toMatchObject({ baseUrl: 'https://app.bosta.co/api/v2', simulator: false });
      const stored = await findConnection(t.tenantA.ctx, t.ctx.secrets, 'bosta');
      expect(stored?.credentials.apiKey).toBe(KEY);
    });
  });
});

describe.each(testDialects())('the Bosta connection with BOSTA_ALLOW_PRIVATE_URLS=1 (%s)', (dialect) => {
  let t: TestApp;
  let sim: RunningBostaSimulator;
  beforeAll(async () => {
    t = await createTestApp(dialect, { BOSTA_ALLOW_PRIVATE_URLS: '1' });
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });

  it('stores a simulator on this machine given through the API and reaches it', async () => {
    const token = await t.tenantA.token('admin');
    sim = await connectSimulator(t, { deliveries: 12 });
    // Given through the API this time (connectSimulator stored it directly): same URL, the simulator's key.
    const res = await t.req({
      method: 'PUT',
      url: '/api/v1/integrations/bosta',
      token,
      payload: { apiKey: sim.apiKey, baseUrl: sim.url },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ baseUrl: sim.url, simulator: false });
    const check = await t.req({ method: 'POST', url: '/api/v1/integrations/bosta/test', token });
    expect(check.json()).toEqual({ ok: true, deliveries: 12, error: null });
  });
});
