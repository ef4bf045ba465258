import { Type } from 'typebox';
import { PageQuery, Strict } from '../../platform/http/schema.js';

export const BostaConnectionBody = Strict({
  apiKey: Type.String({
    minLength: 8,
    maxLength: 500,
    description: 'Bosta business API key (sent raw in Authorization)',
  }),
  baseUrl: Type.Optional(
    Type.String({ format: 'uri', maxLength: 500, description: 'Default https://app.bosta.co/api/v2' }),
  ),
  webhookSecret: Type.Optional(
    Type.String({ minLength: 16, maxLength: 200, description: 'Value Bosta sends in the webhook header' }),
  ),
  webhookHeader: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', description: 'Name of that header' })),
  syncIntervalMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 10, maximum: 200 })),
});

export const SyncRunDto = Type.Object(
  {
    id: Type.Integer(),
    provider: Type.String(),
    mode: Type.String(),
    trigger: Type.String(),
    status: Type.String(),
    pagesDone: Type.Integer(),
    pagesTotal: Type.Union([Type.Integer(), Type.Null()]),
    deliveriesTotal: Type.Union([Type.Integer(), Type.Null()]),
    deliveriesSeen: Type.Integer(),
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    percent: Type.Union([Type.Integer(), Type.Null()]),
    etaSeconds: Type.Union([Type.Integer(), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
    startedAt: Type.String(),
    heartbeatAt: Type.String(),
    finishedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'SyncRun' },
);

export const BostaStatusDto = Type.Object({
  configured: Type.Boolean(),
  baseUrl: Type.Union([Type.String(), Type.Null()]),
  simulator: Type.Boolean(),
  hasWebhookSecret: Type.Boolean(),
  webhookHeader: Type.Union([Type.String(), Type.Null()]),
  webhookPath: Type.String({ description: 'Where to point Bosta’s webhook (append to this server’s public URL)' }),
  syncIntervalMinutes: Type.Union([Type.Integer(), Type.Null()]),
  watermark: Type.Union([Type.String(), Type.Null()]),
  lastRun: Type.Union([SyncRunDto, Type.Null()]),
});

export const SyncBody = Strict({
  mode: Type.Optional(Type.Union([Type.Literal('incremental'), Type.Literal('full')], { default: 'incremental' })),
});

export const RunsQuery = Strict({ ...PageQuery });
