import { msg } from '../core/i18n/message';
import { TenantUnavailableError } from '../core/errors/tenant-unavailable-errors';
import type { TenantDatabase } from './tenant-database';
import { SegmentedLru } from './segmented-lru';

export interface Lease {
  readonly db: TenantDatabase;
  /** May be handed on as it is (`res.on('close', lease.release)`) and called more than once. */
  readonly release: () => void;
}

export interface RouterStats {
  opens: number;
  hits: number;
  evictions: number;
  open: number;
  inUse: number;
  waits: number;
}

export interface ConnectionRouterOptions {
  cap: number;
  /** Opens a tenant's database (with its checks); called on a cache miss only. */
  open: (tenantId: string) => TenantDatabase;
  /** How long a request waits for a free slot when every open handle is in use. */
  waitTimeoutMs?: number;
}

interface Entry {
  db: TenantDatabase;
  users: number;
  /** Closed as soon as its last user releases it (tenant suspended or deleted while in use). */
  doomed: boolean;
  /** Told when a doomed entry is finally closed. */
  onClosed?: Array<() => void>;
}

/**
 * A bounded cache of open tenant databases (a segmented LRU: a tenant asked for again is kept
 * ahead of one seen once, docs/decisions/042). A handle in use is never closed: eviction picks
 * the first idle handle in the cache's eviction order, and when every handle is busy the caller
 * waits for one.
 */
export class ConnectionRouter {
  private readonly cache: SegmentedLru<Entry>;
  private readonly cap: number;
  private readonly openDb: (tenantId: string) => TenantDatabase;
  private readonly waitTimeoutMs: number;
  private readonly waiters: Array<() => void> = [];
  private readonly counters = { opens: 0, hits: 0, evictions: 0, waits: 0 };
  private inUse = 0;
  /** Handles closed while in use, until their last request releases them. */
  private readonly doomedEntries = new Map<string, Entry>();

  constructor(options: ConnectionRouterOptions) {
    this.cap = options.cap;
    this.openDb = options.open;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 5000;
    this.cache = new SegmentedLru<Entry>(options.cap);
  }

  /** Hands out the tenant's database; the caller must release() when done. */
  async acquire(tenantId: string): Promise<Lease> {
    for (;;) {
      const lease = this.tryAcquire(tenantId);
      if (lease) return lease;
      await this.waitForRelease();
    }
  }

  /** Synchronous fast path: a lease, or null when every slot is held by a request. */
  tryAcquire(tenantId: string): Lease | null {
    let entry = this.cache.get(tenantId);
    if (entry) {
      this.counters.hits++;
    } else {
      if (this.cache.size >= this.cap && !this.evictOneIdle()) return null;
      entry = { db: this.openDb(tenantId), users: 0, doomed: false };
      this.counters.opens++;
      this.cache.set(tenantId, entry);
    }
    return this.lease(entry);
  }

  /** Closes a tenant's handle now, or as soon as the request using it is done; later acquires reopen. */
  closeTenant(tenantId: string): void {
    const entry = this.cache.peek(tenantId);
    if (!entry) return;
    this.cache.delete(tenantId);
    if (entry.users === 0) entry.db.close();
    else {
      entry.doomed = true;
      this.doomedEntries.set(tenantId, entry);
    }
    this.wakeOne();
  }

  /**
   * Closes the tenant's handle and resolves once it is really closed: at once when idle,
   * otherwise when the last request using it releases it. Before moving a tenant's files.
   */
  closeTenantAndWait(tenantId: string): Promise<void> {
    const entry = this.cache.peek(tenantId) ?? this.doomedEntries.get(tenantId);
    this.closeTenant(tenantId);
    if (!entry || !entry.db.isOpen) return Promise.resolve();
    return new Promise((resolve) => (entry.onClosed ??= []).push(resolve));
  }

  closeAll(): void {
    for (const tenantId of this.cache.keys()) this.closeTenant(tenantId);
  }

  /** The tenants whose handle is open now (those closed while in use are not listed). */
  openTenantIds(): string[] {
    return this.cache.keys();
  }

  isOpen(tenantId: string): boolean {
    return this.cache.has(tenantId);
  }

  stats(): RouterStats {
    return { ...this.counters, open: this.cache.size, inUse: this.inUse };
  }

  private lease(entry: Entry): Lease {
    entry.users++;
    this.inUse++;
    return new RouterLease(entry, this.ended);
  }

  /** A lease given back (once): the handle is closed if it was doomed meanwhile, and a waiter woken. */
  private readonly ended = (entry: Entry): void => {
    entry.users--;
    this.inUse--;
    if (entry.users === 0 && entry.doomed) {
      entry.db.close();
      if (this.doomedEntries.get(entry.db.tenantId) === entry) this.doomedEntries.delete(entry.db.tenantId);
      for (const told of entry.onClosed?.splice(0) ?? []) told();
    }
    this.wakeOne();
  };

  private evictOneIdle(): boolean {
    for (const tenantId of this.cache.evictionOrder()) {
      const entry = this.cache.peek(tenantId);
      if (entry && entry.users === 0) {
        this.cache.delete(tenantId);
        entry.db.close();
        this.counters.evictions++;
        return true;
      }
    }
    return false;
  }

  private waitForRelease(): Promise<void> {
    this.counters.waits++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(wake);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new TenantUnavailableError(msg('The server is busy; every tenant connection is in use. Try again shortly.')));
      }, this.waitTimeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(wake);
    });
  }

  private wakeOne(): void {
    const wake = this.waiters.shift();
    if (wake) wake();
  }
}

/** One request's hold on an open handle; `release` may be handed on as it is and called more than once. */
class RouterLease implements Lease {
  /** Bound once per lease (a closure declared per lease also gets its name defined). */
  readonly release: () => void = this.giveBack.bind(this);
  private released = false;

  constructor(
    private readonly entry: Entry,
    private readonly ended: (entry: Entry) => void,
  ) {}

  get db(): TenantDatabase {
    return this.entry.db;
  }

  private giveBack(): void {
    if (this.released) return;
    this.released = true;
    this.ended(this.entry);
  }
}
