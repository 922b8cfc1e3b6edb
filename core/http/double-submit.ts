/**
 * How soon the same thing asked for again by the same person is taken as the same form sent twice
 * (a double click, a browser's retry) and answered with what the first one made, not made again.
 */
export const DOUBLE_SUBMIT_MS = 10_000;

/**
 * Whether something made at `madeAt` is recent enough for the same request now to be a repeat of it:
 * within DOUBLE_SUBMIT_MS of now, either side. A time ahead of now is the clock set back since it was
 * written (an NTP step, a VM's clock corrected); counting every such time would make the same
 * request a "repeat" for as long as the step, swallowing a member's real second comment or invitation.
 */
export function isDoubleSubmit(madeAt: number, now = Date.now()): boolean {
  return Math.abs(now - madeAt) < DOUBLE_SUBMIT_MS;
}
