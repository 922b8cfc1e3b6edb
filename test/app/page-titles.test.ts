import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn, type Agent } from '../support/http-agent';
import { makeCustomRole } from '../support/team';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';

/** The pages an owner of a workspace with every feature reaches from its navigation and its own pages. */
const PAGES = [
  '/tenants',
  '/account',
  '/account/tokens',
  '/t/acme',
  '/t/acme/items',
  '/t/acme/items/new',
  '/t/acme/items/import',
  '/t/acme/workflow',
  '/t/acme/settings',
].concat(
  ['/members', '/invitations', '/roles', '/roles/new', '/tokens', '/usage', '/webhooks', '/notifications', '/audit', '/export'].map((p) => `/t/acme${p}`),
);

function titleOf(html: string): string {
  const title = /<title>([^<]*)<\/title>/.exec(html)?.[1];
  if (title === undefined) throw new Error('the page has no <title>');
  return title;
}

/** What a browser tab reads: each page names itself, then the workspace (or the product), once each. */
describe('the page titles', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let owner: Agent;
  let roleId: number;
  let acme: TenantRecord;

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    t.platform.plans.setTenantOverrides(acme.id, { features: { custom_roles: true, api: true } });
    const user = await makeUser(t.platform, { email: 'owner@example.com', name: 'Olive Owner' });
    await addMember(t.platform, user, acme, 'owner');
    roleId = makeCustomRole(t.platform, acme, 'Reviewer', ['content.approve']);
    owner = await signIn(app, user.email);
  });
  afterEach(() => t.cleanup());

  async function titles(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const page of [...PAGES, `/t/acme/roles/${roleId}`]) {
      const res = await owner.get(page);
      expect({ page, status: res.status }).toEqual({ page, status: 200 });
      out.set(page, titleOf(res.text));
    }
    return out;
  }

  it.each(['en', 'fr'])('in %s, gives each page a title of its own that repeats no part of itself', async (language) => {
    if (language !== 'en') expect((await postForm(owner, '/account/language', { language }, '/account')).status).toBe(303);
    const seen = await titles();
    const repeats = [...seen].filter(([, title]) => new Set(title.split(' · ')).size !== title.split(' · ').length);
    expect(repeats).toEqual([]);
    const shared = [...seen].filter(([page, title]) => [...seen].some(([other, t2]) => other !== page && t2 === title));
    expect(shared).toEqual([]);
  });

  it('titles a page the member may not open “Not allowed”, in their language', async () => {
    const viewer = await makeUser(t.platform, { email: 'viewer@example.com' });
    await addMember(t.platform, viewer, acme, 'viewer');
    const agent = await signIn(app, viewer.email);
    const refused = await agent.get('/t/acme/roles');
    expect(refused.status).toBe(403);
    expect(titleOf(refused.text)).toBe('Not allowed · Acme Studio');
    expect((await postForm(agent, '/account/language', { language: 'fr' }, '/account')).status).toBe(303);
    expect(titleOf((await agent.get('/t/acme/roles')).text)).toBe('Accès refusé · Acme Studio');
  });

  it('titles the workspace home with the workspace’s name alone', async () => {
    expect(titleOf((await owner.get('/t/acme')).text)).toBe('Acme Studio');
  });
});
