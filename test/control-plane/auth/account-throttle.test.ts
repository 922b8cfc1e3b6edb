import { AccountThrottle, type Reservation } from '../../../control-plane/auth/account-throttle';

describe('the per-account sign-in throttle', () => {
  const T = 1_000_000;
  const throttle = () => new AccountThrottle({ freeFailures: 2, baseDelayMs: 100, maxDelayMs: 1000, windowMs: 60_000 });
  const fail = (th: AccountThrottle, n: number, at = T) => {
    for (let i = 0; i < n; i++) th.recordFailure('ada@example.com', at);
  };
  /** What an attempt is told: its wait, or 'refused' with the time to try again. */
  const answer = (r: Reservation) => (r.refused ? { refused: r.retryAfterMs } : r.waitMs);
  const admitted = (r: Reservation) => {
    if (r.refused) throw new Error(`refused, retry after ${r.retryAfterMs} ms`);
    return r;
  };

  it('lets the first attempts through at once', () => {
    const th = throttle();
    admitted(th.reserve('ada@example.com', T)).fail(T);
    expect(answer(th.reserve('ada@example.com', T))).toBe(0);
  });

  it('doubles the wait with each failure past the free ones, up to the cap', () => {
    const th = throttle();
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      fail(th, 1, T + i * 10_000);
      const r = admitted(th.reserve('ada@example.com', T + i * 10_000 + 5000));
      waits.push(r.waitMs);
      r.release();
    }
    expect(waits).toEqual([0, 100, 200, 400, 800, 1000, 1000]);
  });

  it('counts attempts still being checked, so parallel ones cannot all take the free failures', () => {
    const th = throttle();
    const answers = [1, 2, 3].map(() => answer(th.reserve('ada@example.com', T)));
    expect(answers).toEqual([0, 0, 100]);
  });

  it('spaces attempts made at the same moment by the delay, each after the one before it', () => {
    const th = throttle();
    fail(th, 1);
    const answers = [1, 2, 3, 4].map(() => answer(th.reserve('ada@example.com', T)));
    // Counted before each: 1, 2, 3, 4 (failure and attempts in progress); delays 100, 200, 400.
    expect(answers).toEqual([0, 100, 300, 700]);
  });

  it('refuses, with the time until a turn comes within the cap, an attempt that would wait longer than the cap', () => {
    const th = throttle();
    fail(th, 2);
    expect([1, 2, 3].map(() => answer(th.reserve('ada@example.com', T)))).toEqual([100, 300, 700]);
    // The next would be checked 800 ms after the last, 1500 ms away: 500 ms past the cap.
    expect(answer(th.reserve('ada@example.com', T))).toEqual({ refused: 500 });
    expect(answer(th.reserve('ada@example.com', T + 200))).toEqual({ refused: 300 });
    // A refused attempt takes no turn: once the queue has moved on, one is admitted, within the cap.
    expect(answer(th.reserve('ada@example.com', T + 500))).toBe(1000);
  });

  it('never makes an attempt wait longer than the cap, however many failures', () => {
    const th = throttle();
    fail(th, 40);
    expect(answer(th.reserve('ada@example.com', T))).toBe(1000);
    expect(answer(th.reserve('ada@example.com', T + 10))).toEqual({ refused: 990 });
    expect(answer(th.reserve('ada@example.com', T + 1000))).toBe(1000);
  });

  it('frees the place of an attempt that ends without a failure, and counts one that fails', () => {
    const th = throttle();
    const [a, b] = [1, 2].map(() => admitted(th.reserve('ada@example.com', T)));
    a.release();
    b.release();
    b.release();
    expect(answer(th.reserve('ada@example.com', T))).toBe(0);
    const c = admitted(th.reserve('ada@example.com', T));
    c.fail(T);
    c.fail(T);
    c.release();
    // One failure, one attempt in progress: the next is the third counted, waiting 100 ms.
    expect(answer(th.reserve('ada@example.com', T + 5000))).toBe(100);
  });

  it("reads and waits on the clock it is given: an attempt's turn comes when that clock reaches it", async () => {
    let now = T;
    const sleeps: number[] = [];
    const clock = { now: () => now, sleep: async (ms: number) => void sleeps.push(ms) };
    const th = new AccountThrottle({ freeFailures: 1, baseDelayMs: 100, maxDelayMs: 1000, windowMs: 60_000, clock });
    admitted(th.reserve('ada@example.com')).fail();
    now += 30;
    const waiting = admitted(th.reserve('ada@example.com'));
    expect(waiting.waitMs).toBe(100);
    await waiting.turn();
    await admitted(th.reserve('ada@example.com')).turn();
    expect(sleeps).toEqual([100, 300]);
    // The failure was counted at the clock's time: 60 s after it, it is forgotten.
    waiting.release();
    now = T + 60_000;
    expect(answer(th.reserve('ada@example.com'))).toBe(100);
  });

  it('forgets failures after the window, and keeps accounts apart', () => {
    const th = throttle();
    fail(th, 5);
    expect(answer(th.reserve('bob@example.com', T))).toBe(0);
    expect(answer(th.reserve('ada@example.com', T + 61_000))).toBe(0);
  });
});

describe('the per-account sign-in throttle when the clock is set back', () => {
  const T = 10_000_000;
  const HOUR = 3600_000;
  const throttle = () => new AccountThrottle({ freeFailures: 2, baseDelayMs: 100, maxDelayMs: 1000, windowMs: 60_000 });

  it('refuses an attempt no longer than a burst would, not until the clock catches up', () => {
    const th = throttle();
    th.recordFailure('ada@example.com', T);
    th.recordFailure('ada@example.com', T);
    const first = th.reserve('ada@example.com', T);
    if (first.refused) throw new Error('refused');
    first.fail(T + first.waitMs);
    const after = th.reserve('ada@example.com', T - HOUR);
    if (after.refused) expect(after.retryAfterMs).toBeLessThanOrEqual(1000);
    else expect(after.waitMs).toBeLessThanOrEqual(1000);
  });

  it('forgets failures a window after the step, not a window after the time they were stamped with', () => {
    const th = throttle();
    for (let i = 0; i < 5; i++) th.recordFailure('ada@example.com', T);
    const atStep = th.reserve('ada@example.com', T - HOUR);
    if (!atStep.refused) atStep.release();
    const later = th.reserve('ada@example.com', T - HOUR + 61_000);
    expect(later.refused ? later : later.waitMs).toBe(0);
  });
});
