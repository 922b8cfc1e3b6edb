/**
 * Lets the event loop run (timers, sockets, requests waiting to be read) before the caller goes
 * on. A background pass visiting tenants one after another never awaits real I/O between them
 * (the router hands a handle at once, SQLite is synchronous), so without this a pass over many
 * tenants holds the process for its whole length and every request waits for it.
 */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A background pass's visits of the tenants it found due, one after another, the event loop
 * running between two: a visit that throws is handed to `failed` (one tenant never stops the
 * others) and the pass goes on. The outcomes of the visits that ended.
 */
export async function visitInTurn<T>(
  tenantIds: string[],
  visit: (tenantId: string) => Promise<T>,
  failed: (err: unknown, tenantId: string) => void,
): Promise<T[]> {
  const outcomes: T[] = [];
  for (const [index, tenantId] of tenantIds.entries()) {
    if (index > 0) await nextTurn();
    try {
      outcomes.push(await visit(tenantId));
    } catch (err) {
      failed(err, tenantId);
    }
  }
  return outcomes;
}

/** How long a background pass works before giving the event loop a turn (when its steps are cheap). */
export const SLICE_MS = 10;

/**
 * A pass's share of the event loop when most of its steps are cheap (a roll-up's unchanged
 * tenant costs two stats): `yieldIfDue()` gives the loop a turn once the pass has held it for
 * `sliceMs` since the last turn, and costs a clock read otherwise.
 */
export class TimeSlice {
  private since = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  async yieldIfDue(): Promise<void> {
    if (performance.now() - this.since < this.sliceMs) return;
    await this.yieldNow();
  }

  async yieldNow(): Promise<void> {
    await nextTurn();
    this.since = performance.now();
  }
}
