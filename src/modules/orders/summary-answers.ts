import type { TenantCtx } from '../../platform/db/tenant-ctx.js';

/**
 * Answers computed from a tenant's order summaries, kept per process while the tenant's summary version has
 * not moved. Every write to the summaries moves the version in its own transaction (`bumpSummaryVersion`), so
 * a kept answer is served only while it is exactly what a fresh computation would give, whichever process
 * wrote. Dashboards ask the same analytics over and over; between two sync pages the answer is one read of the
 * version and a string copied to the socket.
 */

/** Moves the tenant's summary version: call inside the transaction that writes its summaries. */
export async function bumpSummaryVersion(ctx: TenantCtx): Promise<void> {
  await ctx.db
    .insertInto('order_summary_versions')
    .values({ tenant_id: ctx.tenantId, version: 1 })
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet((eb) => ({ version: eb('order_summary_versions.version', '+', 1) })),
    )
    .execute();
}

/** The tenant's summary version (0 before its first summary write). */
export async function summaryVersion(ctx: TenantCtx): Promise<number> {
  const r = await ctx.db
    .selectFrom('order_summary_versions')
    .select('version')
    .where('tenant_id', '=', ctx.tenantId)
    .executeTakeFirst();
  return r ? Number(r.version) : 0;
}

/** Bytes of answers kept per database. */
const MAX_BYTES = 32 * 1024 * 1024;

class AnswerCache {
  readonly #entries = new Map<string, { version: number; body: Buffer }>();
  #bytes = 0;

  get(key: string, version: number): Buffer | undefined {
    const e = this.#entries.get(key);
    if (!e || e.version !== version) return undefined;
    // Most recently used last: the first entry is the one to evict.
    this.#entries.delete(key);
    this.#entries.set(key, e);
    return e.body;
  }

  set(key: string, version: number, body: Buffer): void {
    const size = body.length;
    if (size > MAX_BYTES / 4) return;
    this.#drop(key);
    while (this.#bytes + size > MAX_BYTES) this.#drop(this.#entries.keys().next().value as string);
    this.#entries.set(key, { version, body });
    this.#bytes += size;
  }

  #drop(key: string): void {
    const e = this.#entries.get(key);
    if (!e) return;
    this.#entries.delete(key);
    this.#bytes -= e.body.length;
  }
}

/** One cache per database handle: two apps in one process (tests) never see each other's tenants. */
const caches = new WeakMap<object, AnswerCache>();

/**
 * The answer for `key` (the question, with every input that shapes it) of this tenant, as UTF-8 bytes ready for
 * the socket (no re-encoding, no length count per request): kept if its version is current, else computed by
 * `compute` and kept. The version is read before computing, so an answer computed while a writer commits is kept
 * under the older version and recomputed on the next ask.
 */
export async function summaryAnswer(ctx: TenantCtx, key: string, compute: () => Promise<string>): Promise<Buffer> {
  const version = await summaryVersion(ctx);
  let cache = caches.get(ctx.db);
  if (!cache) {
    cache = new AnswerCache();
    caches.set(ctx.db, cache);
  }
  const k = `${ctx.tenantId}\u0000${key}`;
  const kept = cache.get(k, version);
  if (kept !== undefined) return kept;
  const body = Buffer.from(await compute());
  cache.set(k, version, body);
  return body;
}
