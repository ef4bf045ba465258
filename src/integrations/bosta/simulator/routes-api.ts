/**
 * HTTP surface of the simulator under `/api/v2` (§3, §13): deliveries, geography, pickups, login. Each route
 * only parses the request and hands it to the engine; auth and faults are hooks registered by server.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { BOSTA_EGYPT_COUNTRY_ID } from '../codes.js';
import { pickupLocations } from './addresses.js';
import type { SimulatorControl } from './control.js';
import type { ApiAnswer, SimulatorEngine } from './engine.js';
import { SIM_CITIES, type SimCity } from './geography.js';
import type { LoginSessions } from './sessions.js';

function send(reply: FastifyReply, answer: ApiAnswer): FastifyReply {
  if (answer.headers) reply.headers(answer.headers);
  if (typeof answer.body === 'string' || Buffer.isBuffer(answer.body)) reply.type('application/json; charset=utf-8');
  return reply.code(answer.status).send(answer.body);
}

function ok(data: unknown, message = 'Done successfully.'): ApiAnswer {
  return { status: 200, body: { success: true, message, data } };
}

function districtRows(city: SimCity) {
  return city.zones.flatMap((zone) =>
    zone.districts.map((d) => ({
      zoneId: zone._id,
      zoneName: zone.name,
      zoneOtherName: zone.nameAr,
      districtId: d._id,
      districtName: d.name,
      districtOtherName: d.nameAr,
      pickupAvailability: d.pickupAvailability,
      dropOffAvailability: d.dropOffAvailability,
      coverage: 'BOSTA',
    })),
  );
}

function countryMatches(countryId: unknown): boolean {
  return countryId === undefined || countryId === BOSTA_EGYPT_COUNTRY_ID;
}

/** A one-page PDF, enough for clients that only store or forward airway bills. */
const TINY_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 298 420]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
).toString('base64');

export interface ApiRouteDeps {
  engine: SimulatorEngine;
  control: SimulatorControl;
  sessions: LoginSessions;
}

export function registerApiRoutes(app: FastifyInstance, { engine, control, sessions }: ApiRouteDeps): void {
  const isV1 = (query: unknown) => String((query as Record<string, unknown>)?.apiVersion ?? '') === '1';

  app.post('/deliveries/search', async (req, reply) => {
    const mutate = engine.settings.faults.mutateDuringSync;
    if (mutate > 0) control.mutate(mutate);
    return send(reply, engine.searchDeliveries(req.body));
  });
  app.get<{ Params: { tn: string } }>('/deliveries/business/:tn', async (req, reply) =>
    send(reply, engine.detail(req.params.tn)),
  );
  app.post('/deliveries', async (req, reply) => send(reply, engine.create(req.body, isV1(req.query))));
  app.post('/deliveries/bulk', async (req, reply) => send(reply, engine.bulkCreate(req.body, isV1(req.query))));
  app.put<{ Params: { id: string } }>('/deliveries/:id', async (req, reply) =>
    send(reply, engine.update(req.params.id, req.body)),
  );
  app.delete<{ Params: { tn: string } }>('/deliveries/business/:tn/terminate', async (req, reply) =>
    send(reply, engine.terminate(req.params.tn)),
  );
  app.post('/deliveries/mass-awb', async (req, reply) => {
    const tns = String((req.body as Record<string, unknown> | undefined)?.trackingNumbers ?? '')
      .split(',')
      .filter(Boolean);
    if (tns.length === 0) return send(reply, engine.fail(400, '1000', '"trackingNumbers" is required'));
    return send(reply, ok(TINY_PDF));
  });

  const publicRoute = { config: { public: true } };
  app.get('/cities', publicRoute, async (req, reply) => {
    const { countryId } = req.query as Record<string, unknown>;
    const list = countryMatches(countryId)
      ? SIM_CITIES.map(({ _id, name, nameAr, alias, code, sector, dropOffAvailability, pickupAvailability }) => ({
          _id,
          name,
          nameAr,
          alias,
          code,
          sector,
          dropOffAvailability,
          pickupAvailability,
        }))
      : [];
    return send(reply, ok({ list }));
  });
  app.get('/cities/getAllDistricts', publicRoute, async (req, reply) => {
    const { countryId } = req.query as Record<string, unknown>;
    const data = countryMatches(countryId)
      ? SIM_CITIES.map((city) => ({
          cityId: city._id,
          cityName: city.name,
          cityOtherName: city.nameAr,
          cityCode: city.code,
          dropOffAvailability: city.dropOffAvailability,
          districts: districtRows(city),
        }))
      : [];
    return send(reply, ok(data));
  });
  app.get<{ Params: { id: string } }>('/cities/:id/districts', publicRoute, async (req, reply) => {
    const city = SIM_CITIES.find((c) => c._id === req.params.id);
    return send(reply, city ? ok(districtRows(city)) : engine.fail(404, '3001', 'City not found'));
  });
  app.get<{ Params: { id: string } }>('/cities/:id/zones', publicRoute, async (req, reply) => {
    const city = SIM_CITIES.find((c) => c._id === req.params.id);
    const zones = city?.zones.map((z) => ({ _id: z._id, name: z.name, nameAr: z.nameAr, dropOffAvailability: true }));
    return send(reply, zones ? ok(zones) : engine.fail(404, '3001', 'City not found'));
  });

  app.get('/pickup-locations', async (_req, reply) => {
    const list = pickupLocations();
    return send(reply, ok({ total: list.length, list, page: 1, limit: 50, pages: 1 }));
  });
  registerPickupRoutes(app, engine);

  app.post('/users/login', publicRoute, async (req, reply) => {
    const { email, password } = (req.body ?? {}) as Record<string, unknown>;
    const session = sessions.login(String(email ?? ''), String(password ?? ''));
    return send(
      reply,
      session ? ok(session, 'Logged in successfully.') : engine.fail(401, '1007', 'Invalid email or password'),
    );
  });
  app.post('/users/refresh-token', publicRoute, async (req, reply) => {
    const { refreshToken } = (req.body ?? {}) as Record<string, unknown>;
    const session = sessions.refresh(String(refreshToken ?? ''));
    return send(reply, session ? ok(session) : engine.fail(401, '1007', 'User is not authorized!'));
  });
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function registerPickupRoutes(app: FastifyInstance, engine: SimulatorEngine): void {
  const pickups: Array<Record<string, unknown>> = [];
  app.get('/pickups/available-dates', async (req, reply) => {
    const days = Math.min(30, Math.max(1, Number((req.query as Record<string, unknown>).days ?? 7) || 7));
    const dates: string[] = [];
    for (let k = 1; dates.length < days && k < 60; k++) {
      const at = Date.now() + k * 86_400_000;
      if (new Date(at).getUTCDay() !== 5) dates.push(isoDate(at));
    }
    return send(reply, ok(dates));
  });
  app.get('/pickups', async (_req, reply) => send(reply, ok(pickups)));
  app.post('/pickups', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const date = String(body.scheduledDate ?? '');
    const ms = Date.parse(`${date}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(ms))
      return send(reply, engine.fail(400, '1000', '"scheduledDate" must be YYYY-MM-DD'));
    if (date < isoDate(Date.now())) return send(reply, engine.fail(400, '1083', 'Pickup date is in the past'));
    if (new Date(ms).getUTCDay() === 5) return send(reply, engine.fail(400, '1080', 'No pickups on Friday'));
    const location = String(body.businessLocationId ?? pickupLocations()[0]._id);
    if (pickups.some((p) => p.scheduledDate === date && p.businessLocationId === location)) {
      return send(reply, engine.fail(400, '1078', 'A pickup already exists for this location and date'));
    }
    const now = new Date().toISOString();
    const pickup = {
      _id: `pk${pickups.length + 1}`,
      puid: String(4_000_000 + pickups.length),
      business: { _id: 'bizHvarHome00000000001', name: 'HVAR Home Appliances' },
      businessLocationId: location,
      scheduledDate: date,
      scheduledTimeSlot: '10:00 to 13:00',
      contactPerson: body.contactPerson ?? null,
      numberOfParcels: body.numberOfParcels ?? null,
      state: 'Requested',
      createdAt: now,
      updatedAt: now,
    };
    pickups.push(pickup);
    return send(reply, { status: 201, body: { success: true, message: 'Pickup created successfully.', data: pickup } });
  });
}
