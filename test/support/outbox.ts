import fs from 'node:fs';
import path from 'node:path';
import { outboxDir } from '../../core/mail/mailer';
import type { TestPlatform } from './test-platform';

/** A mail in the outbox, its quoted-printable body and encoded subject decoded. */
function readMail(file: string): { from: string; to: string; subject: string; text: string } {
  const raw = fs.readFileSync(file, 'utf8');
  const decodeWords = (s: string) =>
    s.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, how: string, body: string) =>
      how.toUpperCase() === 'B'
        ? Buffer.from(body, 'base64').toString('utf8')
        : Buffer.from(
            body.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
  const subject = decodeWords(/^Subject: (.*(?:\r?\n[ \t].*)*)$/m.exec(raw)?.[1].replace(/\r?\n[ \t]/g, ' ') ?? '');
  const body = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
  const from = decodeWords(/^From: (.*)$/m.exec(raw)?.[1] ?? '');
  return { from, to: /^To: (.*)$/m.exec(raw)?.[1] ?? '', subject, text: Buffer.from(body, 'latin1').toString('utf8') };
}

/** The mails written to a data folder's outbox (no SMTP configured), oldest first, decoded. */
export function outboxMails(dataDir: string): Array<{ from: string; to: string; subject: string; text: string }> {
  const dir = outboxDir(dataDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .map((f) => readMail(path.join(dir, f)));
}

/** The mails a test platform has written once its background work is done, oldest first. */
export async function mailsSent(t: TestPlatform): Promise<Array<{ from: string; to: string; subject: string; text: string }>> {
  await t.platform.background.idle();
  return outboxMails(t.dataDir);
}
