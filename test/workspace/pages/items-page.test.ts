import { createApp } from '../../../app/create-app';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import { makeItem } from '../../support/content';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe("the items list's count", () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let owner: Agent;

  beforeAll(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    const other = await makeTenant(t.platform, 'other');
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, acme, 'owner');
    await addMember(t.platform, user, other, 'owner');
    owner = await signIn(createApp(t.platform).app, user.email);
    for (let i = 1; i <= 30; i++) await makeItem(t.platform, acme, { title: `Item ${i}` });
    for (const title of ['Needle one', 'Needle two']) await makeItem(t.platform, acme, { title });
    await makeItem(t.platform, other, { title: 'Needle of another workspace' });
  });
  afterAll(() => t.cleanup());

  /** The page, and the statements its request ran on the workspace's file. */
  async function listed(path: string) {
    const lease = await t.platform.router.acquire(acme.id);
    const prepare = jest.spyOn(lease.db, 'prepare');
    lease.release();
    try {
      const res = await owner.get(path);
      return { res, statements: prepare.mock.calls.map(([sql]) => sql) };
    } finally {
      prepare.mockRestore();
    }
  }

  it('is the first page itself when every match fits on it: the items are not read again to count them', async () => {
    const { res, statements } = await listed('/t/acme/items?q=needle');
    expect(res.status).toBe(200);
    expect(res.text).toContain('2 items');
    expect(res.text).toContain('Needle one');
    expect(res.text).not.toContain('another workspace');
    expect(res.text).not.toContain('class="pager"');
    expect(statements.filter((sql) => /count\(\*\)/.test(sql))).toEqual([]);
  });

  it('is counted when the matches go past the first page, and on the pages after it', async () => {
    const first = await listed('/t/acme/items?q=item');
    expect(first.res.text).toContain('30 items');
    expect(first.res.text).toContain('Page 1 of 2');
    const second = await listed('/t/acme/items?q=item&page=2');
    expect(second.res.text).toContain('30 items');
    expect(second.res.text).toContain('Page 2 of 2');
    for (const { statements } of [first, second]) expect(statements.filter((sql) => /count\(\*\)/.test(sql))).toHaveLength(1);
  });

  it('says a search found nothing, counting nothing', async () => {
    const { res, statements } = await listed('/t/acme/items?q=nowhere');
    expect(res.status).toBe(200);
    expect(res.text).toContain('No items match these filters.');
    expect(statements.filter((sql) => /count\(\*\)/.test(sql))).toEqual([]);
  });
});
