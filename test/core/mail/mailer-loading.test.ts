import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMailer } from '../../../core/mail/mailer';
import { createLogger } from '../../../core/logging/logger';

/** Counted on the global object: the module may be loaded while this file's own imports run. */
type Counted = typeof globalThis & { nodemailerLoads?: number };
jest.mock('nodemailer', () => {
  (globalThis as Counted).nodemailerLoads = ((globalThis as Counted).nodemailerLoads ?? 0) + 1;
  return jest.requireActual('nodemailer');
});
const nodemailerLoads = () => (globalThis as Counted).nodemailerLoads ?? 0;

describe('createMailer loading the mail library', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-mailer-loading-'))));
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('loads it with the first message, not when the mailer is made', async () => {
    const mailer = createMailer({ smtpUrl: undefined, mailFrom: 'tenantry@example.com', dataDir }, createLogger('silent'));
    const loadsBefore = nodemailerLoads();
    await mailer.send({ to: 'ann@example.com', subject: 'Hello', text: 'Hi' });

    expect(loadsBefore).toBe(0);
    expect(nodemailerLoads()).toBe(1);
    expect(fs.readdirSync(path.join(dataDir, 'outbox'))).toHaveLength(1);
  });
});
