import type { AppContext } from '../../platform/context.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { unprocessable } from '../../platform/http/errors.js';
import { type Connection, findConnection } from '../../modules/integrations/connections.repo.js';
import { BostaClient } from './client.js';

export const BOSTA = 'bosta';

/** The tenant's Bosta connection, or a 422 telling the user to configure it. */
export async function requireBostaConnection(app: AppContext, ctx: TenantCtx): Promise<Connection> {
  const c = await findConnection(ctx, app.secrets, BOSTA);
  if (!c)
    throw unprocessable('bosta_not_configured', 'Configure the Bosta connection first: PUT /api/v1/integrations/bosta');
  return c;
}

/** A client for a stored connection; the API key never leaves this process in logs. */
export function clientFor(
  app: AppContext,
  c: Connection,
  opts: { timeoutMs?: number; maxRetries?: number } = {},
): BostaClient {
  return new BostaClient({
    baseUrl: c.baseUrl,
    apiKey: c.credentials.apiKey,
    timeoutMs: opts.timeoutMs ?? 15_000,
    maxRetries: opts.maxRetries ?? 5,
    logger: app.logger,
  });
}
