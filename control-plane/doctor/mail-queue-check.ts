import type { DoctorCheck, Finding } from './finding';

/** How long a workflow mail may wait before the doctor reports it (a send is tried at once, then retried for hours). */
export const MAIL_WAIT_MS = 15 * 60_000;

/**
 * Tenants whose workflow mails have waited longer than MAIL_WAIT_MS (the mail server refusing or
 * unreachable, no server running to send them, a suspended tenant): the control plane's hint says
 * since when, without opening their files. Left for a human: the server's log says why. An archived
 * tenant is not named: its mails wait for a restore, which nothing here could hasten.
 */
export const mailQueueCheck: DoctorCheck = async ({ platform }) =>
  platform.mailHints.waitingSince(Date.now() - MAIL_WAIT_MS).map((w): Finding => ({
    check: 'workflow-mail',
    subject: w.slug,
    problem: `workflow mail waiting to be sent since ${new Date(w.since).toISOString()} (is SMTP_URL's server reachable, and a server running?)`,
    needsHuman: true,
  }));
