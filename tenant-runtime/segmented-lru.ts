import { LRUCache } from 'lru-cache';

/** The share of the cap kept for entries asked for again since they came in (docs/decisions/042). */
const PROTECTED_SHARE = 0.8;

/**
 * A segmented LRU: an entry comes in on probation and moves to the protected segment when it is
 * asked for again. The protected segment holds at most 80 % of the cap; past that, its least
 * recently used entry goes back to the head of probation. Eviction walks probation first, from
 * its least recently used end, then the protected segment. Under skewed access (a few tenants
 * busy, most seen now and then) this keeps the busy ones where plain LRU lets a run of rare
 * ones push them out, and a sweep over every key evicts only what was on probation.
 * Keys are strings (tenant ids). It never evicts by itself: the owner bounds the size and
 * chooses the victim (a handle in use may not be closed), walking `evictionOrder()`.
 */
export class SegmentedLru<V extends object> {
  private readonly probation: LRUCache<string, V>;
  private readonly protectedEntries: LRUCache<string, V>;
  private readonly protectedMax: number;

  constructor(cap: number) {
    // max is a backstop only: the owner keeps the total within the cap.
    this.probation = new LRUCache<string, V>({ max: cap });
    this.protectedEntries = new LRUCache<string, V>({ max: cap });
    this.protectedMax = Math.floor(cap * PROTECTED_SHARE);
  }

  get size(): number {
    return this.probation.size + this.protectedEntries.size;
  }

  /** The entry, counted as a use: a second use since it came in moves it to the protected segment. */
  get(key: string): V | undefined {
    const kept = this.protectedEntries.get(key);
    if (kept !== undefined) return kept;
    const value = this.probation.peek(key);
    if (value === undefined) return undefined;
    this.probation.delete(key);
    this.protectedEntries.set(key, value);
    if (this.protectedEntries.size > this.protectedMax) this.demoteOne();
    return value;
  }

  /** The entry without counting a use. */
  peek(key: string): V | undefined {
    return this.protectedEntries.peek(key) ?? this.probation.peek(key);
  }

  has(key: string): boolean {
    return this.protectedEntries.has(key) || this.probation.has(key);
  }

  /** A new entry, on probation. */
  set(key: string, value: V): void {
    this.protectedEntries.delete(key);
    this.probation.set(key, value);
  }

  delete(key: string): boolean {
    return this.protectedEntries.delete(key) || this.probation.delete(key);
  }

  keys(): string[] {
    return [...this.protectedEntries.keys(), ...this.probation.keys()];
  }

  /** Keys from the first to evict to the last: probation, then the protected segment, each from its least recently used end. */
  *evictionOrder(): Generator<string> {
    yield* this.probation.rkeys();
    yield* this.protectedEntries.rkeys();
  }

  /** The protected segment's least recently used entry back to the head of probation (still in the cache). */
  private demoteOne(): void {
    for (const key of this.protectedEntries.rkeys()) {
      const value = this.protectedEntries.peek(key)!;
      this.protectedEntries.delete(key);
      this.probation.set(key, value);
      return;
    }
  }
}
