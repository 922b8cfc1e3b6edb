import fs from 'node:fs';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn, type Agent } from '../support/http-agent';
import { makeItem, inTenant, DAY } from '../support/content';
import { outboxDir } from '../../core/mail/mailer';
import { outboxMails } from '../support/outbox';
import { bearer, personalToken } from '../support/api-tokens';
import { onMissingTranslation } from '../../core/i18n/translator';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { FIXTURES, uploadFile } from '../workspace/files/file-fixtures';
import type { UserRecord } from '../../control-plane/users/user-record';

/** A workspace set to French shows every page, message and mail in French; each person may choose their own language. */
describe('workspace languages', () => {
  let t: TestPlatform;
  let parts: ReturnType<typeof createApp>;
  let acme: TenantRecord;
  const users: Record<'owner' | 'editor' | 'approver', UserRecord> = {} as never;
  const agents: Record<'owner' | 'editor' | 'approver', Agent> = {} as never;
  let missing: string[];
  let stopListening: () => void;

  beforeEach(async () => {
    t = await createTestPlatform();
    parts = createApp(t.platform);
    acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    for (const role of ['owner', 'editor', 'approver'] as const) {
      users[role] = await makeUser(t.platform, { email: `${role}@example.com`, name: role[0].toUpperCase() + role.slice(1) });
      await addMember(t.platform, users[role], acme, role);
      agents[role] = await signIn(parts.app, users[role].email);
    }
    const saved = await postForm(
      agents.owner,
      '/t/acme/settings',
      { display_name: 'Acme Studio', accent_color: '#224488', time_zone: 'Europe/Paris', language: 'fr', storage_quota_mb: '' },
      '/t/acme/settings',
    );
    expect(saved.status).toBe(303);
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
    missing = [];
    stopListening = onMissingTranslation((language, key) => missing.push(`${language}: ${key}`));
  });
  afterEach(() => {
    stopListening();
    t.cleanup();
  });

  async function mails() {
    await parts.background.idle();
    return outboxMails(t.dataDir);
  }

  it('shows every workspace page in French, with no text missing from the catalogue', async () => {
    const draft = await makeItem(t.platform, acme, { title: 'Brouillon du jour', createdBy: users.editor.id, tags: ['news'] });
    const review = await makeItem(t.platform, acme, { title: 'À relire', createdBy: users.editor.id, scheduledAt: Date.now() + 2 * DAY });
    await postForm(agents.editor, `/t/acme/items/${review.id}/submit`, {}, `/t/acme/items/${review.id}`);
    await postForm(agents.approver, `/t/acme/items/${review.id}/request-changes`, { note: 'Plus court.' }, `/t/acme/items/${review.id}`);
    await postForm(agents.editor, `/t/acme/items/${review.id}/comments`, { comment: 'Fait.' }, `/t/acme/items/${review.id}`);
    const roles = await agents.owner.get('/t/acme/roles');
    const customRole = await postForm(
      agents.owner,
      '/t/acme/roles',
      { name: 'Relecteur', description: '', parent_role_id: '', permissions: 'content.view' },
      '/t/acme/roles/new',
    );
    expect(roles.status).toBe(200);
    expect(customRole.status).toBe(303);
    await postForm(
      agents.owner,
      '/t/acme/invitations',
      { emails: 'new@example.com', role_id: String(t.platform.roles.findPredefined('viewer')?.id) },
      '/t/acme/invitations',
    );

    // A service token, and a webhook endpoint with a public address and an event nothing here sends (no request leaves the test).
    expect(
      (await postForm(agents.owner, '/t/acme/tokens', { name: 'Publication', scopes: 'content.view', expires_in_days: '30' }, '/t/acme/tokens')).status,
    ).toBe(303);
    const tokens = await agents.owner.get('/t/acme/tokens');
    expect(tokens.text).toContain('Copiez le jeton maintenant');
    const hook = await postForm(
      agents.owner,
      '/t/acme/webhooks',
      { url: 'https://93.184.215.14/hooks/acme', description: 'CMS', events: 'invitation.accepted' },
      '/t/acme/webhooks',
    );
    expect(hook.status).toBe(303);
    const hooks = await agents.owner.get('/t/acme/webhooks');
    expect(hooks.text).toContain('Copiez le secret de signature maintenant');
    const endpointId = /href="\/t\/acme\/webhooks\/([^"]+)"/.exec(hooks.text)?.[1] ?? '';
    const webhookPage = `/t/acme/webhooks/${endpointId}`;
    expect((await postForm(agents.owner, `${webhookPage}/disable`, {}, webhookPage)).status).toBe(303);
    // A delivery that failed, as the delivery log shows it: one attempt without an answer, one refused.
    await inTenant(t.platform, acme, (db) =>
      db.write(() => {
        const at = Date.now() - 60_000;
        db.run(
          "insert into webhook_deliveries (id, endpoint_id, event_type, payload, state, attempts, last_status, created_at, finished_at) values (?, ?, 'invitation.accepted', '{}', 'failed', 2, 503, ?, ?)",
          ['msg_languages', endpointId, at, at],
        );
        db.run('insert into webhook_attempts (delivery_id, attempted_at, status, error, duration_ms) values (?, ?, null, ?, 12), (?, ?, 503, ?, 30)', [
          'msg_languages',
          at,
          'connect ECONNREFUSED',
          'msg_languages',
          at + 1000,
          'answered 503',
        ]);
      }),
    );

    const pages = [
      '/t/acme',
      '/t/acme/items',
      '/t/acme/items?status=draft',
      '/t/acme/items/new',
      `/t/acme/items/${draft.id}`,
      `/t/acme/items/${review.id}`,
      '/t/acme/items/import',
      '/t/acme/members',
      '/t/acme/invitations',
      '/t/acme/roles',
      '/t/acme/roles/new',
      customRole.headers.location,
      '/t/acme/settings',
      '/t/acme/workflow',
      '/t/acme/audit',
      '/t/acme/notifications',
      '/t/acme/export',
      '/t/acme/tokens',
      '/t/acme/webhooks',
      webhookPage,
    ];
    for (const page of pages) {
      const res = await agents.owner.get(page);
      expect({ page, status: res.status }).toEqual({ page, status: 200 });
      expect({ page, lang: /<html lang="(\w+)"/.exec(res.text)?.[1] }).toEqual({ page, lang: 'fr' });
    }
    expect((await agents.owner.get('/t/acme')).text).toContain('À traiter');
    expect((await agents.owner.get(`/t/acme/items/${review.id}`)).text).toContain('Plus court.');
    expect((await agents.owner.get('/t/acme/webhooks')).text).toContain('Désactivé : Désactivé par Owner');
    const log = (await agents.owner.get(webhookPage)).text;
    expect(log).toContain('pas de réponse');
    expect(log).toContain('échouée');
    expect(missing).toEqual([]);
  });

  it('writes sizes on French pages in octets with a decimal comma', async () => {
    const settings = (await agents.owner.get('/t/acme/settings')).text;
    expect(settings).toMatch(/<dt>Logo<\/dt><dd>0 o<\/dd>/);
    expect(settings).toMatch(/<dd>\d+(,\d)? Ko<\/dd>/);
    expect(settings).not.toMatch(/\d (B|KB|MB)\b/);
    const usage = (await agents.owner.get('/t/acme/usage')).text;
    expect(usage).toMatch(/\d (o|Ko|Mo|Go)\b/);
    expect(usage).not.toMatch(/\d (B|KB|MB|GB)\b/);
  });

  it('refuses an upload over the storage limit in French, with its sizes in octets', async () => {
    t.platform.plans.setTenantOverrides(acme.id, { limits: { storage_bytes: 2 * 1024 * 1024 } });
    const item = await makeItem(t.platform, acme, { title: 'Brouillon', createdBy: users.editor.id });
    const tooMuch = Buffer.concat([FIXTURES.pdf, Buffer.alloc(2 * 1024 * 1024)]);
    const refused = await uploadFile(agents.editor, `/t/acme/items/${item.id}/attachments`, 'file', tooMuch, 'gros.pdf', 'application/pdf', '/t/acme');
    expect(refused.status).toBe(403);
    expect(refused.text).toMatch(/Limite atteinte : [^.]+\. Cet espace de travail utilise \d+(,\d)? (o|Ko|Mo) sur 2,0 Mo\./);
    expect(refused.text).not.toMatch(/\d(\.\d)? (B|KB|MB)\b/);
    expect(missing).toEqual([]);
  });

  it("shows a person's own API tokens in the language they chose, not the workspace's", async () => {
    expect((await agents.owner.get('/account/tokens')).text).toContain('<html lang="en"');
    expect((await postForm(agents.editor, '/account/language', { language: 'fr' }, '/account')).status).toBe(303);
    const created = await postForm(
      agents.editor,
      '/account/tokens',
      { name: 'Script', tenant: 'acme', scopes: 'content.view', expires_in_days: '7' },
      '/account/tokens',
    );
    expect(created.status).toBe(303);
    const page = await agents.editor.get('/account/tokens');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="fr"');
    expect(page.text).toContain('Copiez le jeton maintenant');
    const refused = await postForm(
      agents.editor,
      '/account/tokens',
      { name: '', tenant: 'acme', scopes: 'usage.view', expires_in_days: '7' },
      '/account/tokens',
    );
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('est obligatoire');
    expect(missing).toEqual([]);
  });

  it('gives the reasons of a refused form in French, naming the field', async () => {
    const res = await postForm(agents.editor, '/t/acme/items', { title: '', body: '', channel: '', tags: '', scheduled_at: 'demain' }, '/t/acme/items/new');
    expect(res.status).toBe(400);
    expect(res.text).toContain('<html lang="fr"');
    expect(res.text).toMatch(/est obligatoire|n’est pas|n'est pas/);
    expect(missing).toEqual([]);
  });

  it('refuses a page the role lacks in French, naming the role as the workspace shows it', async () => {
    const refused = await agents.approver.get('/t/acme/items/new');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('<html lang="fr"');
    expect(refused.text).toContain('Votre rôle (Approbateur) ne permet pas de faire cela.');
    const json = await agents.approver.get('/t/acme/items/new').set('Accept', 'application/json');
    expect(json.body.error.message).toBe('Your role (Approver) cannot do this.');
    expect(missing).toEqual([]);
  });

  it("lets a person read the product in their own language, over the workspace's", async () => {
    const saved = await postForm(agents.editor, '/account/language', { language: 'en' }, '/account');
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/account?done=language');
    const page = await agents.editor.get('/t/acme/items');
    expect(page.text).toContain('<html lang="en"');
    expect(page.text).toContain('New item');
    expect((await agents.approver.get('/t/acme/items')).text).toContain('<html lang="fr"');

    expect((await postForm(agents.editor, '/account/language', { language: '' }, '/account')).status).toBe(303);
    expect((await agents.editor.get('/t/acme/items')).text).toContain('<html lang="fr"');
  });

  it('refuses a language the product does not speak (400 naming the field) and keeps the choice', async () => {
    await postForm(agents.editor, '/account/language', { language: 'fr' }, '/account');
    const res = await postForm(agents.editor, '/account/language', { language: 'xx' }, '/account');
    expect(res.status).toBe(400);
    expect(res.text).toContain('language-error');
    expect(t.platform.users.findById(users.editor.id)?.language).toBe('fr');
  });

  it('speaks the browser language outside a workspace until the person chooses one', async () => {
    const login = await request(parts.app).get('/login').set('Accept-Language', 'fr-CA,fr;q=0.9,en;q=0.5');
    expect(login.text).toContain('<html lang="fr"');
    expect((await request(parts.app).get('/login').set('Accept-Language', 'de')).text).toContain('<html lang="en"');
    expect(missing).toEqual([]);
  });

  it("mails each member in their language: the workspace's, or the one they chose", async () => {
    await postForm(agents.approver, '/account/language', { language: 'en' }, '/account');
    const second = await makeUser(t.platform, { email: 'approver2@example.com', name: 'Approver Two' });
    await addMember(t.platform, second, acme, 'approver');
    const item = await makeItem(t.platform, acme, { title: 'Printemps', createdBy: users.editor.id });
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
    expect((await postForm(agents.editor, `/t/acme/items/${item.id}/submit`, {}, `/t/acme/items/${item.id}`)).status).toBe(303);
    const sent = await mails();
    const to = (who: string) => sent.find((m) => m.to.includes(who));
    expect(to('approver@example.com')?.subject).toBe('Waiting for your review: Printemps');
    expect(to('approver2@example.com')?.subject).not.toBe('Waiting for your review: Printemps');
    expect(to('approver2@example.com')?.subject).toContain('Printemps');
    expect(to('approver2@example.com')?.text).toContain('Acme Studio');
    expect(missing).toEqual([]);
  });

  it("sends an invitation in the workspace's language", async () => {
    const res = await postForm(
      agents.owner,
      '/t/acme/invitations',
      { emails: 'nouveau@example.com', role_id: String(t.platform.roles.findPredefined('viewer')?.id) },
      '/t/acme/invitations',
    );
    expect(res.status).toBe(303);
    const [mail] = await mails();
    expect(mail.subject).toContain('Acme Studio');
    expect(mail.subject).not.toMatch(/invited you/);
    expect(mail.text).toContain('/invitations/');
    expect(missing).toEqual([]);
  });

  it("sends an invitation made through the API in the workspace's language too", async () => {
    const res = await request(parts.app)
      .post('/api/v1/t/acme/invitations')
      .set(bearer(personalToken(t.platform, users.owner)))
      .send({ emails: 'nouvelle@example.com', role_id: t.platform.roles.findPredefined('viewer')?.id });
    expect(res.status).toBe(201);
    const [mail] = await mails();
    expect(mail.to).toBe('nouvelle@example.com');
    expect(mail.subject).toContain('Acme Studio');
    expect(mail.subject).not.toMatch(/invited you/);
    expect(mail.text).not.toMatch(/Accept the invitation/);
    expect(missing).toEqual([]);
  });
});
