/**
 * How soon the same thing asked for again by the same person is taken as the same form sent twice
 * (a double click, a browser's retry) and answered with what the first one made, not made again.
 */
export const DOUBLE_SUBMIT_MS = 10_000;

/** Whether something made at `madeAt` is recent enough for the same request now to be a repeat of it. */
export function isDoubleSubmit(madeAt: number, now = Date.now()): boolean {
  return now - madeAt < DOUBLE_SUBMIT_MS;
}
