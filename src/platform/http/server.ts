import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { Redis } from 'ioredis';
import type { AppContext } from '../context.js';
import { installAuth } from './auth-hook.js';
import { installErrorHandling } from './error-handler.js';
import { installValidation } from './validation.js';

export type Server = FastifyInstance;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The Fastify instance with every platform concern installed; modules add their routes to it. */
export async function createServer(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }) as unknown as FastifyInstance;

  installValidation(app);
  installErrorHandling(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  // Security headers: helmet's middleware built once (the Fastify plugin rebuilds it on every request).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)),
  );
  // CORS only for the origins configured (CORS_ORIGINS); without any, the dashboard is same-origin.
  if (ctx.config.corsOrigins.length) {
    const any = ctx.config.corsOrigins.includes('*');
    await app.register(cors, { origin: any ? true : ctx.config.corsOrigins, credentials: !any });
  }
  await app.register(rateLimit, {
    global: true,
    max: ctx.config.rateLimitPerMinute,
    timeWindow: 60_000,
    redis: ctx.config.redisUrl
      ? new Redis(ctx.config.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false })
      : undefined,
    nameSpace: 'orderloop-rl-',
    allowList: (req) => /^\/(health|ready|metrics)\b/.test(req.url),
    keyGenerator: (req) => {
      const m = /^Bearer\s+(olk_[A-Za-z0-9]{12})_/i.exec(req.headers.authorization ?? '');
      return m ? `key:${m[1]}` : `ip:${req.ip}`;
    },
    errorResponseBuilder: (req, c) => ({
      statusCode: 429,
      error: {
        code: 'too_many_requests',
        message: `Rate limit of ${c.max} requests per minute exceeded`,
        requestId: req.id,
      },
    }),
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Orderloop API',
        version: '1',
        description:
          'Operations CRM: orders from the courier, customers, the after-sales cycle. Authenticate with ' +
          '`Authorization: Bearer <access token or API key>`. Errors: `{ error: { code, message, details, requestId } }`.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'JWT access token or API key' } },
      },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  installAuth(app, ctx);
  return app;
}
