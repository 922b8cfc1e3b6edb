import { BOUND_LIMIT } from '../../core/db/sql-limit';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { NotificationKind } from './notification-kinds';
import type { WorkflowMail } from './workflow-mail';

/** A mail as it waits, without its recipients (one row each). */
export type QueuedMail = Omit<WorkflowMail, 'to'>;

export interface MailRow {
  id: number;
  kind: NotificationKind;
  user_id: string;
  mail: string;
  state: string;
  attempts: number;
  created_at: number;
}

/**
 * How long a send may hold its row (`sending`) before the row counts as left by a stopped process:
 * longer than any SMTP exchange the mailer allows (core/mail/mailer.ts: 10 s to connect, 10 s to
 * greet, 30 s per command).
 */
export const SENDING_HOLD_MS = 10 * 60_000;

/**
 * How long a mail that ended unsent (`failed`, `dropped`, `unsure`) is kept for whoever looks into
 * why (its row id is in the server's log), after which it goes: it quotes an item's title.
 */
export const ENDED_MAIL_KEPT_MS = 30 * 24 * 3600_000;

/** When a mail that ended unsent at `finishedAt` is past ENDED_MAIL_KEPT_MS and goes (pruneEnded). */
export function endedMailGoesAt(finishedAt: number): number {
  return finishedAt + ENDED_MAIL_KEPT_MS + 1;
}

/** The states of a mail that ended unsent, kept ENDED_MAIL_KEPT_MS from its `finished_at`. */
const ENDED = "state in ('failed', 'dropped', 'unsure')";

/**
 * The tenant's `workflow_mails` (tenant migration 0024): one row per recipient of a workflow
 * mail, queued in the transaction of the step that called for it. A mail that ends unsent tells
 * `whenEnded` when it is to be deleted, inside the write that ends it (the mail dispatcher's hint,
 * written before the commit as a step writes its own: early costs a visit, late would keep it).
 */
export class WorkflowMailQueue {
  constructor(
    private readonly db: TenantDatabase,
    private readonly whenEnded: (goesAt: number) => void = () => {},
  ) {}

  /** Queues the mail for each recipient, due at `at`; call it inside the step's write. Returns how many rows. */
  queue(mail: WorkflowMail, at: number): number {
    const { to, ...rest } = mail;
    const body = JSON.stringify(rest);
    for (const member of to)
      this.db.run("insert into workflow_mails (kind, user_id, mail, state, attempts, next_attempt_at, created_at) values (?, ?, ?, 'pending', 0, ?, ?)", [
        mail.kind,
        member.id,
        body,
        at,
        at,
      ]);
    return to.length;
  }

  /** Pending mails due by `now`, oldest first. */
  due(now: number, limit: number): MailRow[] {
    return this.db.all<MailRow>(
      `select id, kind, user_id, mail, state, attempts, created_at from workflow_mails where state = 'pending' and next_attempt_at <= ? order by next_attempt_at, id ${BOUND_LIMIT}`,
      [now, limit],
    );
  }

  /** Takes the mail for this send (committed before it goes out): false when another send took it first. */
  claim(id: number, at: number): boolean {
    return this.db.write(
      () => this.db.run("update workflow_mails set state = 'sending', claimed_at = ? where id = ? and state = 'pending'", [at, id]).changes === 1,
    );
  }

  /** Sent: the row goes (nothing reads a sent mail again, and it quotes an item's title). */
  sent(id: number): void {
    this.db.write(() => this.db.run('delete from workflow_mails where id = ?', [id]));
  }

  /** Not sent: due again at `nextAt`, this attempt counted when it was one (not when the server was known down and nothing was tried). */
  retry(id: number, attempts: number, error: string, nextAt: number): void {
    this.db.write(() =>
      this.db.run("update workflow_mails set state = 'pending', attempts = ?, last_error = ?, next_attempt_at = ?, claimed_at = null where id = ?", [
        attempts,
        error.slice(0, 300),
        nextAt,
        id,
      ]),
    );
  }

  /** Ended without being sent: `failed` (out of attempts, or refused for good by the server) or `dropped` (the recipient may no longer have it). */
  finish(id: number, state: 'failed' | 'dropped', attempts: number, error: string | null, at: number): void {
    this.db.write(() => {
      this.db.run('update workflow_mails set state = ?, attempts = ?, last_error = ?, finished_at = ? where id = ?', [
        state,
        attempts,
        error?.slice(0, 300) ?? null,
        at,
        id,
      ]);
      this.whenEnded(endedMailGoesAt(at));
    });
  }

  /**
   * Mails a stopped process left `sending` longer than SENDING_HOLD_MS: whether they went out is
   * unknown, and they are not sent again (a mail twice is worse than a notification missed, which
   * the dashboard's "waiting for you" list still shows). Returns their ids.
   */
  abandonStale(now: number): number[] {
    const stale = "select id from workflow_mails where state = 'sending' and claimed_at < ?";
    if (!this.db.get(stale, [now - SENDING_HOLD_MS])) return [];
    return this.db.write(() => {
      const ids = this.db.all<{ id: number }>(stale, [now - SENDING_HOLD_MS]).map((r) => r.id);
      if (ids.length) {
        this.db.run("update workflow_mails set state = 'unsure', finished_at = ? where id in (select value from json_each(?))", [now, JSON.stringify(ids)]);
        this.whenEnded(endedMailGoesAt(now));
      }
      return ids;
    });
  }

  /** Deletes the mails that ended unsent over ENDED_MAIL_KEPT_MS before `now` (a read when there is none). Returns how many. */
  pruneEnded(now: number): number {
    const ended = `from workflow_mails where ${ENDED} and finished_at < ?`;
    const before = now - ENDED_MAIL_KEPT_MS;
    if (!this.db.get(`select 1 as found ${ended} limit 1`, [before])) return 0;
    return this.db.write(() => this.db.run(`delete ${ended}`, [before]).changes);
  }

  /**
   * The tenant's next due time: of a mail (a held row counts once its hold runs out), or of the
   * deletion of those that ended unsent; and its oldest unsent mail (null when none waits). Null
   * when there is neither.
   */
  next(): { dueAt: number; waitingSince: number | null } | null {
    const waiting = this.db.get<{ due_at: number | null; since: number | null }>(
      `select min(case state when 'pending' then next_attempt_at else claimed_at + ${SENDING_HOLD_MS} end) as due_at, min(created_at) as since
         from workflow_mails where state in ('pending', 'sending')`,
    );
    const ended = this.db.get<{ at: number | null }>(`select min(finished_at) as at from workflow_mails where ${ENDED}`)?.at ?? null;
    const times = [waiting?.due_at ?? null, ended === null ? null : endedMailGoesAt(ended)].filter((t): t is number => t !== null);
    return times.length ? { dueAt: Math.min(...times), waitingSince: waiting?.since ?? null } : null;
  }
}

export function parseQueuedMail(row: MailRow): QueuedMail {
  return JSON.parse(row.mail) as QueuedMail;
}
