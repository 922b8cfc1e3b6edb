import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Config } from '../config/load-config';
import type { Logger } from '../logging/logger';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The sender's display name (a workspace's name, for white-label mail); the address stays MAIL_FROM's. */
  fromName?: string;
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

export function outboxDir(dataDir: string): string {
  return path.join(dataDir, 'outbox');
}

/**
 * Mail through nodemailer: SMTP when SMTP_URL is set; otherwise each message is rendered
 * to an .eml file in DATA_DIR/outbox/, so a self-hoster without SMTP can still read (and
 * forward) what would have been sent. Outbox files hold live links: owner-only permissions.
 */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir'>, logger: Logger): Mailer {
  if (config.smtpUrl) {
    const smtp = nodemailer.createTransport(config.smtpUrl);
    return {
      transport: 'smtp',
      async send(message) {
        const { fromName, ...rest } = message;
        await smtp.sendMail({ from: senderOf(config.mailFrom, fromName), ...rest });
        logger.info({ to: message.to, subject: message.subject }, 'mail sent');
        return {};
      },
    };
  }
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    transport: 'outbox',
    async send(message) {
      const { fromName, ...rest } = message;
      const info = await stream.sendMail({ from: senderOf(config.mailFrom, fromName), ...rest });
      const dir = outboxDir(config.dataDir);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = path.join(dir, `${Date.now()}-${crypto.randomBytes(4).toString('hex')}.eml`);
      fs.writeFileSync(file, info.message as Buffer, { mode: 0o600 });
      logger.info({ to: message.to, subject: message.subject, file }, 'mail written to the outbox');
      return { outboxFile: file };
    },
  };
}
