import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress, nonPublicHost, publicOnlyLookup } from '../public-address.js';

describe('public addresses', () => {
  it('tells the public internet from loopback, private, link-local and reserved ranges', () => {
    for (const ip of ['8.8.8.8', '41.33.10.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) {
      expect(isPublicAddress(ip), ip).toBe(true);
    }
    for (const ip of [
      '127.0.0.1',
      '127.8.9.10',
      '10.0.0.1',
      '172.16.0.1',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'not an address',
    ]) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
  });

  it('judges literal hosts and localhost names in URLs, and leaves other names to the lookup', () => {
    expect(nonPublicHost(new URL('http://127.0.0.1:8080/x'))).toBe('127.0.0.1 is not a public address');
    expect(nonPublicHost(new URL('http://[::1]/x'))).toBe('::1 is not a public address');
    expect(nonPublicHost(new URL('http://LOCALHOST/x'))).toBe('localhost is this machine');
    expect(nonPublicHost(new URL('http://localhost./x'))).toBe('localhost is this machine');
    expect(nonPublicHost(new URL('http://api.localhost./x'))).toBe('api.localhost is this machine');
    expect(nonPublicHost(new URL('https://8.8.8.8/x'))).toBeNull();
    expect(nonPublicHost(new URL('https://hooks.example.test/x'))).toBeNull();
  });
});

describe('connections that may only reach the public internet', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a name that resolves to this machine before connecting; an open agent reaches it', async () => {
    const lookedUp = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      publicOnlyLookup('localhost', {}, (err) => resolve(err)),
    );
    expect(lookedUp?.code).toBe('ENONPUBLIC');

    const guarded = new Agent({ connect: { lookup: publicOnlyLookup } });
    const open = new Agent();
    try {
      const refused = await request(`http://localhost:${port}/`, { dispatcher: guarded }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(Error);
      const e = refused as { code?: string; message: string; cause?: { code?: string } };
      expect(e.code ?? e.cause?.code).toBe('ENONPUBLIC');
      expect(hits).toBe(0);
      const res = await request(`http://localhost:${port}/`, { dispatcher: open });
      expect(await res.body.text()).toBe('ok');
      expect(hits).toBe(1);
    } finally {
      await guarded.close();
      await open.close();
    }
  });
});
