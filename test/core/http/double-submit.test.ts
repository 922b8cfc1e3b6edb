import { DOUBLE_SUBMIT_MS, isDoubleSubmit } from '../../../core/http/double-submit';

describe('whether the same request is a double submit', () => {
  const now = Date.parse('2026-03-29T01:00:00Z');

  it('is one for something made moments ago, up to the window and not at its end', () => {
    expect(isDoubleSubmit(now, now)).toBe(true);
    expect(isDoubleSubmit(now - DOUBLE_SUBMIT_MS + 1, now)).toBe(true);
    expect(isDoubleSubmit(now - DOUBLE_SUBMIT_MS, now)).toBe(false);
  });

  it('is one for something made a moment "ahead" of a clock set back by a second', () => {
    expect(isDoubleSubmit(now + 1000, now)).toBe(true);
  });

  it('is none for something made an hour "ahead" of a clock set back by an hour', () => {
    expect(isDoubleSubmit(now + 3600_000, now)).toBe(false);
    expect(isDoubleSubmit(now + DOUBLE_SUBMIT_MS, now)).toBe(false);
  });
});
