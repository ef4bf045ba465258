import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OrderInput } from '../../modules/orders/order-input.js';
import { nowIso } from '../../lib/time.js';
import type { BostaClient, BostaClientLogger } from './client.js';
import { mapDelivery } from './mapper.js';
import { deliveryToOrderInput } from './to-order-input.js';

/** One delivery of a search page, ready for ingest. */
export interface PageDelivery {
  externalId: string;
  /** The courier's update time (null when the delivery carries none). */
  updatedAt: string | null;
  input: OrderInput;
}

export interface DeliveryPage {
  deliveries: PageDelivery[];
  /** The courier's total for the search, when it gives one. */
  count: number | null;
}

/** Reads `POST /deliveries/search` pages (newest update first) as ingest inputs. */
export interface DeliveryPageReader {
  read(page: number): Promise<DeliveryPage>;
  close(): Promise<void>;
}

export interface PageReaderOptions {
  limit: number;
  sortBy: string;
  /** Decode on a worker thread when the client allows it (default); false keeps everything on this thread. */
  offThread?: boolean;
}

/** Turns a search answer into ingest inputs; the documents go as JSON text (what `order_documents` stores). */
export function toDeliveryPage(res: { deliveries: unknown[]; count?: number }, now: string): DeliveryPage {
  const deliveries = res.deliveries.map((x) => {
    const m = mapDelivery(x as Parameters<typeof mapDelivery>[0]);
    const input = deliveryToOrderInput(m, now);
    return {
      externalId: m.externalId,
      updatedAt: m.updatedAt,
      input: { ...input, raw: undefined, rawJson: JSON.stringify(x) },
    };
  });
  return { deliveries, count: typeof res.count === 'number' ? res.count : null };
}

/**
 * A page reader for a sync run. Pages are fetched, parsed and mapped on a worker thread of their own when the
 * client can be rebuilt there (no caller-supplied dispatcher): a page is ~1 MB of JSON, and decoding it on the
 * main thread took a quarter of a sync's time there, time the page transactions and the API could not use.
 * The worker's client has the same options (timeouts, retries, Retry-After, rate budget) and reports its
 * retries to the client's logger.
 */
export function openPageReader(client: BostaClient, opts: PageReaderOptions): DeliveryPageReader {
  const portable = opts.offThread === false ? null : client.portable();
  if (!portable) {
    return {
      read: async (page) =>
        toDeliveryPage(await client.searchDeliveries({ page, limit: opts.limit, sortBy: opts.sortBy }), nowIso()),
      close: async () => {},
    };
  }
  return new WorkerPageReader(portable.options, portable.logger, opts);
}

type WorkerAnswer =
  | { kind: 'page'; id: number; page: DeliveryPage }
  | { kind: 'error'; id: number; name: string; message: string }
  | { kind: 'log'; level: 'warn' | 'debug'; obj: Record<string, unknown>; msg: string };

/**
 * The thread holds one page at a time (~1 MB of JSON, a few MB parsed): a small young generation collects
 * each page as it goes instead of letting the heap grow, which would count in the process's RSS.
 */
const LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 };

/**
 * The worker's module next to this one: compiled, the `.js` file; from source (tests, `npm run dev`), the
 * `.ts` file behind a two-line bootstrap that registers tsx's loader in the new thread first.
 */
function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./page-reader.worker.js', import.meta.url), { workerData, resourceLimits: LIMITS });
  // tsx's ESM entry (its CommonJS twin cannot register hooks from a worker).
  const req = createRequire(import.meta.url);
  const manifest = req.resolve('tsx/package.json');
  const { exports } = req(manifest) as { exports: Record<string, { import: { default: string } }> };
  const tsx = new URL(exports['./esm/api'].import.default, pathToFileURL(manifest)).href;
  const entry = new URL('./page-reader.worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData, resourceLimits: LIMITS });
}

class WorkerPageReader implements DeliveryPageReader {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: (p: DeliveryPage) => void; reject: (e: Error) => void }>();
  #next = 0;
  #dead: Error | null = null;

  constructor(options: unknown, logger: BostaClientLogger | undefined, opts: PageReaderOptions) {
    this.#worker = startWorker({ options, limit: opts.limit, sortBy: opts.sortBy });
    this.#worker.on('message', (m: WorkerAnswer) => {
      if (m.kind === 'log') {
        logger?.[m.level]?.(m.obj, m.msg);
        return;
      }
      const w = this.#waiting.get(m.id);
      if (!w) return;
      this.#waiting.delete(m.id);
      if (m.kind === 'page') w.resolve(m.page);
      else w.reject(Object.assign(new Error(m.message), { name: m.name }));
    });
    const fail = (e: Error) => {
      this.#dead ??= e;
      for (const w of this.#waiting.values()) w.reject(e);
      this.#waiting.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`the Bosta page reader thread stopped (exit code ${code})`)));
  }

  read(page: number): Promise<DeliveryPage> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = ++this.#next;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ id, page });
    });
  }

  async close(): Promise<void> {
    this.#dead ??= new Error('the Bosta page reader is closed');
    await this.#worker.terminate();
  }
}
