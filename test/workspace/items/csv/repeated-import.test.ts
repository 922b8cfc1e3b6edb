import { createTestPlatform, type TestPlatform } from '../../../support/test-platform';
import { createApp } from '../../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../../support/factories';
import { signIn, type Agent } from '../../../support/http-agent';
import { postMultipart, tenantContent } from '../../../support/content';
import type { TenantRecord } from '../../../../control-plane/tenants/tenant-record';
import { DOUBLE_SUBMIT_MS } from '../../../../core/http/double-submit';
import { csvSha256 } from '../../../../workspace/items/csv/repeated-import';

const MAPPING = { map_title: '0', map_body: '1', map_channel: '2', map_tags: '3', map_scheduled_at: '4' };
const CSV = 'Title,Body,Channel,Tags,When\nLaunch post,Hello,blog,news,2031-03-01 09:30\nTeaser,,social,,\n';

describe('the same CSV file committed twice', () => {
  let t: TestPlatform;
  let studio: TenantRecord;
  let other: TenantRecord;
  let ada: Agent;
  let bob: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    studio = await makeTenant(t.platform, 'studio');
    other = await makeTenant(t.platform, 'other');
    const adaUser = await makeUser(t.platform);
    await addMember(t.platform, adaUser, studio, 'admin');
    await addMember(t.platform, adaUser, other, 'admin');
    ada = await signIn(app, adaUser.email);
    const bobUser = await makeUser(t.platform);
    await addMember(t.platform, bobUser, studio, 'admin');
    bob = await signIn(app, bobUser.email);
  });
  afterEach(() => t.cleanup());

  const commit = (agent: Agent, slug = 'studio', csv = CSV, extra: Record<string, string> = {}) =>
    postMultipart(agent, `/t/${slug}/items/import/commit`, { csv, ...MAPPING, on_duplicate: 'skip', ...extra });
  const items = async (tenant = studio) => (await tenantContent(t.platform, tenant)).items as Array<Record<string, unknown>>;
  const imports = () =>
    t.platform.db.all<{ tenant_id: string; after: string }>("select tenant_id, after from audit_events where action = 'items.import' order by id");
  const leaveTheWindow = () =>
    t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'items.import'", [DOUBLE_SUBMIT_MS + 1000]);

  it('is answered as done with the first import’s result, importing nothing twice', async () => {
    const first = await commit(ada);
    expect(first.status).toBe(303);
    const content = await tenantContent(t.platform, studio);
    const again = await commit(ada);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers.location).toBe('/t/studio/items?imported=2&updated=0&skipped=0');
    expect(await tenantContent(t.platform, studio)).toEqual(content);
    expect(imports()).toHaveLength(1);
  });

  it('is answered once each when both are sent at once', async () => {
    const [one, two] = await Promise.all([commit(ada), commit(ada)]);
    expect([one.status, two.status]).toEqual([303, 303]);
    expect(two.headers.location).toBe(one.headers.location);
    expect(await items()).toHaveLength(2);
    expect(imports()).toHaveLength(1);
  });

  it('updates nothing a second time when duplicates are to be updated', async () => {
    await commit(ada, 'studio', CSV, { on_duplicate: 'update' });
    const content = await tenantContent(t.platform, studio);
    const again = await commit(ada, 'studio', CSV, { on_duplicate: 'update' });
    expect(again.headers.location).toBe('/t/studio/items?imported=2&updated=0&skipped=0');
    expect(await tenantContent(t.platform, studio)).toEqual(content);
  });

  it('keeps the file’s SHA-256 in the import’s audit record, never its contents', async () => {
    await commit(ada);
    const [record] = imports();
    expect(JSON.parse(record.after)).toEqual(expect.objectContaining({ sha256: csvSha256(CSV), create: 2 }));
    expect(record.after).not.toContain('Launch post');
  });

  describe('behaves as ever', () => {
    it('for another file: it is imported', async () => {
      await commit(ada);
      const res = await commit(ada, 'studio', `${CSV}Third,,blog,,\n`);
      expect(res.headers.location).toBe('/t/studio/items?imported=1&updated=0&skipped=2');
      expect(await items()).toHaveLength(3);
    });

    it('for the same file with other choices: updating its duplicates is done', async () => {
      await commit(ada);
      const res = await commit(ada, 'studio', CSV, { on_duplicate: 'update' });
      expect(res.headers.location).toBe('/t/studio/items?imported=0&updated=2&skipped=0');
    });

    it('for another member: nothing new to import (400)', async () => {
      await commit(ada);
      const res = await commit(bob);
      expect(res.status).toBe(400);
      expect(res.text).toContain('the file holds nothing to import');
      expect(imports()).toHaveLength(1);
    });

    it('after the window: nothing new to import (400)', async () => {
      await commit(ada);
      leaveTheWindow();
      const res = await commit(ada);
      expect(res.status).toBe(400);
      expect(res.text).toContain('the file holds nothing to import');
    });
  });

  describe('across workspaces', () => {
    it('imports a file committed in one workspace into the other as a new import, not as its repeat', async () => {
      await commit(ada, 'other');
      const res = await commit(ada, 'studio');
      expect(res.headers.location).toBe('/t/studio/items?imported=2&updated=0&skipped=0');
      expect(await items(studio)).toHaveLength(2);
      expect(await items(other)).toHaveLength(2);
      expect(imports().map((record) => record.tenant_id)).toEqual([other.id, studio.id]);
    });

    it('does not let a member of one workspace replay or see an import of another it is not a member of (404)', async () => {
      await commit(ada, 'other');
      const content = await tenantContent(t.platform, other);
      const res = await commit(bob, 'other');
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('imported=');
      expect(res.headers.location).toBeUndefined();
      expect(await tenantContent(t.platform, other)).toEqual(content);
      expect((await bob.get('/t/other/audit')).status).toBe(404);
      expect(imports()).toHaveLength(1);
    });

    it('refuses a form field naming another workspace (400), importing nothing there or here', async () => {
      await commit(ada, 'other');
      const res = await commit(bob, 'studio', CSV, { tenant: 'other' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('is not a field of this request');
      expect(await items(studio)).toEqual([]);
      expect(await items(other)).toHaveLength(2);
    });
  });
});
