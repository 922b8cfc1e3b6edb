import { LRUCache } from 'lru-cache';
import { SegmentedLru } from '../../tenant-runtime/segmented-lru';

/** Fills a segmented LRU with the keys given, each once, in order. */
function filled(cap: number, keys: string[]): SegmentedLru<{ name: string }> {
  const cache = new SegmentedLru<{ name: string }>(cap);
  for (const key of keys) cache.set(key, { name: key.toUpperCase() });
  return cache;
}

describe('SegmentedLru', () => {
  it('evicts an entry seen once before one asked for again, even a more recent one', () => {
    const cache = filled(4, ['a', 'b']);
    expect(cache.get('a')).toEqual({ name: 'A' });
    cache.set('c', { name: 'C' });
    expect([...cache.evictionOrder()]).toEqual(['b', 'c', 'a']);
  });

  it('keeps at most 80 % of the cap protected: past that, the least recently used goes back to probation, still held', () => {
    const cache = filled(5, ['a', 'b', 'c', 'd', 'e']);
    for (const key of ['a', 'b', 'c', 'd']) cache.get(key);
    expect([...cache.evictionOrder()]).toEqual(['e', 'a', 'b', 'c', 'd']);
    cache.get('e');
    expect([...cache.evictionOrder()]).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(cache.size).toBe(5);
    expect(cache.peek('a')).toEqual({ name: 'A' });
  });

  it('does not count a peek as a use', () => {
    const cache = filled(4, ['a', 'b']);
    for (let i = 0; i < 3; i++) expect(cache.peek('a')).toEqual({ name: 'A' });
    cache.get('b');
    expect([...cache.evictionOrder()]).toEqual(['a', 'b']);
  });

  it('finds and deletes entries in either segment', () => {
    const cache = filled(4, ['a', 'b']);
    cache.get('a');
    expect(cache.has('a') && cache.has('b')).toBe(true);
    expect(cache.keys().sort()).toEqual(['a', 'b']);
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('b')).toBe(true);
    expect(cache.delete('b')).toBe(false);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect([...cache.evictionOrder()]).toEqual([]);
  });

  it('keeps busy keys that plain LRU loses when rare keys come between their uses', () => {
    // Eight busy keys, each used twice to begin with; then each in turn, every use followed by a
    // key seen only once: sixteen keys between two uses of a busy key, more than the cap of 10.
    const busy = Array.from({ length: 8 }, (_, i) => `busy-${i}`);
    const sequence = [...busy.flatMap((key) => [key, key]), ...Array.from({ length: 2000 }, (_, i) => [busy[i % 8], `rare-${i}`]).flat()];
    const cap = 10;
    const segmented = new SegmentedLru<object>(cap);
    const plain = new LRUCache<string, object>({ max: cap });
    // Hits counted over the last thousand pairs, once the rare keys have filled the cache.
    const counted = sequence.length - 2000;
    let segmentedHits = 0;
    let plainHits = 0;
    for (const [index, key] of sequence.entries()) {
      const measured = index >= counted ? 1 : 0;
      if (segmented.get(key)) segmentedHits += measured;
      else {
        if (segmented.size >= cap) segmented.delete(segmented.evictionOrder().next().value!);
        segmented.set(key, {});
      }
      if (plain.get(key)) plainHits += measured;
      else plain.set(key, {});
    }
    expect(plainHits).toBe(0);
    expect(segmentedHits).toBe(1000);
    expect(segmented.size).toBe(cap);
  });
});
