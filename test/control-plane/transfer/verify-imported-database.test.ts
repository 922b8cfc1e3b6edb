import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { bearer, personalToken } from '../../support/api-tokens';
import { postForm, signIn } from '../../support/http-agent';
import { addEndpoint } from '../../support/webhooks';
import { tenantState } from '../../support/tenant-data';
import { exportTenant } from '../../../control-plane/transfer/export-tenant';
import { importTenant } from '../../../control-plane/transfer/import-tenant';
import BetterSqlite3 from 'better-sqlite3';
import { repack } from '../../support/archives';
import { makeItem } from '../../support/content';
import { ImportRefusedError } from '../../../core/errors/app-errors';

describe('the check of an imported database', () => {
  let t: TestPlatform;
  let outDir: string;
  beforeAll(async () => {
    t = await createTestPlatform({ WEBHOOKS_ALLOW_PRIVATE: '1' });
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-exports-'));
  });
  afterAll(async () => {
    await t.cleanup();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('takes back an export of values as long as the app lets anyone write them', async () => {
    const app = createApp(t.platform).app;
    const tenant = await makeTenant(t.platform, 'full');
    const member = await makeUser(t.platform, { name: 'Ø'.repeat(200) });
    await addMember(t.platform, member, tenant, 'owner');
    const api = (url: string) =>
      request(app)
        .post(`/api/v1/t/full${url}`)
        .set(bearer(personalToken(t.platform, member)));

    const created = await api('/items').send({ title: '表'.repeat(200), channel: 'é'.repeat(50), tags: ['ü'.repeat(40), 'x'.repeat(40)], body: 'Body' });
    expect(created.status).toBe(201);
    const id = created.body.data.id as number;
    expect((await api(`/items/${id}/comments`).send({ body: 'A comment' })).status).toBe(201);
    const uploaded = await api(`/items/${id}/attachments`).attach('file', Buffer.from('title\nrow\n'), { filename: `${'n'.repeat(296)}.csv` });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.data.name).toHaveLength(200);
    const endpoint = await addEndpoint(t.platform, tenant, 'http://127.0.0.1:9/hook', ['item.approved']);
    expect((await postForm(await signIn(app, member.email), `/t/full/webhooks/${endpoint.id}/disable`, {})).status).toBe(303);

    const archive = path.join(outDir, 'full.tar.gz');
    await exportTenant(t.platform, { slug: 'full', out: archive, actorUserId: null });
    const imported = await importTenant(t.platform, { file: archive, slug: 'full-copy', actorUserId: null });

    const copy = tenantState(t.dataDir, imported.tenant.id).tables;
    const source = tenantState(t.dataDir, tenant.id).tables;
    for (const table of ['items', 'item_tags', 'item_comments', 'item_history', 'attachments']) expect(copy[table]).toEqual(source[table]);
    // An export carries no signing secret (sealed with this deployment's key): the rest of the endpoint comes back.
    const unsealed = (rows: unknown[]) =>
      (rows as Array<Record<string, unknown>>).map(({ secret_ciphertext: _c, secret_iv: _i, secret_tag: _t, secret_key_id: _k, ...rest }) => rest);
    expect(unsealed(copy.webhook_endpoints)).toEqual(unsealed(source.webhook_endpoints));
    expect(copy.item_comments).toEqual([expect.objectContaining({ author_name: 'Ø'.repeat(200) })]);
  });

  it('refuses an item of a status the code does not know, naming it printably, and imports nothing', async () => {
    const tenant = await makeTenant(t.platform, 'odd');
    await makeItem(t.platform, tenant, { title: 'Fine' });
    await makeItem(t.platform, tenant, { title: 'Odd' });
    const archive = path.join(outDir, 'odd.tar.gz');
    await exportTenant(t.platform, { slug: 'odd', out: archive, actorUserId: null });
    const edited = path.join(outDir, 'odd-status.tar.gz');
    await repack(
      archive,
      edited,
      (dir) => {
        const db = new BetterSqlite3(path.join(dir, 'tenant.sqlite'));
        db.prepare("update items set status = ? where title = 'Odd'").run('gone\u001b[2Jwild');
        db.close();
      },
      { recomputeChecksums: true },
    );
    const before = t.platform.tenants.list().length;

    const attempt = importTenant(t.platform, { file: edited, slug: 'odd-copy', actorUserId: null });

    await expect(attempt).rejects.toBeInstanceOf(ImportRefusedError);
    await expect(attempt).rejects.toThrow(`Import refused: the database's items.status holds a status Tenantry does not know ("gone?[2Jwild")`);
    expect(t.platform.tenants.list()).toHaveLength(before);
  });
});
