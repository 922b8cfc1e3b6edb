import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMailer, outboxDir } from '../../../core/mail/mailer';
import { createLogger } from '../../../core/logging/logger';

describe('the mailer', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-mail-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('writes each message as an .eml file to the outbox when no SMTP server is configured', async () => {
    const mailer = createMailer({ dataDir, mailFrom: 'Tenantry <no-reply@example.com>' }, createLogger('silent'));
    expect(mailer.transport).toBe('outbox');
    const sent = await mailer.send({ to: 'ann@example.com', subject: 'Hello', text: 'Short body' });
    expect(path.dirname(sent.outboxFile ?? '')).toBe(outboxDir(dataDir));
    expect(sent.outboxFile).toMatch(/\.eml$/);
    const eml = fs.readFileSync(sent.outboxFile ?? '', 'utf8');
    expect(eml).toContain('From: Tenantry <no-reply@example.com>');
    expect(eml).toContain('To: ann@example.com');
    expect(eml).toContain('Subject: Hello');
    expect(eml).toContain('Short body');
    expect(fs.statSync(sent.outboxFile ?? '').mode & 0o077).toBe(0);
  });

  it('uses SMTP when SMTP_URL is set', () => {
    const mailer = createMailer({ dataDir, mailFrom: 'x@example.com', smtpUrl: 'smtp://localhost:2525' }, createLogger('silent'));
    expect(mailer.transport).toBe('smtp');
    expect(fs.existsSync(outboxDir(dataDir))).toBe(false);
  });
});
