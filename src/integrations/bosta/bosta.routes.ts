import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { principalOf, tenantCtx } from '../../platform/http/auth-hook.js';
import { conflict, notFound } from '../../platform/http/errors.js';
import { IdParams } from '../../platform/http/schema.js';
import { recordAudit } from '../../modules/audit/audit.repo.js';
import {
  DEFAULT_CONNECTION_SETTINGS,
  findConnection,
  saveConnection,
} from '../../modules/integrations/connections.repo.js';
import { createRun, getRun, latestRun, listRuns } from '../../modules/integrations/sync-runs.repo.js';
import { findTenantById } from '../../modules/tenants/tenants.repo.js';
import { BostaConnectionBody, BostaStatusDto, RunsQuery, SyncBody, SyncRunDto } from './bosta.schemas.js';
import { BOSTA, checkBaseUrl, clientFor, requireBostaConnection } from './connection.js';

export const BOSTA_PRODUCTION_URL = 'https://app.bosta.co/api/v2';

/** Connection settings, connection test, sync runs: under /api/v1/integrations/bosta. */
export function bostaRoutes(app: FastifyInstance, ctx: AppContext): void {
  const status = async (request: Parameters<typeof tenantCtx>[1]) => {
    const scope = tenantCtx(ctx, request);
    const c = await findConnection(scope, ctx.secrets, BOSTA);
    const tenant = await findTenantById(ctx.database.db, scope.tenantId);
    return {
      configured: Boolean(c),
      baseUrl: c?.baseUrl ?? null,
      simulator: c?.settings.simulator ?? false,
      hasWebhookSecret: Boolean(c?.credentials.webhookSecret),
      webhookHeader: c?.settings.webhookHeader ?? null,
      webhookPath: `/hooks/bosta/${tenant?.slug}`,
      syncIntervalMinutes: c
        ? (c.settings.syncIntervalMinutes ?? tenant?.settings.sync.bostaIntervalMinutes ?? null)
        : null,
      watermark: c?.watermark ?? null,
      lastRun: await latestRun(scope, BOSTA),
    };
  };

  app.get(
    '/api/v1/integrations/bosta',
    {
      config: { permission: 'integrations:read' },
      schema: {
        tags: ['integrations'],
        summary: 'Bosta connection status (secrets are never returned)',
        response: { 200: BostaStatusDto },
      },
    },
    async (request) => status(request),
  );

  app.put(
    '/api/v1/integrations/bosta',
    {
      config: { permission: 'integrations:write' },
      schema: {
        tags: ['integrations'],
        summary: 'Configure the Bosta connection; API key and webhook secret are stored encrypted',
        body: BostaConnectionBody,
        response: { 200: BostaStatusDto },
      },
    },
    async (request) => {
      const scope = tenantCtx(ctx, request);
      const b = request.body as {
        apiKey: string;
        baseUrl?: string;
        webhookSecret?: string;
        webhookHeader?: string;
        syncIntervalMinutes?: number;
        pageSize?: number;
      };
      if (b.baseUrl !== undefined) checkBaseUrl(ctx, b.baseUrl);
      const current = await findConnection(scope, ctx.secrets, BOSTA);
      await saveConnection(scope, ctx.secrets, BOSTA, {
        // Without a baseUrl the stored one stays, unless it is the demo simulator: a real key is for Bosta.
        baseUrl: b.baseUrl ?? (current && !current.settings.simulator ? current.baseUrl : BOSTA_PRODUCTION_URL),
        credentials: { apiKey: b.apiKey, webhookSecret: b.webhookSecret ?? current?.credentials.webhookSecret ?? null },
        settings: {
          ...DEFAULT_CONNECTION_SETTINGS,
          ...current?.settings,
          simulator: false,
          ...(b.webhookHeader ? { webhookHeader: b.webhookHeader.toLowerCase() } : {}),
          ...(b.syncIntervalMinutes ? { syncIntervalMinutes: b.syncIntervalMinutes } : {}),
          ...(b.pageSize ? { pageSize: b.pageSize } : {}),
        },
      });
      await recordAudit(ctx.database.db, request, {
        action: 'integration.configured',
        targetType: 'integration',
        targetId: BOSTA,
        details: { baseUrl: b.baseUrl ?? null, webhookSecretChanged: Boolean(b.webhookSecret) },
      });
      return status(request);
    },
  );

  app.post(
    '/api/v1/integrations/bosta/test',
    {
      config: { permission: 'integrations:write' },
      schema: {
        tags: ['integrations'],
        summary: 'Check the stored API key against Bosta',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            deliveries: Type.Union([Type.Integer(), Type.Null()]),
            error: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const client = clientFor(ctx, await requireBostaConnection(ctx, tenantCtx(ctx, request)), {
        timeoutMs: 10_000,
        maxRetries: 1,
      });
      try {
        const r = await client.testConnection();
        return r.ok
          ? { ok: true, deliveries: r.count, error: null }
          : { ok: false, deliveries: null, error: r.error.message };
      } finally {
        await client.close();
      }
    },
  );

  app.post(
    '/api/v1/integrations/bosta/sync',
    {
      config: { permission: 'integrations:sync' },
      schema: {
        tags: ['integrations'],
        summary: 'Start a sync run now (incremental by default); returns the queued run',
        body: Type.Optional(SyncBody),
        response: { 202: SyncRunDto },
      },
    },
    async (request, reply) => {
      const scope = tenantCtx(ctx, request);
      await requireBostaConnection(ctx, scope);
      const last = await latestRun(scope, BOSTA);
      if (
        last &&
        (last.status === 'running' || last.status === 'queued') &&
        Date.now() - Date.parse(last.heartbeatAt) < 120_000
      ) {
        throw conflict('sync_already_running', `Sync run ${last.id} is already ${last.status}`, { runId: last.id });
      }
      const mode = (request.body as { mode?: 'incremental' | 'full' } | undefined)?.mode ?? 'incremental';
      const run = await createRun(scope, {
        provider: BOSTA,
        mode,
        trigger: `user:${principalOf(request).userId ?? 'api_key'}`,
        cursor: { page: 1, lowBound: null, highWatermark: null },
        status: 'queued',
      });
      await ctx.jobs.enqueue(
        'bosta.sync',
        { tenantId: scope.tenantId, mode, trigger: run.trigger, runId: run.id },
        { key: `bosta.sync:run:${run.id}`, maxAttempts: 1 },
      );
      return reply.status(202).send(run);
    },
  );

  app.get(
    '/api/v1/integrations/bosta/runs',
    {
      config: { permission: 'integrations:read' },
      schema: {
        tags: ['integrations'],
        summary: 'Sync runs, newest first',
        querystring: RunsQuery,
        response: {
          200: Type.Object({ items: Type.Array(SyncRunDto), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
        },
      },
    },
    async (request) => {
      const q = request.query as { limit?: number; cursor?: string };
      return listRuns(tenantCtx(ctx, request), BOSTA, q.limit ?? 20, q.cursor);
    },
  );

  app.get(
    '/api/v1/integrations/bosta/runs/:id',
    {
      config: { permission: 'integrations:read' },
      schema: {
        tags: ['integrations'],
        summary: 'One sync run with progress (pages, deliveries, percent, ETA)',
        params: IdParams,
        response: { 200: SyncRunDto },
      },
    },
    async (request) => {
      const run = await getRun(tenantCtx(ctx, request), (request.params as { id: number }).id);
      if (!run) throw notFound('sync_run');
      return run;
    },
  );
}
