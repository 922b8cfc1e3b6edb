import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { invite } from '../../support/team';
import { createLogger } from '../../../core/logging/logger';
import { sendInvitationMail } from '../../../control-plane/invitations/invitation-mail';
import { outboxMails } from '../../support/outbox';

describe('an invitation mail without SMTP', () => {
  let t: TestPlatform;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await createTestPlatform({}, { logger: createLogger('trace', { write: (line: string) => void lines.push(line) }) });
  });
  afterAll(() => t.cleanup());

  it('is written to the outbox, and the log names its file but never holds the link', async () => {
    const tenant = await makeTenant(t.platform, 'acme');
    const created = invite(t.platform, tenant, 'new@acme.test');
    const token = created.url.split('/').pop() ?? '';
    const sent = await sendInvitationMail(t.platform, {
      email: 'new@acme.test',
      url: created.url,
      expiresAt: created.expiresAt,
      tenantName: 'Acme',
      roleName: 'Viewer',
      inviterName: 'Olive',
      language: 'en',
    });
    expect(sent).toBe(true);
    const logged = lines.find((line) => line.includes('written to the outbox'));
    const file = (JSON.parse(logged ?? '{}') as { file?: string }).file ?? '';
    expect(fs.existsSync(file)).toBe(true);
    expect(outboxMails(t.dataDir).find((m) => m.to === 'new@acme.test')?.text).toContain(token);
    expect(token).toHaveLength(43);
    expect(lines.join('\n')).not.toContain(token);
  });
});
