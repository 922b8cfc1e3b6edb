import { LRUCache } from 'lru-cache';

export interface AccountThrottleOptions {
  /** Failed sign-ins an account takes in a window before new devices are slowed. */
  freeFailures?: number;
  /** The first delay; each further failure doubles it, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Failures older than this are forgotten. */
  windowMs?: number;
}

interface AccountState {
  failures: number[];
  /** The earliest time the next attempt from an unknown device may be checked. */
  nextSlotAt: number;
}

/**
 * Per-account brakes on password guessing that an attacker cannot turn into a lockout. After a
 * few failures, attempts from devices the account has not signed in from are slowed down: the
 * delay doubles per failure up to a cap, and each attempt queues behind the one before it (so
 * parallel guesses do not run together), never waiting longer than the cap. Nothing is refused:
 * the right password from a new address still gets in, after the wait. A device the account
 * signed in from before (its signed cookie, see known-device.ts) is not slowed at all.
 * docs/decisions/022-sign-in-throttle.md explains the choice.
 */
export class AccountThrottle {
  private readonly accounts = new LRUCache<string, AccountState>({ max: 50_000 });
  private readonly freeFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly windowMs: number;

  constructor(options: AccountThrottleOptions = {}) {
    this.freeFailures = options.freeFailures ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.windowMs = options.windowMs ?? 15 * 60 * 1000;
  }

  /** How long an attempt from an unknown device waits before its password is checked; reserves its place in the queue. */
  reserve(account: string, now = Date.now()): number {
    const state = this.state(account, now);
    const excess = state.failures.length - this.freeFailures;
    if (excess < 0) return 0;
    const delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** excess);
    const wait = Math.min(this.maxDelayMs, Math.max(0, state.nextSlotAt - now) + delay);
    state.nextSlotAt = now + wait;
    return wait;
  }

  recordFailure(account: string, now = Date.now()): void {
    this.state(account, now).failures.push(now);
  }

  private state(account: string, now: number): AccountState {
    let state = this.accounts.get(account);
    if (!state) {
      state = { failures: [], nextSlotAt: 0 };
      this.accounts.set(account, state);
    }
    state.failures = state.failures.filter((at) => now - at < this.windowMs);
    return state;
  }
}
