import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectionRouter } from '../../tenant-runtime/connection-router';
import { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { TenantUnavailableError } from '../../core/errors/tenant-unavailable-errors';

describe('ConnectionRouter', () => {
  let dir: string;
  let opened: TenantDatabase[];
  const open = (tenantId: string) => {
    const db = new TenantDatabase(tenantId, path.join(dir, `${tenantId}.sqlite`), { fileMustExist: false });
    opened.push(db);
    return db;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-router-'));
    opened = [];
  });
  afterEach(() => {
    for (const db of opened) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reuses an open handle and counts hits and opens', async () => {
    const router = new ConnectionRouter({ cap: 2, open });
    const a = await router.acquire('a');
    a.release();
    const again = await router.acquire('a');
    expect(again.db).toBe(a.db);
    again.release();
    expect(router.stats()).toMatchObject({ opens: 1, hits: 1, evictions: 0, open: 1, inUse: 0 });
  });

  it('evicts the least recently used idle handle among those used once, and stays within the cap', async () => {
    const router = new ConnectionRouter({ cap: 3, open });
    for (const id of ['a', 'b', 'c']) (await router.acquire(id)).release();
    (await router.acquire('a')).release(); // a is used again; of the others, b is the oldest
    const d = await router.acquire('d');
    d.release();
    expect(router.isOpen('b')).toBe(false);
    expect(['a', 'c', 'd'].every((id) => router.isOpen(id))).toBe(true);
    expect(opened.find((db) => db.tenantId === 'b')?.isOpen).toBe(false);
    expect(router.stats()).toMatchObject({ open: 3, evictions: 1 });
  });

  it('keeps the handles of tenants used again open through a sweep over many tenants seen once', async () => {
    const router = new ConnectionRouter({ cap: 10, open });
    const busy = ['b1', 'b2', 'b3', 'b4'];
    for (const id of [...busy, ...busy]) (await router.acquire(id)).release();
    const handles = busy.map((id) => opened.find((db) => db.tenantId === id));
    for (let i = 0; i < 30; i++) (await router.acquire(`sweep-${i}`)).release();
    expect(busy.every((id) => router.isOpen(id))).toBe(true);
    expect(handles.every((db) => db?.isOpen)).toBe(true);
    for (const id of busy) {
      const lease = await router.acquire(id);
      expect(handles).toContain(lease.db);
      lease.release();
    }
    expect(router.stats()).toMatchObject({ opens: 34, evictions: 24, open: 10 });
  });

  it('never closes a handle in use: it evicts an idle one instead, even if more recent', async () => {
    const router = new ConnectionRouter({ cap: 2, open });
    const busy = await router.acquire('busy'); // oldest, but in use
    (await router.acquire('idle')).release();
    const other = await router.acquire('other');
    expect(busy.db.isOpen).toBe(true);
    expect(busy.db.get('select 1 as one')).toEqual({ one: 1 });
    expect(router.isOpen('idle')).toBe(false);
    expect(router.stats().open).toBeLessThanOrEqual(2);
    busy.release();
    other.release();
  });

  it('makes a caller wait when every handle is in use, and hands over a released slot', async () => {
    const router = new ConnectionRouter({ cap: 2, open });
    const a = await router.acquire('a');
    const b = await router.acquire('b');
    let served = false;
    const waiting = router.acquire('c').then((lease) => {
      served = true;
      return lease;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(served).toBe(false);
    expect(router.stats().open).toBe(2);
    expect(a.db.isOpen && b.db.isOpen).toBe(true);
    a.release();
    const c = await waiting;
    expect(router.stats().open).toBe(2);
    expect(b.db.isOpen).toBe(true);
    expect(a.db.isOpen).toBe(false);
    b.release();
    c.release();
  });

  it('gives up with a 503 when no handle is released in time', async () => {
    const router = new ConnectionRouter({ cap: 1, open, waitTimeoutMs: 30 });
    const a = await router.acquire('a');
    await expect(router.acquire('b')).rejects.toThrow(TenantUnavailableError);
    a.release();
  });

  it('closes a suspended tenant at once when idle, and after its last request when busy', async () => {
    const router = new ConnectionRouter({ cap: 4, open });
    const idle = await router.acquire('idle');
    idle.release();
    router.closeTenant('idle');
    expect(idle.db.isOpen).toBe(false);

    const busy = await router.acquire('busy');
    router.closeTenant('busy');
    expect(router.isOpen('busy')).toBe(false);
    expect(busy.db.isOpen).toBe(true);
    busy.release();
    expect(busy.db.isOpen).toBe(false);
  });

  it('never exceeds the cap under many concurrent requests over many tenants', async () => {
    const cap = 4;
    const router = new ConnectionRouter({ cap, open });
    let peak = 0;
    await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const lease = await router.acquire(`t${i % 12}`);
        peak = Math.max(peak, opened.filter((db) => db.isOpen).length);
        await new Promise((r) => setTimeout(r, 1 + (i % 3)));
        lease.release();
      }),
    );
    expect(peak).toBeLessThanOrEqual(cap);
    expect(router.stats().inUse).toBe(0);
  });
});
