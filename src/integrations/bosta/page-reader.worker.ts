/**
 * The worker thread of `page-reader.ts`: its own Bosta client (same options as the sync's) fetches, parses and
 * maps one search page per request and posts the ingest inputs back. Retries happen here; a page that still
 * fails is answered with the error's name and message, which end the run as its reason.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { nowIso } from '../../lib/time.js';
import { BostaClient, type BostaClientOptions } from './client.js';
import { toDeliveryPage } from './page-reader.js';

const port = parentPort;
if (!port) throw new Error('page-reader.worker runs as a worker thread only');
const { options, limit, sortBy } = workerData as { options: BostaClientOptions; limit: number; sortBy: string };

const client = new BostaClient({
  ...options,
  logger: {
    warn: (obj, msg) => port.postMessage({ kind: 'log', level: 'warn', obj: plain(obj), msg }),
    debug: (obj, msg) => port.postMessage({ kind: 'log', level: 'debug', obj: plain(obj), msg }),
  },
});

/** Log fields as data that crosses threads (errors become their message). */
function plain(obj: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(obj, (_k, v) => (v instanceof Error ? v.message : v)));
}

port.on('message', async ({ id, page }: { id: number; page: number }) => {
  try {
    const res = await client.searchDeliveries({ page, limit, sortBy });
    port.postMessage({ kind: 'page', id, page: toDeliveryPage(res, nowIso()) });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ kind: 'error', id, name: err.name, message: err.message });
  }
});
