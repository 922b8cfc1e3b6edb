import { msg } from '../../core/i18n/message';
import type { WorkspaceServices } from '../workspace-services';
import { ItemHistory, SCHEDULER_ACTOR } from '../items/item-history';
import type { ItemRow } from '../items/item-repository';
import { ItemRepository } from '../items/item-repository';
import { findTransition } from '../workflow/transition-table';
import { itemEventData } from '../workflow/transition-item';
import { queueEvent } from '../webhooks/webhook-outbox';
import { nextUtcDay, recordUsage, usedInPeriod } from '../usage/usage-meter';
import { utcDay } from '../../core/time/utc-time';
import { BOUND_LIMIT } from '../../core/db/sql-limit';
import { pausePoint } from '../../core/process/pause-point';

/** One job: publish what is due in one tenant. It carries its tenant id and touches no other. */
export interface PublishJob {
  tenantId: string;
  now: number;
  /** Items published per write transaction at most (200 unless told); the event loop runs between batches. */
  batchSize?: number;
}

const BATCH_SIZE = 200;

export type PublishOutcome = { tenantId: string; skipped: 'not-active' } | { tenantId: string; published: number[] };

const PUBLISH = findTransition('publish', 'scheduled');

/**
 * Re-reads the tenant's status (it may have been suspended since the hint was written), then
 * leases that tenant's handle from the router (and reads the status again once it has it),
 * publishes its due items in batches, each one write transaction (the item's status, its usage,
 * history, webhook event and the dispatcher's hint written before the commit), releases the handle, and moves the hint to its next
 * scheduled item. Between batches the event loop runs (requests, other tenants' writers in other
 * processes take the lock), and every batch reads afresh what is still scheduled and due: an item
 * unscheduled, edited to a later time or published by another process meanwhile is left alone.
 * A tenant that stops being active between batches is left with the rest for after it is back.
 */
export async function publishDueItems(platform: WorkspaceServices, job: PublishJob): Promise<PublishOutcome> {
  const tenant = platform.tenants.findById(job.tenantId);
  // A suspended tenant keeps its hint: its items go out after it is resumed.
  if (!tenant || tenant.status !== 'active') return { tenantId: job.tenantId, skipped: 'not-active' };
  if (!PUBLISH) throw new Error('the transition table lost scheduled -> published');
  const lease = await platform.router.acquire(job.tenantId);
  try {
    // The lease may have waited for a free handle: a tenant suspended or archived meanwhile is
    // skipped as if it had been then (nothing is published into an archived tenant's file), and
    // the handle this opened is closed again once released, as its status change closed the last.
    if (platform.tenants.findById(job.tenantId)?.status !== 'active') {
      platform.router.closeTenant(job.tenantId);
      return { tenantId: job.tenantId, skipped: 'not-active' };
    }
    const db = lease.db;
    if (db.tenantId !== job.tenantId) throw new Error(`router handed ${db.tenantId} for ${job.tenantId}`);
    const repo = new ItemRepository(db);
    const history = new ItemHistory(db);
    let held = false;
    const at = new Date(job.now);
    const limit = platform.planBook.entitlementsOf(job.tenantId).limits.items_published_per_day;
    const batchSize = Math.max(1, job.batchSize ?? BATCH_SIZE);
    const published: number[] = [];
    // Where the last batch stopped, in the order items are published: an item held back by the
    // day's limit stays scheduled and due, and is not read again by the next batch of this visit.
    let after = { at: Number.MIN_SAFE_INTEGER, id: 0 };
    for (;;) {
      const batch = db.write(() => {
        const due = db.all<ItemRow>(
          `select * from items where status = 'scheduled' and scheduled_at <= ? and (scheduled_at, id) > (?, ?) order by scheduled_at, id ${BOUND_LIMIT}`,
          [job.now, after.at, after.id, batchSize],
        );
        const done: number[] = [];
        let queued = 0;
        // The plan's items published per day. An item due since an earlier day (the server was down,
        // the tenant suspended) counts on the day it was planned for while that day has room: a
        // catch-up publishes what each day allowed, instead of filling today and pushing today's
        // items, and every day's after them, to later days. Past the room of its day and of today,
        // it stays scheduled until the next UTC day. The rooms are read in each batch's
        // transaction: another process may have published in between.
        const today = utcDay(at);
        const rooms = new Map<string, number>();
        const roomOn = (when: Date): number => {
          const day = utcDay(when);
          if (!rooms.has(day)) rooms.set(day, limit === null ? Infinity : limit - usedInPeriod(db, 'items_published', 'day', { at: when }));
          return rooms.get(day) as number;
        };
        for (const item of due) {
          const planned = new Date(item.scheduled_at as number);
          const countOn = utcDay(planned) < today && roomOn(planned) > 0 ? planned : at;
          if (roomOn(countOn) <= 0) {
            held = true;
            continue;
          }
          if (!repo.setStatus(item.id, PUBLISH.from, PUBLISH.to, { publishedAt: job.now })) continue;
          recordUsage(db, 'items_published', 1, { at: countOn });
          rooms.set(utcDay(countOn), roomOn(countOn) - 1);
          history.record({
            itemId: item.id,
            action: 'publish',
            from: PUBLISH.from,
            to: PUBLISH.to,
            actor: SCHEDULER_ACTOR,
            detail: msg('Published on schedule'),
          });
          const data = itemEventData(item, PUBLISH.to, { scheduledAt: item.scheduled_at, publishedAt: job.now }, SCHEDULER_ACTOR, 'Published on schedule');
          queued += queueEvent(db, 'item.published', data, job.now);
          done.push(item.id);
        }
        // Before the batch commits: an early hint costs the dispatcher a visit, a missing one would
        // leave these deliveries waiting for the tenant's next event had the process died after the commit.
        if (queued) platform.webhookHints.noteDue(job.tenantId, job.now);
        const last = due[due.length - 1];
        return { done, read: due.length, last: last ? { at: last.scheduled_at as number, id: last.id } : null };
      });
      pausePoint('publish:batch-committed');
      published.push(...batch.done);
      if (batch.read < batchSize || !batch.last) break;
      after = batch.last;
      await new Promise<void>((resolve) => setImmediate(resolve));
      // Suspended, archived or taken offline meanwhile: the rest waits, and so does the hint.
      if (platform.tenants.findById(job.tenantId)?.status !== 'active') return { tenantId: job.tenantId, published };
    }
    const earliest = db.get<{ at: number | null }>("select min(scheduled_at) as at from items where status = 'scheduled'")?.at ?? null;
    // Held back by the limit: come back when the next day's allowance starts, not at every pass.
    const next = held && earliest !== null ? Math.max(earliest, nextUtcDay(job.now)) : earliest;
    // No await between reading `next` and writing the hint: a request scheduling an item in
    // this process cannot slip in between and have its earlier time overwritten.
    platform.scheduleHints.replace(job.tenantId, next);
    return { tenantId: job.tenantId, published };
  } finally {
    lease.release();
  }
}
