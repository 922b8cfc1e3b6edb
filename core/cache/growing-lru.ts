import { LRUCache } from 'lru-cache';

/** What lru-cache takes as a key or a value: anything but null and undefined. */
type Present = NonNullable<unknown>;
type GrowingOptions<K extends Present, V extends Present> = Pick<LRUCache.OptionsBase<K, V, unknown>, 'dispose'>;

/**
 * A least-recently-used cache of at most `bound` entries whose memory follows what it holds.
 * Bounded by `max`, lru-cache sets out its index arrays for the whole bound at once: about 38 ms
 * and several megabytes for the control plane's caches, paid by every app made and every command
 * run, however few tenants the deployment has. Counted one per entry against `maxSize` instead,
 * they grow as entries come in; reads cost the same, and the bound and eviction order are the same.
 */
export function growingLru<K extends Present, V extends Present>(bound: number, options: GrowingOptions<K, V> = {}): LRUCache<K, V> {
  return new LRUCache<K, V>({ ...options, maxSize: bound, sizeCalculation: () => 1 });
}
