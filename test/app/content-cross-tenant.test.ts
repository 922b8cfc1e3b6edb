import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn, type Agent } from '../support/http-agent';
import { DAY, makeItem, postMultipart, setRules, tenantContent } from '../support/content';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { TRANSITION_ACTIONS } from '../../workspace/workflow/transition-table';
import { zonedClock } from '../../core/time/zoned-clock';

/** Form values as a browser in a UTC workspace sends them. */
const toDateTimeLocal = zonedClock('UTC').input;

const CSV = 'title,body\nPlanted,by alice\n';
const MAPPING = { map_title: '0', map_body: '1', on_duplicate: 'update' };

/**
 * Alice owns alpha only. Bravo holds items 1-3 (alpha only item 1): every content route of
 * bravo, and every bravo-only id through alpha's URLs, must answer 404 and leave bravo as it was.
 */
describe('content routes across tenants', () => {
  let t: TestPlatform;
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let alice: Agent;

  beforeAll(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    alpha = await makeTenant(t.platform, 'alpha');
    bravo = await makeTenant(t.platform, 'bravo');
    await makeItem(t.platform, alpha, { title: 'alpha item', status: 'draft' });
    await makeItem(t.platform, bravo, { title: 'bravo secret', status: 'in_review', tags: ['bravo-tag'], scheduledAt: Date.now() + 2 * DAY });
    await makeItem(t.platform, bravo, { title: 'bravo approved', status: 'approved' });
    await makeItem(t.platform, bravo, { title: 'bravo draft', status: 'draft' });
    await setRules(t.platform, bravo, { approvalsRequired: 2, channels: ['bravo-only'] });
    const bob = await makeUser(t.platform);
    await addMember(t.platform, bob, bravo, 'owner');
    const aliceUser = await makeUser(t.platform);
    await addMember(t.platform, aliceUser, alpha, 'owner');
    alice = await signIn(app, aliceUser.email);
  });
  afterAll(() => t.cleanup());

  const reads = [
    '/t/bravo',
    '/t/bravo/items',
    '/t/bravo/items?q=bravo',
    '/t/bravo/items/new',
    '/t/bravo/items/1',
    '/t/bravo/api/items/1',
    '/t/bravo/items.csv',
    '/t/bravo/items/import',
    '/t/bravo/workflow',
    '/t/alpha/items/2',
    '/t/alpha/items/3',
    '/t/alpha/api/items/3',
  ];

  it.each(reads)('answers 404 to a member of alpha reading %s, showing nothing of bravo', async (url) => {
    const res = await alice.get(url);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('bravo secret');
    expect(res.text).not.toContain('bravo-only');
  });

  const schedule = { publish_at: toDateTimeLocal(Date.now() + 3 * DAY), note: 'n' };
  const writes: Array<[string, Record<string, string>]> = [
    ['/t/bravo/items', { title: 'planted', body: '' }],
    ['/t/bravo/items/1', { title: 'renamed', body: '' }],
    ['/t/bravo/items/3/delete', { confirmed: 'yes' }],
    ['/t/bravo/items/1/comments', { comment: 'hi from alpha' }],
    ['/t/bravo/workflow', { approvals_required: '1', channels: '' }],
    ...TRANSITION_ACTIONS.map((action): [string, Record<string, string>] => [`/t/bravo/items/1/${action}`, schedule]),
    ...TRANSITION_ACTIONS.map((action): [string, Record<string, string>] => [`/t/bravo/items/2/${action}`, schedule]),
    // ids that exist only in bravo, through alpha's own URLs
    ['/t/alpha/items/2', { title: 'renamed', body: '' }],
    ['/t/alpha/items/3/delete', { confirmed: 'yes' }],
    ['/t/alpha/items/2/comments', { comment: 'hi' }],
    ...TRANSITION_ACTIONS.map((action): [string, Record<string, string>] => [`/t/alpha/items/2/${action}`, schedule]),
  ];

  it.each(writes)('answers 404 to a member of alpha posting to %s, and bravo is unchanged', async (url, body) => {
    const before = await tenantContent(t.platform, bravo);
    const res = await postForm(alice, url, body);
    expect(res.status).toBe(404);
    expect(await tenantContent(t.platform, bravo)).toEqual(before);
  });

  it.each(['/t/bravo/items/import', '/t/bravo/items/import/preview', '/t/bravo/items/import/commit'])(
    'answers 404 to a member of alpha importing through %s, and bravo is unchanged',
    async (url) => {
      const before = await tenantContent(t.platform, bravo);
      const res = await postMultipart(alice, url, { csv: CSV, ...MAPPING });
      expect(res.status).toBe(404);
      expect(await tenantContent(t.platform, bravo)).toEqual(before);
    },
  );

  it("ignores tenant names and ids in form fields: an import lands in the URL's tenant only", async () => {
    const before = await tenantContent(t.platform, bravo);
    const res = await postMultipart(alice, '/t/alpha/items/import/commit', { csv: CSV, ...MAPPING, tenant: 'bravo', slug: 'bravo', tenant_id: bravo.id });
    expect(res.status).toBe(303);
    expect(((await tenantContent(t.platform, alpha)).items as Array<{ title: string }>).map((i) => i.title)).toContain('Planted');
    expect(await tenantContent(t.platform, bravo)).toEqual(before);
  });

  it('ignores tenant and item ids in form fields of the workflow, comment and transition forms', async () => {
    const before = await tenantContent(t.platform, bravo);
    const extra = { tenant: 'bravo', slug: 'bravo', tenant_id: bravo.id, item_id: '2', id: '2' };
    expect((await postForm(alice, '/t/alpha/workflow', { approvals_required: '3', channels: 'web', ...extra })).status).toBe(303);
    expect((await postForm(alice, '/t/alpha/items/1/comments', { comment: 'mine', ...extra })).status).toBe(303);
    expect((await postForm(alice, '/t/alpha/items/1/submit', extra)).status).toBe(303);
    const alphaNow = await tenantContent(t.platform, alpha);
    expect(alphaNow.comments).toEqual([expect.objectContaining({ item_id: 1, body: 'mine' })]);
    expect(alphaNow.items).toContainEqual(expect.objectContaining({ id: 1, status: 'in_review' }));
    expect(await tenantContent(t.platform, bravo)).toEqual(before);
  });

  it("exports only the URL's tenant, whatever the query names", async () => {
    const res = await alice.get(`/t/alpha/items.csv?tenant=bravo&tenant_id=${bravo.id}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('bravo');
  });

  it('leaves no scheduling hint for bravo when alice schedules in alpha', async () => {
    const item = await makeItem(t.platform, alpha, { status: 'approved' });
    expect((await postForm(alice, `/t/alpha/items/${item.id}/schedule`, { publish_at: toDateTimeLocal(Date.now() + DAY) })).status).toBe(303);
    const hints = t.platform.db.connection().prepare('select tenant_id from tenant_schedule').all();
    expect(hints).toEqual([{ tenant_id: alpha.id }]);
  });
});
