import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { bulkInsert } from './bulk.js';
import type { DialectName } from './dialect.js';
import type { DB } from './schema.js';

/**
 * A named lease in the database: at most one owner holds it until it expires, across every process on the
 * same database. Holders renew it while they work; a crashed holder's lease simply runs out.
 */
export class Lease {
  #timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
    readonly name: string,
    readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes the lease if it is free or expired; true when this owner now holds it. */
  async acquire(): Promise<boolean> {
    const now = new Date();
    const rows = await bulkInsert<{ owner: string }>(
      this.db,
      this.dialect,
      'leases',
      ['name', 'owner', 'expires_at'],
      [[this.name, this.owner, new Date(now.getTime() + this.ttlMs).toISOString()]],
      {
        conflict: ['name'],
        update: ['owner', 'expires_at'],
        updateWhere: `leases.expires_at < ${this.dialect === 'postgres' ? '?::timestamptz' : '?'} or leases.owner = excluded.owner`,
        updateWhereParams: [now.toISOString()],
        returning: ['owner'],
      },
    );
    let held = rows[0]?.owner === this.owner;
    if (!held) held = await this.#takeFromDeadLocalOwner();
    if (held) this.#startRenewing();
    return held;
  }

  /** An owner id that names this machine and process, so a crashed holder can be recognised. */
  static ownerId(): string {
    return `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
  }

  /**
   * A holder on this same machine whose process no longer exists (killed, crashed) cannot renew: take its
   * lease at once instead of waiting for it to expire. Holders on other machines are only waited out.
   */
  async #takeFromDeadLocalOwner(): Promise<boolean> {
    const cur = await this.db.selectFrom('leases').select('owner').where('name', '=', this.name).executeTakeFirst();
    if (!cur) return false;
    const [host, pid] = cur.owner.split(':');
    if (host !== hostname() || !/^\d+$/.test(pid ?? '') || Number(pid) === process.pid || processAlive(Number(pid)))
      return false;
    const r = await this.db
      .updateTable('leases')
      .set({ owner: this.owner, expires_at: new Date(Date.now() + this.ttlMs).toISOString() })
      .where('name', '=', this.name)
      .where('owner', '=', cur.owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Extends the lease; false when it was lost (expired and taken by another owner). */
  async renew(): Promise<boolean> {
    const r = await this.db
      .updateTable('leases')
      .set({ expires_at: new Date(Date.now() + this.ttlMs).toISOString() })
      .where('name', '=', this.name)
      .where('owner', '=', this.owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async release(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.db.deleteFrom('leases').where('name', '=', this.name).where('owner', '=', this.owner).execute();
  }

  #startRenewing(): void {
    if (this.#timer) return;
    this.#timer = setInterval(
      () => {
        this.renew().catch(() => undefined);
      },
      Math.max(1000, Math.floor(this.ttlMs / 3)),
    );
    this.#timer.unref();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
