/**
 * Order of deliveries by `updatedAt`, newest first, that stays cheap while data changes during a sync.
 *
 * A base array is sorted once (lazily). Every later change gives the delivery the newest `updatedAt` (the
 * simulator's clock is monotonic), so changed deliveries simply move to a "head" list in change order and are
 * marked removed in the base; a Fenwick tree over the base finds the k-th remaining entry in O(log n). When the
 * head grows large the two are merged back into a new base in O(n), without sorting again.
 */
export class UpdatedIndex {
  private base: Uint32Array = new Uint32Array(0);
  private baseLen = 0;
  private posInBase = new Int32Array(0);
  private removed = new Uint8Array(0);
  private tree = new Int32Array(1);
  private alive = 0;
  private head: number[] = [];
  private headPos = new Map<number, number>();
  private headStale = 0;
  private built = false;

  constructor(private readonly updatedAt: () => Float64Array) {}

  /** Forgets everything; the next read sorts `count` slots again. */
  reset(): void {
    this.built = false;
    this.head = [];
    this.headPos.clear();
    this.headStale = 0;
  }

  /** Slots 0..count-1 that are visible; called lazily by reads. */
  build(count: number, visible: (slot: number) => boolean): void {
    const upd = this.updatedAt();
    const order: number[] = [];
    for (let i = 0; i < count; i++) if (visible(i)) order.push(i);
    const base = Uint32Array.from(order);
    base.sort((a, b) => upd[b] - upd[a] || a - b);
    this.install(base, count);
    this.head = [];
    this.headPos.clear();
    this.headStale = 0;
    this.built = true;
  }

  get isBuilt(): boolean {
    return this.built;
  }

  get size(): number {
    return this.alive + this.head.length - this.headStale;
  }

  /** The slot now carries the newest `updatedAt` (changed or added). */
  touch(slot: number): void {
    if (!this.built) return;
    this.dropFromBase(slot);
    this.dropFromHead(slot);
    this.headPos.set(slot, this.head.length);
    this.head.push(slot);
    if (this.head.length > Math.max(4096, this.baseLen >> 4)) this.merge();
  }

  /** The slot disappears from listings (terminated with `disappear`). */
  remove(slot: number): void {
    if (!this.built) return;
    this.dropFromBase(slot);
    this.dropFromHead(slot);
  }

  /** Slots from position `offset` (0 = newest) for `limit` entries, newest first. */
  sliceDesc(offset: number, limit: number): number[] {
    this.compactHead();
    const out: number[] = [];
    const headCount = this.head.length;
    let k = offset;
    while (out.length < limit && k < headCount) out.push(this.head[headCount - 1 - k++]);
    if (out.length >= limit) return out;
    const rank = k - headCount;
    if (rank >= this.alive) return out;
    let pos = this.findAlive(rank);
    while (out.length < limit && pos < this.baseLen) {
      if (!this.removed[pos]) out.push(this.base[pos]);
      pos++;
    }
    return out;
  }

  /** Slots oldest first from position `offset` (0 = oldest). */
  sliceAsc(offset: number, limit: number): number[] {
    const total = this.size;
    const end = Math.max(0, total - offset);
    const start = Math.max(0, end - limit);
    return this.sliceDesc(start, end - start).reverse();
  }

  /** Calls `fn` for every slot, newest first, until it returns false. */
  forEachDesc(fn: (slot: number) => boolean | undefined): void {
    this.compactHead();
    for (let k = this.head.length - 1; k >= 0; k--) if (fn(this.head[k]) === false) return;
    for (let pos = 0; pos < this.baseLen; pos++) if (!this.removed[pos] && fn(this.base[pos]) === false) return;
  }

  private install(base: Uint32Array, slotCount: number): void {
    this.base = base;
    this.baseLen = base.length;
    this.removed = new Uint8Array(this.baseLen);
    this.posInBase = new Int32Array(Math.max(slotCount, 1)).fill(-1);
    for (let p = 0; p < this.baseLen; p++) this.posInBase[base[p]] = p;
    // Fenwick tree with every position alive: node i covers (i - lowbit(i), i].
    this.tree = new Int32Array(this.baseLen + 1);
    for (let i = 1; i <= this.baseLen; i++) this.tree[i] = i & -i;
    this.alive = this.baseLen;
  }

  private dropFromBase(slot: number): void {
    const pos = slot < this.posInBase.length ? this.posInBase[slot] : -1;
    if (pos < 0 || this.removed[pos]) return;
    this.removed[pos] = 1;
    this.alive--;
    for (let i = pos + 1; i <= this.baseLen; i += i & -i) this.tree[i]--;
  }

  private dropFromHead(slot: number): void {
    const at = this.headPos.get(slot);
    if (at === undefined) return;
    this.head[at] = -1;
    this.headPos.delete(slot);
    this.headStale++;
  }

  private compactHead(): void {
    if (this.headStale === 0) return;
    const head = this.head.filter((s) => s >= 0);
    this.head = head;
    this.headPos.clear();
    for (let k = 0; k < head.length; k++) this.headPos.set(head[k], k);
    this.headStale = 0;
  }

  /** Base position of the alive entry with the given 0-based rank. */
  private findAlive(rank: number): number {
    let pos = 0;
    let remaining = rank + 1;
    let step = 1;
    while (step * 2 <= this.baseLen) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.baseLen && this.tree[next] < remaining) {
        pos = next;
        remaining -= this.tree[next];
      }
    }
    return pos; // 1-based `pos + 1` is the answer, i.e. 0-based `pos`
  }

  /** Merges head (newest) and the alive base into a new base; O(n), no sort. */
  private merge(): void {
    this.compactHead();
    const merged = new Uint32Array(this.size);
    let w = 0;
    for (let k = this.head.length - 1; k >= 0; k--) merged[w++] = this.head[k];
    for (let pos = 0; pos < this.baseLen; pos++) if (!this.removed[pos]) merged[w++] = this.base[pos];
    let maxSlot = this.posInBase.length;
    for (const s of this.head) if (s + 1 > maxSlot) maxSlot = s + 1;
    this.install(merged, maxSlot * 2);
    this.head = [];
    this.headPos.clear();
    this.headStale = 0;
  }
}
