import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Config } from '../config/load-config';
import type { Logger } from '../logging/logger';
import { deadlineIn } from '../time/monotonic-deadline';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The sender's display name (a workspace's name, for white-label mail); the address stays MAIL_FROM's. */
  fromName?: string;
  /** What the log line of the send names the mail by: ids, never the address, subject or text. */
  about?: MailLogFields;
}

/** How a log line names a mail: what kind it is and the ids of its recipient and tenant, as request lines name users (by id). */
export interface MailLogFields {
  kind: string;
  userId?: string;
  tenantId?: string;
  invitationId?: string;
  mailId?: number;
}

const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;

/** The domain of an address: which mail provider a mail went to, without saying whose mailbox. */
export function recipientDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}

/** What a send's log line holds: the mail's ids and its recipient's domain, never the address or the subject (a name, an item's title). */
function sentLine(message: MailMessage): Record<string, unknown> {
  return { ...message.about, toDomain: recipientDomain(message.to) };
}

/**
 * A failed SMTP send as the mailer throws it: nodemailer's code, reply code and command (what the
 * callers decide on), and its message with every address in it replaced, since the server's reply
 * often quotes the recipient's ("550 5.1.1 <ann@example.com>: user unknown") and callers log it.
 * The reply's text and nodemailer's lists of rejected recipients are not carried.
 */
export class MailSendError extends Error {
  readonly code?: string;
  readonly responseCode?: number;
  readonly command?: string;
  constructor(err: unknown) {
    const { message, code, responseCode, command } = (err ?? {}) as { message?: unknown; code?: unknown; responseCode?: unknown; command?: unknown };
    super(String(message ?? err).replace(ADDRESS, '[address]'));
    this.name = 'MailSendError';
    if (typeof code === 'string') this.code = code;
    if (typeof responseCode === 'number') this.responseCode = responseCode;
    if (typeof command === 'string') this.command = command;
  }
}

/** MAIL_FROM's address (`Name <address>` or a bare address), under the given name when there is one. */
export function senderOf(mailFrom: string, fromName?: string): string | { name: string; address: string } {
  if (!fromName) return mailFrom;
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  return { name: fromName, address };
}

export interface SentMail {
  /** Set when the message went to the outbox folder instead of an SMTP server. */
  outboxFile?: string;
}

export interface Mailer {
  readonly transport: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<SentMail>;
}

/** How long an SMTP server may keep a sender waiting, and how long sends then stop trying it. */
export interface MailerOptions {
  /** To accept the connection. */
  connectionTimeoutMs?: number;
  /** To greet once connected. */
  greetingTimeoutMs?: number;
  /** To answer each command (silence this long fails the message). */
  socketTimeoutMs?: number;
  /** After the server could not be reached, did not answer or answered 421, sends fail at once for this long. */
  pauseAfterFailureMs?: number;
}

/**
 * Bounded waits: nodemailer's own (2 minutes to connect, 10 minutes of silence) held an
 * invitation request open that long per address when the server was unreachable or stalled.
 */
export const SMTP_DEFAULTS: Required<MailerOptions> = {
  connectionTimeoutMs: 10_000,
  greetingTimeoutMs: 10_000,
  socketTimeoutMs: 30_000,
  pauseAfterFailureMs: 30_000,
};

/** nodemailer's codes for a server that could not be reached or did not answer (not a refusal of one message or address). */
const SERVER_FAILURES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ETLS', 'EAUTH', 'EPROTOCOL']);

/**
 * Why the server, not this message, failed the send, or undefined: it could not be reached or did
 * not answer (nodemailer's codes), or it answered 421 to any command, which RFC 5321 makes "service
 * not available, closing the channel" (a server going down, or one rate-limiting the sender:
 * "421 4.7.0 try again later"). Any other message would fail the same way for now.
 */
function serverFailureOf(err: unknown): string | undefined {
  const { code, responseCode } = (err ?? {}) as { code?: unknown; responseCode?: unknown };
  if (responseCode === 421) return '421';
  return typeof code === 'string' && SERVER_FAILURES.has(code) ? code : undefined;
}

/** Whether a send failed because the server could not be reached, did not answer or closed for now (any other message would fail the same way). */
export function isMailServerFailure(err: unknown): boolean {
  return err instanceof MailServerUnavailableError || serverFailureOf(err) !== undefined;
}

/** The commands whose refusal is about this message or its recipient, not the sender or the session. */
const MESSAGE_COMMANDS = new Set(['RCPT TO', 'DATA']);

/**
 * Whether the server refused this message for good: a permanent (5xx) reply to its recipient
 * (550 user unknown, 553 mailbox name not allowed) or to its content. Sending it again would be
 * refused the same way. 503 (commands out of order) is the session's fault, not the message's; a
 * 5xx to the sender (MAIL FROM) or to the log-in is the deployment's settings, which an operator
 * may fix: both are not permanent refusals of this message.
 */
export function isPermanentRejection(err: unknown): boolean {
  const { responseCode, command } = (err ?? {}) as { responseCode?: unknown; command?: unknown };
  return (
    typeof responseCode === 'number' &&
    responseCode >= 500 &&
    responseCode < 600 &&
    responseCode !== 503 &&
    typeof command === 'string' &&
    MESSAGE_COMMANDS.has(command)
  );
}

/**
 * What a failed send may be stored or logged as: the server's reply code and the command it
 * answered (`550 RCPT TO`), or nodemailer's code (`ECONNECTION`, `ETIMEDOUT`). Never the server's
 * text, which often quotes the recipient's address.
 */
export function mailFailureCode(err: unknown): string {
  const { responseCode, command, code } = (err ?? {}) as { responseCode?: unknown; command?: unknown; code?: unknown };
  if (typeof responseCode === 'number')
    return typeof command === 'string' && /^[A-Z ]{1,16}$/.test(command) ? `${responseCode} ${command}` : String(responseCode);
  return typeof code === 'string' && /^[A-Z_]{1,32}$/.test(code) ? code : 'EUNKNOWN';
}

/** A send not tried: the mail server failed moments ago (see MailerOptions.pauseAfterFailureMs). */
export class MailServerUnavailableError extends Error {
  readonly code = 'EUNAVAILABLE';
  constructor(
    readonly until: number,
    cause: string,
  ) {
    super(`the mail server failed a moment ago (${cause}); not tried again before ${new Date(until).toISOString()}`);
  }
}

type Nodemailer = typeof import('nodemailer');
let loadedNodemailer: Nodemailer | undefined;
/** nodemailer is loaded with the first message, not at start: most starts and commands send none. */
function nodemailer(): Nodemailer {
  return (loadedNodemailer ??= require('nodemailer') as Nodemailer);
}

export function outboxDir(dataDir: string): string {
  return path.join(dataDir, 'outbox');
}

/**
 * Mail through nodemailer: SMTP when SMTP_URL is set; otherwise each message is rendered
 * to an .eml file in DATA_DIR/outbox/, so a self-hoster without SMTP can still read (and
 * forward) what would have been sent. Outbox files hold live links: owner-only permissions.
 */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir'>, logger: Logger, options: MailerOptions = {}): Mailer {
  if (config.smtpUrl) {
    const limits = { ...SMTP_DEFAULTS, ...options };
    const url = config.smtpUrl;
    let transport: ReturnType<Nodemailer['createTransport']> | undefined;
    const smtp = () =>
      (transport ??= nodemailer().createTransport({
        url,
        connectionTimeout: limits.connectionTimeoutMs,
        greetingTimeout: limits.greetingTimeoutMs,
        socketTimeout: limits.socketTimeoutMs,
        dnsTimeout: limits.connectionTimeoutMs,
      }));
    // A server that just failed is not waited for again at once: a batch of invitations (or an
    // item's mail to every approver) then waits for one timeout, not one per message. The pause
    // ends on the monotonic clock (`until` only tells people when): a clock set back does not stretch it.
    let paused: { until: number; ends: { passed(): boolean }; cause: string } | undefined;
    return {
      transport: 'smtp',
      async send(message) {
        if (paused && !paused.ends.passed()) throw new MailServerUnavailableError(paused.until, paused.cause);
        const { fromName, to, subject, text } = message;
        try {
          await smtp().sendMail({ from: senderOf(config.mailFrom, fromName), to, subject, text });
        } catch (err) {
          const cause = serverFailureOf(err);
          if (cause) paused = { until: Date.now() + limits.pauseAfterFailureMs, ends: deadlineIn(limits.pauseAfterFailureMs), cause };
          throw new MailSendError(err);
        }
        paused = undefined;
        logger.info(sentLine(message), 'mail sent');
        return {};
      },
    };
  }
  let transport: ReturnType<Nodemailer['createTransport']> | undefined;
  const stream = () => (transport ??= nodemailer().createTransport({ streamTransport: true, buffer: true, newline: 'unix' }));
  return {
    transport: 'outbox',
    async send(message) {
      const { fromName, to, subject, text } = message;
      const info = await stream().sendMail({ from: senderOf(config.mailFrom, fromName), to, subject, text });
      const dir = outboxDir(config.dataDir);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = path.join(dir, `${Date.now()}-${crypto.randomBytes(4).toString('hex')}.eml`);
      fs.writeFileSync(file, info.message as Buffer, { mode: 0o600 });
      logger.info({ ...sentLine(message), file }, 'mail written to the outbox');
      return { outboxFile: file };
    },
  };
}
