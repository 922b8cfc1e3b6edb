import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import request from 'supertest';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn } from '../../support/http-agent';
import { bearer, personalToken } from '../../support/api-tokens';
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
      timeZone: 'UTC',
    });
    expect(sent).toBe(true);
    const logged = lines.find((line) => line.includes('written to the outbox'));
    const file = (JSON.parse(logged ?? '{}') as { file?: string }).file ?? '';
    expect(fs.existsSync(file)).toBe(true);
    expect(outboxMails(t.dataDir).find((m) => m.to === 'new@acme.test')?.text).toContain(token);
    expect(token).toHaveLength(43);
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).not.toContain('new@acme.test');
  });
});

describe('an invitation mail from a workspace', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it.each([
    ['west', 'America/Los_Angeles', 'America/Los_Angeles'],
    ['east', 'Asia/Calcutta', 'Asia/Kolkata'],
  ])("gives the link's expiry in the workspace's time zone and names the zone as the pages do (%s: %s as %s)", async (slug, zone, named) => {
    const parts = createApp(t.platform);
    const tenant = await makeTenant(t.platform, slug, 'Studio');
    const owner = await makeUser(t.platform, { email: `owner@${slug}.test` });
    await addMember(t.platform, owner, tenant, 'owner');
    const agent = await signIn(parts.app, owner.email);
    const settings = { display_name: 'Studio', accent_color: '#224488', time_zone: zone, language: 'en', storage_quota_mb: '' };
    expect((await postForm(agent, `/t/${slug}/settings`, settings, `/t/${slug}/settings`)).status).toBe(303);
    const res = await request(parts.app)
      .post(`/api/v1/t/${slug}/invitations`)
      .set(bearer(personalToken(t.platform, owner)))
      .send({ emails: `new@${slug}.test`, role_id: t.platform.roles.findPredefined('viewer')?.id });
    expect(res.status).toBe(201);
    const expiresAt = new Date((res.body.data as Array<{ expires_at: string }>)[0].expires_at);
    const local = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: zone }).format(expiresAt);
    const mail = outboxMails(t.dataDir).find((m) => m.to === `new@${slug}.test`);
    expect(mail?.text).toContain(`expires on ${local} (${named}).`);
  });
});
