/**
 * Starts the Bosta simulator: a real HTTP server (Fastify) that behaves like Bosta API v2 (§13) with the
 * settings of §14, fault knobs, webhooks, and a `/__control` API. Used by tests, benchmarks and
 * `orderloop simulate bosta`.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { SimulatorControl } from './control.js';
import { SimulatorEngine } from './engine.js';
import type { FaultKind } from './faults.js';
import { registerApiRoutes } from './routes-api.js';
import { registerControlRoutes } from './routes-control.js';
import { type LoginCredentials, LoginSessions } from './sessions.js';
import {
  applySettingsPatch,
  defaultSimulatorSettings,
  type SimulatorSettings,
  type SimulatorSettingsPatch,
} from './settings.js';
import type { AccountWebhook } from './webhooks.js';

export interface StartBostaSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Generated deliveries (default 1,000). One million fit in ~100 MB. */
  deliveries?: number;
  /** Same seed → same data (default 42). */
  seed?: number;
  /** The key clients must send raw in `Authorization` (default `sim-bosta-key-<seed>`). */
  apiKey?: string;
  /** Account-wide webhook: URL plus one optional custom header. */
  webhook?: { url: string; headerName?: string; headerValue?: string };
  settings?: SimulatorSettingsPatch;
  /** "Now" of the generated history (ms or ISO); defaults to the start of the current UTC hour. */
  anchorTime?: number | string;
  /** Dashboard login accepted by `POST /users/login`. */
  login?: LoginCredentials;
}

export interface RunningBostaSimulator {
  /** API base to give a client, e.g. `http://127.0.0.1:4010/api/v2`. */
  url: string;
  /** Server origin (control routes live at `${origin}/__control/...`). */
  origin: string;
  port: number;
  apiKey: string;
  login: LoginCredentials;
  control: SimulatorControl;
  close(): Promise<void>;
}

const HOUR = 3_600_000;

function anchorOf(value: number | string | undefined): number {
  if (value === undefined) return Math.floor(Date.now() / HOUR) * HOUR;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`invalid anchorTime ${String(value)}`);
  return ms;
}

/** Waits `ms`, or less if the simulator is closing. */
function holdUnlessClosing(ms: number, closing: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      closing.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    closing.addEventListener('abort', done, { once: true });
  });
}

function buildApp(
  engine: SimulatorEngine,
  control: SimulatorControl,
  sessions: LoginSessions,
  closing: AbortSignal,
): FastifyInstance {
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    bodyLimit: 20 * 1024 * 1024,
    keepAliveTimeout: 30_000,
  });
  const faulted = new WeakMap<FastifyRequest, FaultKind>();

  app.setErrorHandler((error: FastifyError, _req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    const answer = engine.fail(
      status,
      status < 500 ? '1000' : undefined,
      status < 500 ? error.message : 'Internal server error',
    );
    return reply.code(answer.status).send(answer.body);
  });
  app.setNotFoundHandler((req, reply) => {
    const answer = engine.fail(404, undefined, `Cannot ${req.method} ${req.url.split('?')[0]}`);
    return reply.code(404).send(answer.body);
  });

  registerControlRoutes(app, control);

  app.register(
    async (api) => {
      api.addHook('onRequest', async (req, reply) => {
        const kind = engine.faults.decide(engine.settings.faults);
        if (!kind) return;
        const f = engine.settings.faults;
        if (kind === 'hang') {
          await holdUnlessClosing(f.hangMs, closing);
          if (closing.aborted) reply.raw.destroy();
          return;
        }
        if (kind === '429') {
          return reply
            .code(429)
            .header('retry-after', String(f.retryAfterSeconds))
            .send({ success: false, message: 'Too many requests, please try again later.', data: null });
        }
        if (kind === '5xx') {
          const status = engine.faults.pickServerError();
          if (status === 502)
            return reply.code(502).type('text/html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
          return reply.code(status).send({ success: false, message: 'Internal server error', data: null });
        }
        faulted.set(req, kind);
      });
      api.addHook('onSend', async (req, reply, payload) => {
        if (faulted.get(req) !== 'malformed') return payload;
        if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
        reply.code(200);
        const cut = Math.max(1, Math.floor(payload.length / 2));
        return typeof payload === 'string' ? payload.slice(0, cut) : payload.subarray(0, cut);
      });
      api.addHook('preHandler', async (req, reply) => {
        if ((req.routeOptions.config as { public?: boolean }).public) return;
        if (sessions.authorize(req.headers.authorization)) return;
        const answer = engine.fail(401, '1007', 'User is not authorized!');
        return reply.code(401).send(answer.body);
      });
      registerApiRoutes(api, { engine, control, sessions });
    },
    { prefix: '/api/v2' },
  );
  return app;
}

/** Starts a simulator and resolves once it listens. */
export async function startBostaSimulator(options: StartBostaSimulatorOptions = {}): Promise<RunningBostaSimulator> {
  const seed = options.seed ?? 42;
  const apiKey = options.apiKey ?? `sim-bosta-key-${seed}`;
  const login = options.login ?? { email: 'merchant@hvar.example', password: 'bosta-sim' };
  const settings: SimulatorSettings = applySettingsPatch(defaultSimulatorSettings(), options.settings);
  const webhook: AccountWebhook | undefined = options.webhook;
  const engine = new SimulatorEngine({
    deliveries: Math.max(0, Math.floor(options.deliveries ?? 1000)),
    seed,
    anchorMs: anchorOf(options.anchorTime),
    settings,
    webhook,
  });
  const control = new SimulatorControl(engine);
  const sessions = new LoginSessions(apiKey, login);
  const closing = new AbortController();
  const app = buildApp(engine, control, sessions, closing.signal);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closed = false;
  return {
    url: `${origin}/api/v2`,
    origin,
    port,
    apiKey,
    login,
    control,
    async close() {
      if (closed) return;
      closed = true;
      closing.abort();
      await engine.webhooks.close();
      await app.close();
    },
  };
}
