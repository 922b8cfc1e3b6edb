import { growingLru } from '../../core/cache/growing-lru';

/**
 * How long a replaced session id is told apart from an unknown one: a request sent at the same
 * moment as the one that replaced it (a double click, a second tab) arrives well within it.
 */
export const REPLACED_SESSION_WINDOW_MS = 10_000;

/** How many replaced ids are remembered at most; past it the oldest are forgotten first. */
const REMEMBERED = 10_000;

/**
 * Ids of signed-in sessions this process replaced with a new one moments ago (sign-in over a
 * session, an impersonation's start and stop, a password change), in memory only, for
 * REPLACED_SESSION_WINDOW_MS (docs/decisions/003). Such an id grants nothing: its row is gone, and
 * a request still carrying it is only told that the session changed instead of being taken for a
 * signed-out one. Only a request whose session id was not found asks here.
 */
export class ReplacedSessionIds {
  private readonly replacedAt = growingLru<string, number>(REMEMBERED);

  constructor(private readonly windowMs = REPLACED_SESSION_WINDOW_MS) {}

  remember(sid: string, now = Date.now()): void {
    this.replacedAt.set(sid, now);
  }

  /** Whether the id was replaced within the window (a clock set back counts as outside it). */
  replacedJustNow(sid: string, now = Date.now()): boolean {
    const at = this.replacedAt.get(sid);
    if (at === undefined) return false;
    if (now >= at && now - at < this.windowMs) return true;
    this.replacedAt.delete(sid);
    return false;
  }
}
