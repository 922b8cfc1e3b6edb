import fs from 'node:fs';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn, type Agent } from '../support/http-agent';
import { makeItem } from '../support/content';
import { outboxDir } from '../../core/mail/mailer';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';

/** A workspace with its own name shows that name, and never the product's, on its pages and in its mail. */
describe('white-label workspaces', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let owner: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme', 'ACME account 42');
    const user = await makeUser(t.platform, { name: 'Olive Owner' });
    await addMember(t.platform, user, acme, 'owner');
    owner = await signIn(createApp(t.platform).app, user.email);
    const saved = await postForm(
      owner,
      '/t/acme/settings',
      { display_name: 'Acme Studio', accent_color: '#224488', time_zone: 'UTC', language: 'en', storage_quota_mb: '' },
      '/t/acme/settings',
    );
    expect(saved.status).toBe(303);
  });
  afterEach(() => t.cleanup());

  it("shows no product name on the workspace's pages, and its display name in the header, switcher and footer", async () => {
    const item = await makeItem(t.platform, acme);
    for (const page of ['/t/acme', '/t/acme/items', `/t/acme/items/${item.id}`, '/t/acme/members', '/t/acme/settings', '/t/acme/audit']) {
      const res = await owner.get(page);
      expect(res.status).toBe(200);
      expect({ page, product: res.text.includes('Tenantry') }).toEqual({ page, product: false });
      expect(res.text).toContain('Acme Studio');
      // (The audit trail keeps the old name as the settings change's "before": that is history, not branding.)
      if (!page.endsWith('/audit')) expect(res.text).not.toContain('ACME account 42');
    }
  });

  it('lists the workspace by its display name outside it too (the workspaces page)', async () => {
    const res = await owner.get('/tenants');
    expect(res.text).toContain('Acme Studio');
    expect(res.text).not.toContain('ACME account 42');
  });

  it('sends invitations in the workspace name, from the workspace name', async () => {
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
    const res = await postForm(
      owner,
      '/t/acme/invitations',
      { emails: 'new@example.com', role_id: String(t.platform.roles.findPredefined('viewer')?.id) },
      '/t/acme/invitations',
    );
    expect(res.status).toBe(303);
    const [file] = fs.readdirSync(outboxDir(t.dataDir));
    const mail = fs.readFileSync(path.join(outboxDir(t.dataDir), file), 'utf8');
    expect(mail).toMatch(/^From: Acme Studio <no-reply@localhost>$/m);
    expect(mail).toMatch(/^Subject: Olive Owner invited you to Acme Studio$/m);
    expect(mail).not.toContain('Tenantry');
  });
});
