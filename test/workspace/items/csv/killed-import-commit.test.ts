import { createTestPlatform, type TestPlatform } from '../../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../../support/factories';
import { makeItem, postMultipart, tenantContent } from '../../../support/content';
import { signIn } from '../../../support/http-agent';
import { killServerAt } from '../../../support/server-process';
import { createApp } from '../../../../app/create-app';
import type { TenantRecord } from '../../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../../control-plane/users/user-record';

const MAPPING = { map_title: '0', map_body: '1', map_channel: '2', map_tags: '3', map_scheduled_at: '4' };
const CSV = 'Title,Body,Channel,Tags,When\nFirst,a,blog,,\nSecond,b,blog,,\nKept,rewritten,blog,,\n';

/** A CSV import is one transaction: a server SIGKILLed after writing its rows, before the commit, imported nothing. */
describe('a CSV import killed after writing its rows', () => {
  let t: TestPlatform;
  let studio: TenantRecord;
  let admin: UserRecord;
  beforeEach(async () => {
    t = await createTestPlatform();
    studio = await makeTenant(t.platform, 'studio');
    admin = await makeUser(t.platform);
    await addMember(t.platform, admin, studio, 'admin');
  });
  afterEach(() => t.cleanup());

  it('leaves the workspace as it was, and the same import then commits whole', async () => {
    await makeItem(t.platform, studio, { title: 'Kept', body: 'as it was' });
    const before = await tenantContent(t.platform, studio);
    t.platform.router.closeAll();
    const commit = (agent: Awaited<ReturnType<typeof signIn>>) =>
      postMultipart(agent, '/t/studio/items/import/commit', { csv: CSV, ...MAPPING, on_duplicate: 'update' });

    await killServerAt(t.dataDir, 'csv-import:rows-written', async (url) => commit(await signIn(url, admin.email)));

    expect(await tenantContent(t.platform, studio)).toEqual(before);
    expect((await commit(await signIn(createApp(t.platform).app, admin.email))).status).toBe(303);
    const items = (await tenantContent(t.platform, studio)).items as Array<{ title: string; body: string }>;
    expect(items.map((i) => [i.title, i.body]).sort()).toEqual([
      ['First', 'a'],
      ['Kept', 'rewritten'],
      ['Second', 'b'],
    ]);
  }, 60_000);
});
