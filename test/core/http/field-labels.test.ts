import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { humanisedField, pageFieldLabels } from '../../../core/http/field-labels';

const roleIdOf = (html: string) => /<option value="(\d+)"/.exec(html)?.[1] ?? '';
const summaryOf = (html: string) => [...html.matchAll(/<li><strong>([^<]*)<\/strong>/g)].map((m) => m[1]);

describe('the labels an error summary names fields by', () => {
  it('humanises a field its form gives no label', () => {
    expect(['owner_email', 'role_id', 'parent_role_id', 'page', 'emails[0]'].map(humanisedField)).toEqual([
      'Owner email',
      'Role',
      'Parent role',
      'Page',
      'Emails',
    ]);
  });

  it('fills the summary, rendered first, with the label shown beside the field later on the page, escaped', () => {
    const labels = pageFieldLabels();
    const top = `<li><strong>${labels.summaryLabel('owner_email')}</strong></li><li><strong>${labels.summaryLabel('role_id')}</strong></li>`;
    const field = `<p>${labels.fieldLabel('owner_email', "First admin's <email>")} is not valid</p>`;

    expect(labels.fill(top + field)).toBe(
      "<li><strong>First admin&#39;s &lt;email&gt;</strong></li><li><strong>Role</strong></li><p>First admin's <email> is not valid</p>",
    );
  });

  describe('on refused forms', () => {
    let t: TestPlatform;
    let app: ReturnType<typeof createApp>['app'];
    let root: Agent;
    let owner: Agent;

    beforeAll(async () => {
      t = await createTestPlatform();
      app = createApp(t.platform).app;
      const acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
      await makeUser(t.platform, { email: 'root@example.com', superAdmin: true });
      const ownerUser = await makeUser(t.platform, { email: 'owner@example.com' });
      await addMember(t.platform, ownerUser, acme, 'owner');
      root = await signIn(app, 'root@example.com');
      owner = await signIn(app, 'owner@example.com');
      const settings = { display_name: 'Acme Studio', accent_color: '#224488', time_zone: 'Europe/Paris', language: 'fr', storage_quota_mb: '' };
      expect((await postForm(owner, '/t/acme/settings', settings, '/t/acme/settings')).status).toBe(303);
    });
    afterAll(() => t.cleanup());

    it('name each field at the top with the label the form shows beside it', async () => {
      const res = await postForm(root, '/admin/tenants', { name: 'Studio North', slug: 'north', owner_email: 'not-an-email' }, '/admin/tenants/new');

      expect(res.status).toBe(400);
      expect(summaryOf(res.text)).toEqual(['First admin&#39;s email']);
      expect(res.text).not.toContain('owner_email must');
    });

    it('name each field in the workspace language', async () => {
      const noRole = await postForm(owner, '/t/acme/invitations', { emails: 'ok@example.com', role_id: '' }, '/t/acme/invitations');
      const badAddress = await postForm(owner, '/t/acme/invitations', { emails: 'bad@', role_id: roleIdOf(noRole.text) }, '/t/acme/invitations');

      expect([noRole.status, badAddress.status]).toEqual([400, 400]);
      expect(summaryOf(noRole.text)).toEqual(['Rôle']);
      expect(summaryOf(badAddress.text)).toEqual(['Adresses e-mail']);
    });
  });
});
