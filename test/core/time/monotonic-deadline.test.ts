import { deadlineIn } from '../../../core/time/monotonic-deadline';

describe('a deadline on the monotonic clock', () => {
  afterEach(() => jest.restoreAllMocks());

  it('has not passed before its time and has after it', async () => {
    expect(deadlineIn(1000).passed()).toBe(false);
    const deadline = deadlineIn(50);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(deadline.passed()).toBe(true);
  });

  it('passes on time when the wall clock is set back an hour meanwhile, and not early when it jumps forward', async () => {
    const start = Date.now();
    const early = deadlineIn(1000);
    const deadline = deadlineIn(50);
    jest.spyOn(Date, 'now').mockReturnValue(start + 3600_000);
    expect(early.passed()).toBe(false);
    jest.spyOn(Date, 'now').mockReturnValue(start - 3600_000);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(deadline.passed()).toBe(true);
  });
});
