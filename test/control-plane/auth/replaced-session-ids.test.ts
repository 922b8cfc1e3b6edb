import { REPLACED_SESSION_WINDOW_MS, ReplacedSessionIds } from '../../../control-plane/auth/replaced-session-ids';

describe('the session ids replaced a moment ago', () => {
  it('tells a replaced id apart only within the window, and never an id it was not given', () => {
    const ids = new ReplacedSessionIds();
    ids.remember('old', 1_000);
    expect(ids.replacedJustNow('old', 1_000)).toBe(true);
    expect(ids.replacedJustNow('old', 1_000 + REPLACED_SESSION_WINDOW_MS - 1)).toBe(true);
    expect(ids.replacedJustNow('other', 1_000)).toBe(false);
    expect(ids.replacedJustNow('old', 1_000 + REPLACED_SESSION_WINDOW_MS)).toBe(false);
    // Forgotten once past the window, even if the clock is then set back.
    expect(ids.replacedJustNow('old', 1_000)).toBe(false);
  });

  it('does not count an id replaced "in the future" (a clock set back) as replaced just now', () => {
    const ids = new ReplacedSessionIds();
    ids.remember('old', 50_000);
    expect(ids.replacedJustNow('old', 40_000)).toBe(false);
  });
});
