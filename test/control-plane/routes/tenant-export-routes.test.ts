import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, signIn, type Agent } from '../../support/http-agent';
import { fillTenant } from '../../support/tenant-data';
import { binaryParser } from '../../workspace/files/file-fixtures';
import { readArchive } from '../../../control-plane/transfer/read-archive';
import { exportsWorkRoot } from '../../../control-plane/transfer/export-tenant';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe('the workspace export download', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let owner: Agent;
  let editor: Agent;
  let ownerId: string;
  let dir: string;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme');
    const globex = await makeTenant(t.platform, 'globex');
    await fillTenant(t, acme);
    await fillTenant(t, globex);
    const ownerUser = await makeUser(t.platform);
    ownerId = ownerUser.id;
    await addMember(t.platform, ownerUser, acme, 'owner');
    owner = await signIn(app, ownerUser.email);
    const editorUser = await makeUser(t.platform);
    await addMember(t.platform, editorUser, acme, 'editor');
    editor = await signIn(app, editorUser.email);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-download-'));
  });
  afterAll(async () => {
    await t.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const post = async (agent: Agent, slug: string) => {
    const token = await csrfFrom(agent, '/tenants');
    return agent.post(`/t/${slug}/export`).type('form').send({ _csrf: token }).buffer(true).parse(binaryParser);
  };
  const exportsOf = (tenantId: string) =>
    t.platform.db.all<{ actor_user_id: string }>("select actor_user_id from audit_events where action = 'tenant.export' and tenant_id = ?", [tenantId]);

  it('shows the owner what the export holds and what it leaves out', async () => {
    const res = await owner.get('/t/acme/export');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Download the export');
    expect(res.text).toContain('secrets (API keys)');
  });

  it('downloads the workspace as an export archive that passes the import checks, and audits it', async () => {
    const res = await post(owner, 'acme');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?acme-export-\d{4}-\d{2}-\d{2}\.tar\.gz"?$/);
    const file = path.join(dir, 'download.tar.gz');
    fs.writeFileSync(file, res.body as Buffer);
    const manifest = await readArchive(file, fs.mkdtempSync(path.join(dir, 'x-')), { maxBytes: 64 * 1024 * 1024 });
    expect(manifest).toMatchObject({ tenant: { id: acme.id, slug: 'acme' }, secrets_removed: ['mailer_api_key'] });
    expect(manifest.files).toHaveLength(4);
    expect(exportsOf(acme.id).map((r) => r.actor_user_id)).toEqual([ownerId]);
    expect(fs.readdirSync(exportsWorkRoot(t.dataDir))).toEqual([]);
  });

  it('prepares one export of a workspace at a time', async () => {
    const [a, b] = await Promise.all([post(owner, 'acme'), post(owner, 'acme')]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });

  it('is refused (403) to members without data.export', async () => {
    expect((await editor.get('/t/acme/export')).status).toBe(403);
    expect((await post(editor, 'acme')).status).toBe(403);
  });

  it("answers 404 for another tenant's export, by URL, and exports nothing of it", async () => {
    const globex = t.platform.tenants.findBySlug('globex')!;
    expect((await owner.get('/t/globex/export')).status).toBe(404);
    expect((await post(owner, 'globex')).status).toBe(404);
    expect(exportsOf(globex.id)).toEqual([]);
  });
});
