import { sql } from 'kysely';
import type { TestApp } from '../support/app.js';
import { BostaClient } from '../../src/integrations/bosta/client.js';
import { type RunningBostaSimulator, startBostaSimulator } from '../../src/integrations/bosta/simulator/server.js';
import { DEFAULT_CONNECTION_SETTINGS, saveConnection } from '../../src/modules/integrations/connections.repo.js';
import type { TenantCtx } from '../../src/platform/db/tenant-ctx.js';

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

/** A simulator on 127.0.0.1 and tenant A connected to it. */
export async function connectSimulator(
  t: TestApp,
  opts: Parameters<typeof startBostaSimulator>[0] = {},
): Promise<RunningBostaSimulator> {
  const sim = await startBostaSimulator({ seed: 7, ...opts });
  await saveConnection(t.tenantA.ctx, t.ctx.secrets, 'bosta', {
    baseUrl: sim.url,
    credentials: { apiKey: sim.apiKey, webhookSecret: WEBHOOK_SECRET },
    settings: { ...DEFAULT_CONNECTION_SETTINGS, simulator: true },
  });
  return sim;
}

/** A client tuned for tests: short timeouts and backoffs, same retry logic as production. */
export function fastClient(sim: RunningBostaSimulator): BostaClient {
  return new BostaClient({
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    timeoutMs: 400,
    maxRetries: 8,
    retryBaseMs: 5,
    retryMaxMs: 100,
    maxTotalWaitMs: 20_000,
  });
}

/** What the database holds, in the shape of the simulator's truth. */
export async function storedTruth(ctx: TenantCtx) {
  const rows = await ctx.db
    .selectFrom('orders')
    .select(['state_code', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('cod_minor').as('cod')])
    .where('tenant_id', '=', ctx.tenantId)
    .where('source', '=', 'bosta')
    .groupBy('state_code')
    .execute();
  const byState: Record<string, number> = {};
  const codMinorByState: Record<string, number> = {};
  let count = 0;
  for (const r of rows) {
    byState[String(r.state_code)] = Number(r.n);
    codMinorByState[String(r.state_code)] = Number(r.cod);
    count += Number(r.n);
  }
  const dup = await sql<{
    n: number;
  }>`select count(*) as n from (select external_id from orders where tenant_id = ${ctx.tenantId} group by source, external_id having count(*) > 1) d`.execute(
    ctx.db,
  );
  const dupTimeline = await sql<{
    n: number;
  }>`select count(*) as n from (select order_id from order_timeline where tenant_id = ${ctx.tenantId} group by order_id, state_code, at having count(*) > 1) d`.execute(
    ctx.db,
  );
  return {
    count,
    byState,
    codMinorByState,
    duplicates: Number(dup.rows[0].n),
    timelineDuplicates: Number(dupTimeline.rows[0].n),
  };
}

/** The simulator's truth without its zero entries, for exact comparison. */
export function simTruth(sim: RunningBostaSimulator) {
  const t = sim.control.truth();
  const nonZero = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0));
  return { count: t.count, byState: nonZero(t.byState), codMinorByState: t.codMinorByState };
}

export function codByStateOf(byState: Record<string, number>, cod: Record<string, number>) {
  return Object.fromEntries(Object.keys(byState).map((k) => [k, cod[k] ?? 0]));
}
