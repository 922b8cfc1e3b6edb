import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, signIn, type Agent } from '../../support/http-agent';
import { binaryParser } from '../../workspace/files/file-fixtures';
import { auditOf } from '../../support/team';
import * as exportModule from '../../../control-plane/transfer/export-tenant';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

/** An export asked for while one of the workspace is being prepared is refused (409) on the export page, above its button. */
describe('a refused workspace export', () => {
  let t: TestPlatform;
  let alpha: TenantRecord;
  let owner: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    alpha = await makeTenant(t.platform, 'alpha');
    const olive = await makeUser(t.platform);
    await addMember(t.platform, olive, alpha, 'owner');
    owner = await signIn(app, olive.email);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.cleanup();
  });

  const post = async (slug: string) => {
    const _csrf = await csrfFrom(owner, '/tenants');
    return owner.post(`/t/${slug}/export`).type('form').send({ _csrf }).buffer(true).parse(binaryParser);
  };
  const workLeft = () => {
    const root = exportModule.exportsWorkRoot(t.dataDir);
    return fs.existsSync(root) ? fs.readdirSync(root) : [];
  };

  /** The real export, held at its start until `release` is called: the first request stays under way, whatever the machine's speed. */
  function holdExports() {
    let started!: () => void;
    let release!: () => void;
    const underWay = new Promise<void>((resolve) => (started = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const real = exportModule.exportTenant;
    jest.spyOn(exportModule, 'exportTenant').mockImplementation(async (...args) => {
      started();
      await gate;
      return real(...args);
    });
    return { underWay, release };
  }

  it('answers a second export while the first is being prepared (409) on the export page, saying to wait for its download, exporting once', async () => {
    const held = holdExports();
    const first = post('alpha');
    await held.underWay;
    const res = await post('alpha');
    held.release();
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const page = (res.body as Buffer).toString('utf8');
    expect(page).toContain('<h1>Export your data</h1>');
    expect(page).toContain(
      '<div class="alert" role="alert">\n    <p>An export of this workspace is already being prepared. Wait for its download, then try again.</p>',
    );
    expect(page).toContain('Download the export');
    expect((await first).status).toBe(200);
    expect(auditOf(t.platform, 'tenant.export').map((e) => e.tenant_id)).toEqual([alpha.id]);
    expect(workLeft()).toEqual([]);
  });
});
