import { AccountThrottle } from '../../../control-plane/auth/account-throttle';

describe('the per-account sign-in throttle', () => {
  const T = 1_000_000;
  const throttle = () => new AccountThrottle({ freeFailures: 2, baseDelayMs: 100, maxDelayMs: 1000, windowMs: 60_000 });
  const fail = (th: AccountThrottle, n: number, at = T) => {
    for (let i = 0; i < n; i++) th.recordFailure('ada@example.com', at);
  };

  it('lets the first attempts through at once', () => {
    const th = throttle();
    expect(th.reserve('ada@example.com', T)).toBe(0);
    fail(th, 1);
    expect(th.reserve('ada@example.com', T)).toBe(0);
  });

  it('doubles the wait with each failure past the free ones, up to the cap', () => {
    const th = throttle();
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      fail(th, 1, T + i * 10_000);
      waits.push(th.reserve('ada@example.com', T + i * 10_000 + 5000));
    }
    expect(waits).toEqual([0, 100, 200, 400, 800, 1000, 1000]);
  });

  it('queues attempts made at the same moment behind each other, never past the cap', () => {
    const th = throttle();
    fail(th, 3);
    expect([1, 2, 3, 4, 5].map(() => th.reserve('ada@example.com', T))).toEqual([200, 400, 600, 800, 1000]);
    expect(th.reserve('ada@example.com', T)).toBe(1000);
  });

  it('forgets failures after the window, and keeps accounts apart', () => {
    const th = throttle();
    fail(th, 5);
    expect(th.reserve('bob@example.com', T)).toBe(0);
    expect(th.reserve('ada@example.com', T + 61_000)).toBe(0);
  });
});
