import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn, type Agent } from '../support/http-agent';
import { itemSnapshot, makeItem } from '../support/content';
import { invite, roleKeyOf } from '../support/team';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../control-plane/users/user-record';

/** Every destructive action asks first (a page of its own, without JavaScript), then says what it did. */
describe('destructive actions', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let owner: Agent;
  let vera: UserRecord;

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    const ownerUser = await makeUser(t.platform, { name: 'Olive Owner' });
    await addMember(t.platform, ownerUser, acme, 'owner');
    vera = await makeUser(t.platform, { name: 'Vera Viewer', email: 'vera@example.com' });
    await addMember(t.platform, vera, acme, 'viewer');
    owner = await signIn(app, ownerUser.email);
  });
  afterEach(() => t.cleanup());

  const membershipId = () => t.platform.memberships.findMemberOfUser(vera.id, acme.id)?.membership_id;

  it('asks before removing a member, with a page that posts the same form again, and changes nothing meanwhile', async () => {
    const path = `/t/acme/members/${membershipId()}/remove`;
    const asked = await postForm(owner, path, {});
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Remove Vera Viewer?');
    expect(asked.text).toContain(`action="${path}"`);
    expect(asked.text).toContain('name="confirmed" value="yes"');
    expect(asked.text).toContain('href="/t/acme/members"');
    expect(roleKeyOf(t.platform, vera, acme)).toBe('viewer');

    const done = await postForm(owner, path, { confirmed: 'yes' });
    expect(done.status).toBe(303);
    expect(roleKeyOf(t.platform, vera, acme)).toBeUndefined();
    const next = await owner.get(done.headers.location);
    expect(next.text).toContain('Vera Viewer was removed from the workspace.');
    // The message is shown once.
    expect((await owner.get('/t/acme/members')).text).not.toContain('was removed from the workspace');
  });

  it.each([
    [
      'revoking an invitation',
      async () => `/t/acme/invitations/${invite(t.platform, acme, 'x@example.com').id}/revoke`,
      'Withdraw the invitation to x@example.com?',
    ],
    ['deleting a draft', async () => `/t/acme/items/${(await makeItem(t.platform, acme, { title: 'Old idea' })).id}/delete`, 'Delete “Old idea”?'],
    ['transferring ownership', async () => `/t/acme/members/${membershipId()}/transfer-ownership`, 'Make Vera Viewer the owner?'],
    ['removing the logo', async () => '/t/acme/settings/logo/delete', 'Remove the logo?'],
  ])('asks before %s', async (_label, pathOf, question) => {
    const res = await postForm(owner, await pathOf(), {});
    expect(res.status).toBe(200);
    expect(res.text).toContain(question);
  });

  it('deletes a draft once confirmed and says so on the list', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Old idea' });
    const res = await postForm(owner, `/t/acme/items/${item.id}/delete`, { confirmed: 'yes' });
    expect(res.status).toBe(303);
    expect((await itemSnapshot(t.platform, acme, item.id)).item).toBeUndefined();
    expect((await owner.get(res.headers.location)).text).toContain('“Old idea” was deleted.');
  });

  it('asks before leaving a workspace, naming it, and answers 404 for one the user is not in', async () => {
    const veraAgent = await signIn(app, vera.email);
    const asked = await postForm(veraAgent, '/account/leave', { tenant_id: acme.id }, '/account');
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Leave Acme?');
    expect(roleKeyOf(t.platform, vera, acme)).toBe('viewer');
    const other = await makeTenant(t.platform, 'other');
    expect((await postForm(veraAgent, '/account/leave', { tenant_id: other.id }, '/account')).status).toBe(404);
  });

  it('marks destructive forms for the in-page question, and serves its script', async () => {
    const page = await owner.get('/t/acme/members');
    expect(page.text).toMatch(/<form method="post" action="\/t\/acme\/members\/\d+\/remove" class="inline" data-confirm="Remove Vera Viewer/);
    expect(page.text).toContain('<script src="/static/confirm.js" defer></script>');
    const script = await request(app).get('/static/confirm.js');
    expect(script.status).toBe(200);
    expect(script.text).toContain("name = 'confirmed'");
  });

  it('ignores a forged message cookie', async () => {
    const res = await owner.get('/t/acme').set('Cookie', 'tenantry.flash=' + Buffer.from('You won a prize').toString('base64url') + '.forged');
    expect(res.text).not.toContain('You won a prize');
  });
});
