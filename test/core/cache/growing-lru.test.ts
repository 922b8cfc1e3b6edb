import { growingLru } from '../../../core/cache/growing-lru';

describe('growingLru', () => {
  it('holds at most its bound, letting the least recently used entry go first', () => {
    const cache = growingLru<string, number>(3);
    cache.set('a', 1).set('b', 2).set('c', 3);
    cache.get('a');
    cache.set('d', 4);

    expect([...cache.keys()].sort()).toEqual(['a', 'c', 'd']);
    expect(cache.size).toBe(3);
  });

  it('tells its dispose hook of each entry that leaves', () => {
    const gone: string[] = [];
    const cache = growingLru<string, number>(2, { dispose: (_value, key) => gone.push(key) });
    cache.set('a', 1).set('b', 2).set('c', 3);
    cache.delete('b');

    expect(gone).toEqual(['a', 'b']);
  });

  it('sets out no memory for entries it does not hold yet', () => {
    const before = process.memoryUsage().heapUsed;
    const caches = Array.from({ length: 4 }, () => growingLru<string, number>(1_000_000));
    caches.forEach((cache, i) => cache.set(`key-${i}`, i));
    const grown = process.memoryUsage().heapUsed - before;

    // Four caches set out for a million entries each would take well over 30 MB.
    expect(grown).toBeLessThan(4 * 1024 * 1024);
  });
});
