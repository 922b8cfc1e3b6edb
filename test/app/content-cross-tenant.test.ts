import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn, type Agent } from '../support/http-agent';
import fs from 'node:fs';
import path from 'node:path';
import { DAY, inTenant, makeItem, postMultipart, setRules, tenantContent } from '../support/content';
import { AttachmentRepository, type AttachmentRow } from '../../workspace/files/attachment-repository';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { TRANSITION_ACTIONS } from '../../workspace/workflow/transition-table';
import { zonedClock } from '../../core/time/zoned-clock';

/** Form values as a browser in a UTC workspace sends them. */
const toDateTimeLocal = zonedClock('UTC').input;

const CSV = 'title,body\nPlanted,by alice\n';
const BRAVO_FILE = 'b'.repeat(32);

/** An attachment row for bravo's archived item, its bytes written beside it. */
const attachmentRow = (itemId: number, storedName: string): AttachmentRow => ({
  id: `f${'b'.repeat(24)}`,
  item_id: itemId,
  stored_name: storedName,
  original_name: 'bravo.txt',
  content_type: 'text/plain',
  size_bytes: 11,
  sha256: '0'.repeat(64),
  uploaded_by: null,
  uploaded_by_name: 'Bob',
  created_at: Date.now(),
});
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
    // Item 4: archived, with a file, deletable by bravo's own members only.
    await makeItem(t.platform, bravo, { title: 'bravo archived', status: 'archived' });
    await inTenant(t.platform, bravo, (db) => new AttachmentRepository(db).insert(attachmentRow(4, BRAVO_FILE)));
    fs.mkdirSync(tenantPaths(t.dataDir, bravo.id).files, { recursive: true });
    fs.writeFileSync(path.join(tenantPaths(t.dataDir, bravo.id).files, BRAVO_FILE), 'bravo bytes');
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
    ['/t/bravo/items/4/delete', { confirmed: 'yes' }],
    ['/t/bravo/items/1/comments', { comment: 'hi from alpha' }],
    ['/t/bravo/workflow', { approvals_required: '1', channels: '' }],
    ...TRANSITION_ACTIONS.map((action): [string, Record<string, string>] => [`/t/bravo/items/1/${action}`, schedule]),
    ...TRANSITION_ACTIONS.map((action): [string, Record<string, string>] => [`/t/bravo/items/2/${action}`, schedule]),
    // ids that exist only in bravo, through alpha's own URLs
    ['/t/alpha/items/2', { title: 'renamed', body: '' }],
    ['/t/alpha/items/3/delete', { confirmed: 'yes' }],
    ['/t/alpha/items/4/delete', { confirmed: 'yes' }],
    // bravo's archived item named in form fields, the URL naming no item of alpha
    ['/t/alpha/items/999/delete', { confirmed: 'yes', id: '4', item_id: '4', tenant: 'bravo', slug: 'bravo' }],
    ['/t/alpha/items/2/comments', { comment: 'hi' }],
    ...TRANSITION_ACTIONS.map((action): [string, Record<string, string>] => [`/t/alpha/items/2/${action}`, schedule]),
  ];

  it.each(writes)('answers 404 to a member of alpha posting to %s, and bravo is unchanged', async (url, body) => {
    const before = await tenantContent(t.platform, bravo);
    const res = await postForm(alice, url, body);
    expect(res.status).toBe(404);
    expect(await tenantContent(t.platform, bravo)).toEqual(before);
    expect(fs.existsSync(path.join(tenantPaths(t.dataDir, bravo.id).files, BRAVO_FILE))).toBe(true);
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

  it('refuses tenant names and ids sent as fields of an import (400 naming the field): neither tenant changes', async () => {
    const [alphaBefore, bravoBefore] = [await tenantContent(t.platform, alpha), await tenantContent(t.platform, bravo)];
    const res = await postMultipart(alice, '/t/alpha/items/import/commit', { csv: CSV, ...MAPPING, tenant: 'bravo', slug: 'bravo', tenant_id: bravo.id });
    expect(res.status).toBe(400);
    expect(res.text).toContain('tenant');
    expect(await tenantContent(t.platform, alpha)).toEqual(alphaBefore);
    expect(await tenantContent(t.platform, bravo)).toEqual(bravoBefore);
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

  it("deletes only the URL's tenant's archived item, whatever ids the delete form names", async () => {
    const before = await tenantContent(t.platform, bravo);
    const own = await makeItem(t.platform, alpha, { title: 'alpha archived', status: 'archived' });
    const extra = { tenant: 'bravo', slug: 'bravo', tenant_id: bravo.id, item_id: '4', id: '4' };
    expect((await postForm(alice, `/t/alpha/items/${own.id}/delete`, { confirmed: 'yes', ...extra })).status).toBe(303);
    expect((await tenantContent(t.platform, alpha)).items).not.toContainEqual(expect.objectContaining({ id: own.id }));
    expect(await tenantContent(t.platform, bravo)).toEqual(before);
    expect(await inTenant(t.platform, bravo, (db) => new AttachmentRepository(db).totals().count)).toBe(1);
    expect(fs.existsSync(path.join(tenantPaths(t.dataDir, bravo.id).files, BRAVO_FILE))).toBe(true);
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
