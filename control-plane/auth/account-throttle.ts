import { growingLru } from '../../core/cache/growing-lru';

export interface AccountThrottleOptions {
  /** Sign-in attempts (failed, or still being checked) an account takes in a window before new devices are slowed. */
  freeFailures?: number;
  /** The first delay; each further attempt counted doubles it, up to maxDelayMs. */
  baseDelayMs?: number;
  /** No attempt waits longer: one whose turn is further away is refused (429) instead of queued. */
  maxDelayMs?: number;
  /** Failures older than this are forgotten. */
  windowMs?: number;
  /** The time the throttle reads and waits on: the system's, unless a test moves one itself. */
  clock?: ThrottleClock;
}

export interface ThrottleClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const SYSTEM_CLOCK: ThrottleClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** An attempt that may go ahead after waitMs; it must end with fail() or release(). */
export interface AdmittedAttempt {
  refused: false;
  waitMs: number;
  /** Resolves when the attempt's turn comes, waitMs from its reservation (at once for none). */
  turn(): Promise<void>;
  /** The password was wrong: counted as a failure from now on (even if released before). Once only. */
  fail(now?: number): void;
  /** Signed in, or ended without a password check: no longer counted. Does nothing once ended. */
  release(): void;
}

/** An attempt whose turn is further away than the cap: refused, to try again after retryAfterMs. */
export interface RefusedAttempt {
  refused: true;
  retryAfterMs: number;
}

export type Reservation = AdmittedAttempt | RefusedAttempt;

interface AccountState {
  failures: number[];
  /** Attempts from unknown devices admitted and not yet ended: they count like failures. */
  inFlight: number;
  /** When the last admitted attempt from an unknown device is checked; the next is spaced after it. */
  lastSlotAt: number;
}

/**
 * Per-account brakes on password guessing that an attacker cannot turn into a lockout. Failures,
 * and attempts still being checked, count; past a few, attempts from devices the account has not
 * signed in from are slowed down: the delay doubles per attempt counted, up to a cap, and each
 * attempt is checked at least that delay after the one before it, so parallel guesses do not run
 * together. No attempt waits longer than the cap: one whose turn is further away is refused at
 * once (429 with Retry-After), so a burst costs one delay per guess, not one cap per burst. When
 * no burst is running, the right password from a new address gets in after at most the cap, and a
 * device the account signed in from before (its signed cookie, see known-device.ts) is neither
 * slowed nor refused. docs/decisions/022-sign-in-throttle.md explains the choice.
 */
export class AccountThrottle {
  private readonly accounts = growingLru<string, AccountState>(50_000);
  private readonly freeFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly windowMs: number;
  private readonly clock: ThrottleClock;

  constructor(options: AccountThrottleOptions = {}) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.freeFailures = options.freeFailures ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.windowMs = options.windowMs ?? 15 * 60 * 1000;
  }

  /**
   * An attempt from an unknown device: how long it waits before its password is checked, or that
   * it is refused. An admitted attempt counts like a failure until it ends (fail or release).
   */
  reserve(account: string, now = this.clock.now()): Reservation {
    const state = this.state(account, now);
    const excess = state.failures.length + state.inFlight - this.freeFailures;
    let waitMs = 0;
    if (excess >= 0) {
      const delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** excess);
      const slot = Math.max(now, state.lastSlotAt) + delay;
      if (slot - now > this.maxDelayMs) return { refused: true, retryAfterMs: slot - this.maxDelayMs - now };
      state.lastSlotAt = slot;
      waitMs = slot - now;
    }
    state.inFlight++;
    let open = true;
    let failed = false;
    const end = () => {
      if (!open) return;
      open = false;
      state.inFlight--;
    };
    return {
      refused: false,
      waitMs,
      turn: () => (waitMs > 0 ? this.clock.sleep(waitMs) : Promise.resolve()),
      fail: (at = this.clock.now()) => {
        end();
        if (failed) return;
        failed = true;
        this.recordFailure(account, at);
      },
      release: end,
    };
  }

  /** A failed sign-in, for an attempt that did not reserve (a known device's). */
  recordFailure(account: string, now = this.clock.now()): void {
    this.state(account, now).failures.push(now);
  }

  private state(account: string, now: number): AccountState {
    let state = this.accounts.get(account);
    if (!state) {
      state = { failures: [], inFlight: 0, lastSlotAt: 0 };
      this.accounts.set(account, state);
    }
    // A time ahead of now is the clock set back since it was taken (an NTP step, a VM's clock
    // corrected): a failure is counted from now, and no slot lies further ahead than a burst's own
    // can, so a step back of an hour neither keeps failures an hour longer nor refuses every
    // attempt until the clock catches up.
    state.failures = state.failures.map((at) => Math.min(at, now)).filter((at) => now - at < this.windowMs);
    state.lastSlotAt = Math.min(state.lastSlotAt, now + this.maxDelayMs);
    return state;
  }
}
