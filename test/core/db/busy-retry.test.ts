import BetterSqlite3 from 'better-sqlite3';
import { isBusyError, withBusyRetry, withBusyRetrySync } from '../../../core/db/busy-retry';

const busy = () => new BetterSqlite3.SqliteError('database is locked', 'SQLITE_BUSY');

describe('withBusyRetry', () => {
  it('tries again after each pause while SQLite stays busy, then succeeds', async () => {
    let calls = 0;
    const retries: number[] = [];
    const result = await withBusyRetry(
      async () => {
        if (++calls < 3) throw busy();
        return 'done';
      },
      { backoffMs: [1, 1, 1], onRetry: (attempt) => retries.push(attempt) },
    );
    expect(result).toBe('done');
    expect(retries).toEqual([1, 2]);
  });

  it('gives up with the last busy error once the back-off is spent', async () => {
    let calls = 0;
    await expect(
      withBusyRetry(
        async () => {
          calls++;
          throw busy();
        },
        { backoffMs: [1, 1] },
      ),
    ).rejects.toThrow('database is locked');
    expect(calls).toBe(3);
  });

  it('does not retry other failures', async () => {
    let calls = 0;
    await expect(
      withBusyRetry(
        async () => {
          calls++;
          throw new Error('no such table: items');
        },
        { backoffMs: [1, 1] },
      ),
    ).rejects.toThrow('no such table');
    expect(calls).toBe(1);
  });
});

describe('withBusyRetrySync', () => {
  it('sleeps for each pause and tries again while SQLite stays busy, then succeeds', () => {
    let calls = 0;
    const retries: number[] = [];
    const started = performance.now();

    const result = withBusyRetrySync(
      () => {
        if (++calls < 3) throw busy();
        return 'done';
      },
      { backoffMs: [20, 30, 1000], onRetry: (attempt) => retries.push(attempt) },
    );

    expect(result).toBe('done');
    expect(retries).toEqual([1, 2]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('gives up with the last busy error once the back-off is spent, and does not retry other failures', () => {
    let busyCalls = 0;
    let otherCalls = 0;

    expect(() =>
      withBusyRetrySync(
        () => {
          busyCalls++;
          throw busy();
        },
        { backoffMs: [1, 1] },
      ),
    ).toThrow('database is locked');
    expect(() =>
      withBusyRetrySync(
        () => {
          otherCalls++;
          throw new Error('no such table: items');
        },
        { backoffMs: [1, 1] },
      ),
    ).toThrow('no such table');
    expect([busyCalls, otherCalls]).toEqual([3, 1]);
  });
});

describe('isBusyError', () => {
  it('finds SQLITE_BUSY and its extended codes through wrapping errors', () => {
    const snapshot = new BetterSqlite3.SqliteError('database is locked', 'SQLITE_BUSY_SNAPSHOT');
    expect(isBusyError(new Error('Migration 0099 (up) failed', { cause: snapshot }))).toBe(true);
    expect(isBusyError(new BetterSqlite3.SqliteError('database table is locked', 'SQLITE_LOCKED'))).toBe(true);
    expect(isBusyError(new BetterSqlite3.SqliteError('database or disk is full', 'SQLITE_FULL'))).toBe(false);
    expect(isBusyError('database is locked')).toBe(false);
  });
});
