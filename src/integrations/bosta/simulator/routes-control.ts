/**
 * `/__control` JSON routes (never faulted, no auth): the HTTP face of SimulatorControl for tests and demos
 * running in another process.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SimulatorControl } from './control.js';
import { FAULT_KINDS, type FaultKind } from './faults.js';
import type { SimulatorSettingsPatch } from './settings.js';

type Body = Record<string, unknown>;

function body(req: { body?: unknown }): Body {
  return req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Body) : {};
}

function count(value: unknown, fallback = 1): number {
  const n = Number(value ?? fallback);
  return Number.isFinite(n) && n >= 0 ? Math.min(Math.floor(n), 1_000_000) : fallback;
}

function badRequest(reply: FastifyReply, message: string) {
  return reply.code(400).send({ error: { code: 'bad_request', message } });
}

export function registerControlRoutes(app: FastifyInstance, control: SimulatorControl): void {
  app.get('/__control/truth', async (req) => {
    const { list } = req.query as Record<string, unknown>;
    return control.truth({ list: list === '1' || list === 'true' });
  });

  app.post('/__control/advance', async (req, reply) => {
    const b = body(req);
    const toState = b.toState === undefined ? undefined : Number(b.toState);
    if (b.trackingNumber !== undefined) {
      try {
        return { advanced: [control.advance(String(b.trackingNumber), toState)] };
      } catch (err) {
        return reply.code(404).send({ error: { code: 'not_found', message: (err as Error).message } });
      }
    }
    return { advanced: control.advanceRandom(count(b.count)) };
  });

  app.post('/__control/add', async (req) => ({ trackingNumbers: control.addDeliveries(count(body(req).count)) }));
  app.post('/__control/change', async (req) => ({ trackingNumbers: control.changeDeliveries(count(body(req).count)) }));

  app.get('/__control/settings', async () => control.getSettings());
  app.patch('/__control/settings', async (req) => control.setSettings(body(req) as SimulatorSettingsPatch));

  app.post('/__control/faults', async (req, reply) => {
    const b = body(req);
    const queue = Array.isArray(b.queue) ? b.queue.map(String) : [];
    const unknown = queue.find((k) => !FAULT_KINDS.includes(k as FaultKind));
    if (unknown) return badRequest(reply, `unknown fault "${unknown}"; use ${FAULT_KINDS.join(', ')}`);
    control.queueFaults(queue as FaultKind[]);
    const { queue: _ignored, ...rates } = b;
    return Object.keys(rates).length > 0 ? control.setSettings({ faults: rates }).faults : control.getSettings().faults;
  });

  app.put('/__control/webhook', async (req, reply) => {
    const b = body(req);
    if (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url))
      return badRequest(reply, '"url" must be an http(s) URL');
    control.setWebhook({
      url: b.url,
      headerName: typeof b.headerName === 'string' ? b.headerName : undefined,
      headerValue: typeof b.headerValue === 'string' ? b.headerValue : undefined,
    });
    return { ok: true };
  });
  app.delete('/__control/webhook', async () => {
    control.setWebhook(null);
    return { ok: true };
  });
  app.get('/__control/webhooks', async () => ({ log: control.webhookLog() }));
  app.post('/__control/flush', async () => {
    await control.flush();
    return { ok: true };
  });
  app.post('/__control/reset', async () => {
    control.reset();
    return { ok: true };
  });
  app.get<{ Params: { tn: string } }>('/__control/deliveries/:tn', async (req, reply) => {
    const delivery = control.getDelivery(req.params.tn);
    return delivery ?? reply.code(404).send({ error: { code: 'not_found', message: 'unknown tracking number' } });
  });
}
