import { isMailServerFailure, isPermanentRejection, mailFailureCode, MailServerUnavailableError } from '../../core/mail/mailer';
import type { WorkspaceServices } from '../workspace-services';
import { retryDelay } from '../webhooks/deliver-due';
import { workflowMailText } from './workflow-mail';
import { parseQueuedMail, WorkflowMailQueue } from './workflow-mail-queue';
import { NotificationPreferences } from './notification-preferences';

export interface MailPolicy {
  /** Attempts per mail before it is given up. */
  maxAttempts: number;
  /** Wait after the first failed attempt; each further one waits 3 times longer, up to maxDelayMs (the webhooks' backoff). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Mails sent per tenant visit. */
  batch: number;
}

/** 30 s, 1.5 min, 4.5 min, ... up to 6 h between attempts: about 9 hours over 8 attempts, as webhook deliveries. */
export const DEFAULT_MAIL_POLICY: MailPolicy = { maxAttempts: 8, baseDelayMs: 30_000, maxDelayMs: 6 * 3600_000, batch: 50 };

export type MailServices = Pick<WorkspaceServices, 'tenants' | 'router' | 'mailHints' | 'members' | 'mailer' | 'logger'>;

export interface MailVisit {
  tenantId: string;
  sent: number;
  failed: number;
}

/**
 * One visit to one active tenant's queued workflow mails (a step's own, right after its answer; the
 * dispatcher's, for retries and what a stopped process left): each due mail is taken (committed),
 * sent to the member as they are now (their address, language and mail choices; a member who
 * left, may no longer read items or turned this mail off meanwhile gets nothing), then deleted, or
 * put back with a later time, or given up with a log line (no address, no text) after the last
 * attempt, or at once when the server refused it for good (a 5xx reply to its recipient). Once the server failed, the visit stops: what is left waits for the next. The tenant's
 * hint then moves to its next due mail, or to when its mails that ended unsent are to be deleted.
 */
export async function sendDueMails(services: MailServices, tenantId: string, policy: MailPolicy = DEFAULT_MAIL_POLICY, now = Date.now()): Promise<MailVisit> {
  const visit = { tenantId, sent: 0, failed: 0 };
  if (services.tenants.findById(tenantId)?.status !== 'active') return visit;
  const lease = await services.router.acquire(tenantId);
  // A tenant suspended, archived or taken offline (a restore) while this visit waited for its
  // handle or sent stops sending: what is left waits, its hint kept. The handle is closed once
  // released, as the status change closed the last: one opened after the change (the lease having
  // waited) would otherwise stay open on an archived file, or hold up the restore's drain.
  const stillActive = () => services.tenants.findById(tenantId)?.status === 'active';
  let stopped = false;
  try {
    if (!stillActive()) {
      stopped = true;
      return visit;
    }
    // A mail that ends unsent (given up, dropped, unsure) lowers the hint to its deletion in the write that ends it.
    const queue = new WorkflowMailQueue(lease.db, (goesAt) => services.mailHints.notePrune(tenantId, goesAt));
    for (const id of queue.abandonStale(now))
      services.logger.warn({ tenantId, mailId: id }, 'workflow mail not sent again: its process stopped while sending it, so whether it went out is unknown');
    // Mails that ended unsent a month ago and more go, as each visit passes (nothing else reads
    // them); the hint brings a visit then even to a workspace that queues no mail any more.
    queue.pruneEnded(now);
    for (const row of queue.due(now, policy.batch)) {
      if (!stillActive()) {
        stopped = true;
        break;
      }
      if (!queue.claim(row.id, Date.now())) continue;
      const member = services.members.memberById(tenantId, row.user_id, ['content.view']);
      // Read again as the mail goes out: a member who turned this mail off while it waited gets nothing.
      if (!member || !new NotificationPreferences(lease.db).wanting([member.id], row.kind).length) {
        queue.finish(row.id, 'dropped', row.attempts, null, Date.now());
        continue;
      }
      const mail = parseQueuedMail(row);
      const { subject, text } = workflowMailText({ ...mail, to: [] }, member.language ?? mail.language);
      try {
        await services.mailer.send({
          to: member.email,
          subject,
          text,
          fromName: mail.fromName,
          about: { kind: row.kind, tenantId, userId: member.id, mailId: row.id },
        });
        queue.sent(row.id);
        visit.sent++;
      } catch (err) {
        visit.failed++;
        const at = Date.now();
        // Its code and class only: the server's text often quotes the address.
        const error = mailFailureCode(err);
        if (err instanceof MailServerUnavailableError) {
          // Not tried: the server failed a moment ago. No attempt is spent; it waits for the pause.
          queue.retry(row.id, row.attempts, error, err.until);
          break;
        }
        const attempts = row.attempts + 1;
        // Refused for good (550 user unknown): it would be refused the same way at every attempt.
        const refused = isPermanentRejection(err);
        if (!refused && attempts < policy.maxAttempts) queue.retry(row.id, attempts, error, at + retryDelay(policy, attempts));
        else {
          queue.finish(row.id, 'failed', attempts, error, at);
          services.logger.error(
            { tenantId, mailId: row.id, kind: row.kind, attempts, smtp: error },
            refused ? 'workflow mail given up: the mail server refused it' : 'workflow mail given up after every attempt failed',
          );
        }
        // The server could not be reached or did not answer: the others would fail the same way.
        if (isMailServerFailure(err)) break;
      }
    }
    // No await between reading the next time and writing the hint (see publish-due-items.ts).
    services.mailHints.replace(tenantId, queue.next());
  } finally {
    if (stopped) services.router.closeTenant(tenantId);
    lease.release();
  }
  return visit;
}
