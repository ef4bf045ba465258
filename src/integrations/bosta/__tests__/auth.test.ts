import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BostaClient } from '../client.js';
import { BostaAuthError } from '../errors.js';
import { type RunningBostaSimulator, startBostaSimulator } from '../simulator/server.js';

let sim: RunningBostaSimulator;
const clients: BostaClient[] = [];

function client(apiKey: string): BostaClient {
  const c = new BostaClient({ baseUrl: sim.url, apiKey, maxRetries: 0, timeoutMs: 5_000 });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  sim = await startBostaSimulator({ deliveries: 300, seed: 11 });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim.close();
});

describe('simulator auth', () => {
  it('accepts the raw API key', async () => {
    const page = await client(sim.apiKey).searchDeliveries({ page: 1, limit: 5 });
    expect(page.count).toBe(300);
    expect(page.deliveries).toHaveLength(5);
  });

  it('refuses "Bearer <apiKey>" with 401 and errorCode 1007', async () => {
    const err = await client(`Bearer ${sim.apiKey}`)
      .searchDeliveries({ page: 1, limit: 1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BostaAuthError);
    expect((err as BostaAuthError).status).toBe(401);
    expect((err as BostaAuthError).errorCode).toBe('1007');
    expect((err as BostaAuthError).message).not.toContain(sim.apiKey);
  });

  it('refuses a wrong key and a missing header', async () => {
    await expect(client('nope').getDelivery('12345678')).rejects.toBeInstanceOf(BostaAuthError);
    const res = await request(`${sim.url}/deliveries/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"page":1,"limit":1}',
    });
    expect(res.statusCode).toBe(401);
    expect(await res.body.json()).toEqual({
      success: false,
      message: 'User is not authorized!',
      errorCode: '1007',
      data: null,
    });
  });

  it('leaves the geography public', async () => {
    const anonymous = client('wrong-key');
    const cities = await anonymous.listCities();
    expect(cities.map((c) => c.name)).toEqual(expect.arrayContaining(['Cairo', 'Giza', 'Alexandria', 'Dakahlia']));
    const cairo = cities.find((c) => c.name === 'Cairo');
    const districts = await anonymous.listDistricts(cairo?._id ?? '');
    expect(districts.length).toBeGreaterThan(5);
    expect(districts.some((d) => d.dropOffAvailability === false)).toBe(true);
    const all = await anonymous.listAllDistricts();
    expect(all.find((c) => c.cityName === 'New Valley')?.dropOffAvailability).toBe(false);
  });

  it('testConnection reports ok or the typed error', async () => {
    expect(await client(sim.apiKey).testConnection()).toEqual({ ok: true, count: 300 });
    const bad = await client('bad').testConnection();
    expect(bad.ok).toBe(false);
    expect(bad.ok === false && bad.error).toBeInstanceOf(BostaAuthError);
  });

  it('issues dashboard tokens accepted raw and as Bearer', async () => {
    const login = await request(`${sim.url}/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sim.login),
    });
    const { data } = (await login.body.json()) as { data: { token: string; refreshToken: string } };
    expect(data.token).toBeTruthy();
    await expect(client(data.token).searchDeliveries({ page: 1, limit: 1 })).resolves.toMatchObject({ count: 300 });
    await expect(client(`Bearer ${data.token}`).searchDeliveries({ page: 1, limit: 1 })).resolves.toMatchObject({
      count: 300,
    });
    const wrong = await request(`${sim.url}/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: sim.login.email, password: 'nope' }),
    });
    expect(wrong.statusCode).toBe(401);
    await wrong.body.dump();
  });
});
