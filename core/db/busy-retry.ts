/** SQLite's "another connection holds the lock" codes: SQLITE_BUSY and its extended forms, SQLITE_LOCKED. */
const BUSY_CODE = /^SQLITE_(BUSY|LOCKED)/;

/** Whether an error, or any error it was raised because of (umzug and knex wrap them), is SQLite being busy. */
export function isBusyError(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && BUSY_CODE.test(code)) return true;
  }
  return false;
}

export interface BusyRetryOptions {
  /** Waits before each retry, in ms; one retry per entry. */
  backoffMs?: number[];
  /** Told before each retry (attempt numbers start at 1). */
  onRetry?: (attempt: number, error: unknown) => void;
}

/** Three more tries after the first, over about 4 s on top of each try's own busy timeout. */
export const DEFAULT_BACKOFF_MS = [250, 1000, 2500];

/** The pause before the next try after `error` failed try `attempt` (from 0); throws `error` when it is not busy or the tries are spent. */
function pauseBeforeRetry(attempt: number, error: unknown, options: BusyRetryOptions): number {
  const backoff = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  if (attempt >= backoff.length || !isBusyError(error)) throw error;
  options.onRetry?.(attempt + 1, error);
  return backoff[attempt];
}

/**
 * Runs `fn` again, after a growing pause, while it fails because SQLite stayed busy past the
 * connection's busy timeout (a long write of another process held the lock). Any other failure,
 * and the last busy one, is thrown as it is.
 */
export async function withBusyRetry<T>(fn: () => Promise<T>, options: BusyRetryOptions = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const pause = pauseBeforeRetry(attempt, error, options);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/**
 * The same for synchronous work that has no event loop to wait on (a database opened in a
 * constructor at start-up): the thread sleeps between tries. SQLite answers some lock conflicts
 * at once, without its busy timeout, when waiting could deadlock (two connections that both read
 * want to write): switching a new file to WAL while another process starting beside this one
 * does the same is one.
 */
export function withBusyRetrySync<T>(fn: () => T, options: BusyRetryOptions = {}): T {
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pauseBeforeRetry(attempt, error, options));
    }
  }
}
