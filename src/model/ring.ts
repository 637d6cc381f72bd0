/**
 * Bounded ring buffer: every history the model keeps is one of these, so memory stays bounded
 * regardless of uptime. Index 0 is the oldest item; negative indexes count from the newest.
 */
export class Ring<T> {
  private readonly slots: Array<T | undefined>;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Appends as the newest item; returns the oldest item it evicted, if the ring was full. */
  push(item: T): T | undefined {
    if (this.count < this.capacity) {
      this.slots[(this.head + this.count) % this.capacity] = item;
      this.count++;
      return undefined;
    }
    const evicted = this.slots[this.head];
    this.slots[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
    return evicted;
  }

  at(index: number): T | undefined {
    const i = index < 0 ? this.count + index : index;
    if (i < 0 || i >= this.count) return undefined;
    return this.slots[(this.head + i) % this.capacity];
  }

  /** Replaces the item at `index` (same indexing as `at`). */
  set(index: number, item: T): void {
    const i = index < 0 ? this.count + index : index;
    if (i < 0 || i >= this.count) throw new RangeError(`ring index ${index} out of range (size ${this.count})`);
    this.slots[(this.head + i) % this.capacity] = item;
  }

  newest(): T | undefined {
    return this.at(-1);
  }

  oldest(): T | undefined {
    return this.at(0);
  }

  clear(): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.count = 0;
  }

  /** Oldest first; `last` limits to the newest `last` items. */
  toArray(last = this.count): T[] {
    const n = Math.max(0, Math.min(last, this.count));
    const out = new Array<T>(n);
    for (let k = 0; k < n; k++) out[k] = this.slots[(this.head + this.count - n + k) % this.capacity] as T;
    return out;
  }

  /**
   * Index of the newest item whose key is <= `key`, for items pushed in non-decreasing key order
   * (e.g. time): binary search, -1 when every item is above `key`.
   */
  lastIndexAtOrBefore(key: number, keyOf: (item: T) => number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (keyOf(this.slots[(this.head + mid) % this.capacity] as T) <= key) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}
