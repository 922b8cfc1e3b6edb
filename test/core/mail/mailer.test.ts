import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createMailer, isMailServerFailure, isPermanentRejection, mailFailureCode, MailServerUnavailableError, outboxDir } from '../../../core/mail/mailer';
import { startSmtpServer } from '../../support/smtp-server';
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

describe('the mailer with an SMTP server that does not answer', () => {
  let server: net.Server;
  const sockets: net.Socket[] = [];
  let smtpUrl = '';
  beforeAll(async () => {
    // Greets, then never answers a command.
    server = net.createServer((socket) => {
      sockets.push(socket);
      socket.write('220 mail.example.com ready\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives up after its socket timeout, and the next message fails at once without waiting for the server again', async () => {
    const dataDir = os.tmpdir();
    const mailer = createMailer({ dataDir, mailFrom: 'x@example.com', smtpUrl }, createLogger('silent'), {
      socketTimeoutMs: 300,
      pauseAfterFailureMs: 60_000,
    });
    const first = Date.now();
    await expect(mailer.send({ to: 'ann@example.com', subject: 'One', text: 'Body' })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(Date.now() - first).toBeLessThan(5_000);
    const second = Date.now();
    await expect(mailer.send({ to: 'ben@example.com', subject: 'Two', text: 'Body' })).rejects.toBeInstanceOf(MailServerUnavailableError);
    expect(Date.now() - second).toBeLessThan(100);
    expect(sockets).toHaveLength(1);
  });
});

describe("the mailer's account of a refusal", () => {
  it('tells a recipient refused for good from one refused for now, and names neither the address nor the text', async () => {
    const smtp = await startSmtpServer((address) =>
      address.startsWith('gone') ? `550 5.1.1 <${address}>: user unknown` : `451 4.3.0 <${address}>: try later`,
    );
    try {
      const mailer = createMailer({ dataDir: os.tmpdir(), mailFrom: 'x@example.com', smtpUrl: smtp.url }, createLogger('silent'));
      const gone = await mailer.send({ to: 'gone@example.com', subject: 'One', text: 'Body' }).catch((err: unknown) => err);
      const later = await mailer.send({ to: 'later@example.com', subject: 'Two', text: 'Body' }).catch((err: unknown) => err);
      expect([isPermanentRejection(gone), mailFailureCode(gone)]).toEqual([true, '550 RCPT TO']);
      expect([isPermanentRejection(later), mailFailureCode(later)]).toEqual([false, '451 RCPT TO']);
    } finally {
      await smtp.close();
    }
  });

  it("does not count a refusal of the sender, the session's order or a failed connection as the message's", () => {
    expect(isPermanentRejection({ responseCode: 550, command: 'MAIL FROM' })).toBe(false);
    expect(isPermanentRejection({ responseCode: 503, command: 'RCPT TO' })).toBe(false);
    expect(isPermanentRejection({ code: 'ECONNECTION' })).toBe(false);
    expect(mailFailureCode(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ECONNECTION' }))).toBe('ECONNECTION');
  });
});

describe("the mailer's log lines", () => {
  const address = 'ann.smith@example.com';
  const subject = 'Olive asked you to review Q3 salaries';
  const about = { kind: 'review_requested', tenantId: 'tn_1', userId: 'us_1', mailId: 7 };

  it('name a sent mail by its kind and ids and its recipient’s domain, never by the address or the subject', async () => {
    const smtp = await startSmtpServer();
    const lines: string[] = [];
    try {
      const logger = createLogger('trace', { write: (line: string) => void lines.push(line) });
      await createMailer({ dataDir: os.tmpdir(), mailFrom: 'x@example.com', smtpUrl: smtp.url }, logger).send({ to: address, subject, text: 'Body', about });
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-mail-'));
      try {
        await createMailer({ dataDir, mailFrom: 'x@example.com' }, logger).send({ to: address, subject, text: 'Body', about });
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    } finally {
      await smtp.close();
    }
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.map((line) => line.msg)).toEqual(['mail sent', 'mail written to the outbox']);
    for (const line of logged) expect(line).toMatchObject({ ...about, toDomain: 'example.com' });
    expect(lines.join('\n')).not.toContain('ann.smith');
    expect(lines.join('\n')).not.toContain('salaries');
  });

  it('throw a refusal that keeps its codes but not the address the server quoted, so a log of it holds none', async () => {
    const smtp = await startSmtpServer((to) => `550 5.1.1 <${to}>: user unknown`);
    const lines: string[] = [];
    try {
      const logger = createLogger('trace', { write: (line: string) => void lines.push(line) });
      const err = await createMailer({ dataDir: os.tmpdir(), mailFrom: 'x@example.com', smtpUrl: smtp.url }, logger)
        .send({ to: address, subject, text: 'Body', about })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' });
      expect([isPermanentRejection(err), mailFailureCode(err)]).toEqual([true, '550 RCPT TO']);
      logger.error({ err }, 'a caller logs the failure');
    } finally {
      await smtp.close();
    }
    expect(lines.join('\n')).toContain('user unknown');
    expect(lines.join('\n')).not.toContain('ann.smith');
  });
});

describe('the mailer and a server that answers 421', () => {
  it('counts it as the server closing for now: retried, and the next message waits for the pause instead of asking again', async () => {
    const smtp = await startSmtpServer(() => '421 4.7.0 Try again later, closing connection');
    try {
      const mailer = createMailer({ dataDir: os.tmpdir(), mailFrom: 'x@example.com', smtpUrl: smtp.url }, createLogger('silent'), {
        pauseAfterFailureMs: 60_000,
      });
      const first = await mailer.send({ to: 'ann@example.com', subject: 'One', text: 'Body' }).catch((err: unknown) => err);
      expect([isPermanentRejection(first), isMailServerFailure(first), mailFailureCode(first)]).toEqual([false, true, '421 RCPT TO']);
      const second = await mailer.send({ to: 'ben@example.com', subject: 'Two', text: 'Body' }).catch((err: unknown) => err);
      expect(second).toBeInstanceOf(MailServerUnavailableError);
      expect(smtp.connections()).toBe(1);
    } finally {
      await smtp.close();
    }
  });
});

describe('the pause after a mail server failed, when the clock is set back', () => {
  afterEach(() => jest.restoreAllMocks());

  it('ends after its length all the same: the next message is tried, not refused until the clock catches up', async () => {
    const smtp = await startSmtpServer(() => '421 4.7.0 Try again later, closing connection');
    try {
      const mailer = createMailer({ dataDir: os.tmpdir(), mailFrom: 'x@example.com', smtpUrl: smtp.url }, createLogger('silent'), {
        pauseAfterFailureMs: 200,
      });
      await mailer.send({ to: 'ann@example.com', subject: 'One', text: 'Body' }).catch(() => undefined);
      const hourAgo = Date.now() - 3600_000;
      jest.spyOn(Date, 'now').mockReturnValue(hourAgo);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = await mailer.send({ to: 'ben@example.com', subject: 'Two', text: 'Body' }).catch((err: unknown) => err);
      expect(second).not.toBeInstanceOf(MailServerUnavailableError);
      expect(smtp.connections()).toBe(2);
    } finally {
      await smtp.close();
    }
  });
});
