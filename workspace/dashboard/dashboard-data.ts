import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { ItemHistory, type HistoryRow } from '../items/item-history';
import { ItemRepository, type ItemRow } from '../items/item-repository';
import { ITEM_STATUSES, type ItemStatus } from '../workflow/item-status';
import { zonedClock, type ZonedClock } from '../../core/time/zoned-clock';

export const AGENDA_DAYS = 14;
const DAY = 24 * 3600 * 1000;

/**
 * Where the agenda ends: the start of the day AGENDA_DAYS after today, in the workspace's zone, so
 * it holds today and the 13 days after it (a rolling 336 hours would reach into a fifteenth).
 */
function agendaEnd(clock: ZonedClock, now: number): number {
  const [year, month, day] = clock.day(now).split('-').map(Number);
  const last = new Date(Date.UTC(year, month - 1, day + AGENDA_DAYS)).toISOString().slice(0, 10);
  // A zone whose clocks skip midnight that day starts it an hour later.
  return clock.parse(`${last} 00:00`) ?? clock.parse(`${last} 01:00`) ?? now + AGENDA_DAYS * DAY;
}

export interface AgendaDay {
  /** `2025-03-01`, in the workspace's time zone */
  day: string;
  items: ItemRow[];
}

export interface Dashboard {
  counts: Array<{ status: ItemStatus; count: number }>;
  total: number;
  agenda: AgendaDay[];
  activity: Array<HistoryRow & { title: string }>;
}

/**
 * The workspace home: how many items in each state, what goes out in the next two weeks
 * (scheduled items, and planned times of items still in the workflow), and the latest history.
 */
export function dashboardData(db: TenantDatabase, clock: ZonedClock = zonedClock('UTC'), now = Date.now()): Dashboard {
  const byStatus = new ItemRepository(db).countByStatus();
  const counts = ITEM_STATUSES.map((status) => ({ status, count: byStatus[status] ?? 0 }));
  const upcoming = db.all<ItemRow>(
    "select * from items where scheduled_at >= ? and scheduled_at < ? and status not in ('published', 'archived') order by scheduled_at, id limit 200",
    [now, agendaEnd(clock, now)],
  );
  const agenda: AgendaDay[] = [];
  for (const item of upcoming) {
    const day = clock.day(item.scheduled_at as number);
    const last = agenda[agenda.length - 1];
    if (last?.day === day) last.items.push(item);
    else agenda.push({ day, items: [item] });
  }
  // Every item counts in the total, as the items list it links to shows them all: a status the code
  // does not know (a file edited by hand) has no card of its own, but its items are still there.
  const total = Object.values(byStatus).reduce((n, count) => n + count, 0);
  return { counts, total, agenda, activity: new ItemHistory(db).recent(10) };
}
