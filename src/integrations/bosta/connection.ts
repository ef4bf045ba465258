import type { AppContext } from '../../platform/context.js';
import type { TenantCtx } from '../../platform/db/tenant-ctx.js';
import { badRequest, unprocessable } from '../../platform/http/errors.js';
import { nonPublicHost } from '../../platform/http/public-address.js';
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

/**
 * Whether a base URL may lead to loopback, private and link-local addresses: the built-in simulator's (demo
 * mode), the operator's own `BOSTA_API_URL`, or any once `BOSTA_ALLOW_PRIVATE_URLS` is set. A base URL a tenant
 * gave through the API must otherwise lead to the public internet, or the server would send requests (with the
 * tenant's key) into its own network on the tenant's behalf.
 */
function mayDialPrivate(app: AppContext, baseUrl: string, simulator: boolean): boolean {
  return app.config.bostaAllowPrivateUrls || simulator || baseUrl === app.config.bostaApiUrl;
}

/**
 * Checks a base URL given through the API before it is stored: 400 `invalid_base_url` unless it is an http(s)
 * URL, 422 `bosta_url_not_public` when its host is not public (see `mayDialPrivate`).
 */
export function checkBaseUrl(app: AppContext, baseUrl: string): void {
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : null;
  if (!url || !['http:', 'https:'].includes(url.protocol))
    throw badRequest('invalid_base_url', 'baseUrl must be an http or https URL');
  if (mayDialPrivate(app, baseUrl, false)) return;
  const refused = nonPublicHost(url);
  if (refused) {
    const hint = 'set BOSTA_ALLOW_PRIVATE_URLS=1 to allow one (a simulator on your own network)';
    throw unprocessable('bosta_url_not_public', `baseUrl is refused: ${refused}; ${hint}`);
  }
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
    publicOnly: !mayDialPrivate(app, c.baseUrl, c.settings.simulator),
    logger: app.logger,
  });
}
