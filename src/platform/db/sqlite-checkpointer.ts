import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background thread copies the WAL back into the database file. */
const INTERVAL_MS = 1000;
/** WAL pages (4 kB) past which the background thread also rewinds the WAL (`RESTART`): ~256 MB. */
const RESTART_PAGES = 65_536;

/**
 * The thread's code. Its own connection runs `wal_checkpoint(PASSIVE)` every second — never waiting for a
 * writer or reader — and a `RESTART` (which may wait out `busy_timeout`) once the WAL has grown large, so
 * the file cannot grow without bound under constant reads.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 0');
db.pragma('cache_size = -256');
let timer = null;
const tick = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r && r.log >= workerData.restartPages) db.pragma('wal_checkpoint(RESTART)');
  } catch {}
  timer = setTimeout(tick, workerData.intervalMs);
};
timer = setTimeout(tick, workerData.intervalMs);
parentPort.on('message', () => {
  clearTimeout(timer);
  try { db.close(); } catch {}
  parentPort.close();
});
`;

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread, so that copying committed pages back into the
 * database file (and its fsync) happens beside the main thread instead of inside whichever commit crossed
 * the threshold. The main connection keeps a high `wal_autocheckpoint` as a safety net.
 */
export class SqliteCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  constructor(file: string) {
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file,
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        intervalMs: INTERVAL_MS,
        restartPages: RESTART_PAGES,
      },
      // The thread runs a pragma a second: a small heap (and page cache, above) keeps it from costing RSS.
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
    });
    // Never keeps a process alive, and a failure of the thread only leaves checkpoints to the safety net.
    this.#worker.unref();
    this.#worker.on('error', () => undefined);
    this.#exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
  }

  /** Stops the thread (closing its connection); resolves once it is gone. */
  async close(): Promise<void> {
    this.#worker.postMessage('close');
    const timer = setTimeout(() => void this.#worker.terminate(), 2000);
    await this.#exited;
    clearTimeout(timer);
  }
}
