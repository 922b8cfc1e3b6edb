import request from 'supertest';
import type { Express } from 'express';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { inTenant } from '../../support/content';
import { bearer, personalToken } from '../../support/api-tokens';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

describe('a new item sent twice by the same member (a double click on Create)', () => {
  let t: TestPlatform;
  let app: Express;
  let tenant: TenantRecord;
  let editor: Agent;
  let editorUser: UserRecord;
  let other: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    tenant = await makeTenant(t.platform, 'studio');
    editorUser = await makeUser(t.platform, { name: 'The editor' });
    await addMember(t.platform, editorUser, tenant, 'editor');
    editor = await signIn(app, editorUser.email);
    const otherUser = await makeUser(t.platform, { name: 'Another editor' });
    await addMember(t.platform, otherUser, tenant, 'editor');
    other = await signIn(app, otherUser.email);
  });
  afterEach(() => t.cleanup());

  const FORM = { title: 'Spring launch', body: 'Draft copy', channel: '', tags: 'news, launch' };
  const items = () => inTenant(t.platform, tenant, (db) => db.all<{ id: number; title: string }>('select id, title from items order by id'));
  const history = () => inTenant(t.platform, tenant, (db) => db.all('select item_id, action from item_history order by id'));

  it('makes one draft of two forms sent one after the other, the second redirected to it', async () => {
    const first = await postForm(editor, '/t/studio/items', FORM);
    const second = await postForm(editor, '/t/studio/items', FORM);

    expect([first.status, second.status]).toEqual([303, 303]);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await items()).toHaveLength(1);
    expect(await history()).toHaveLength(1);
  });

  it('makes one draft of two forms sent at once, both redirected to it', async () => {
    const [a, b] = await Promise.all([postForm(editor, '/t/studio/items', FORM), postForm(editor, '/t/studio/items', FORM)]);

    expect([a.status, b.status]).toEqual([303, 303]);
    expect(a.headers.location).toBe(b.headers.location);
    expect(await items()).toHaveLength(1);
  });

  it('makes one draft of the same API creation sent twice without an idempotency key, answering both with it', async () => {
    const token = personalToken(t.platform, editorUser);
    const create = () => request(app).post('/api/v1/t/studio/items').set(bearer(token)).send({ title: 'Spring launch', body: 'Draft copy' });
    const [a, b] = await Promise.all([create(), create()]);

    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual(a.body);
    expect(await items()).toHaveLength(1);
  });

  it('still makes a second draft when anything differs, when another member sends the same, or long after', async () => {
    await postForm(editor, '/t/studio/items', FORM);
    await postForm(editor, '/t/studio/items', { ...FORM, tags: 'news' });
    await postForm(other, '/t/studio/items', FORM);
    await inTenant(t.platform, tenant, (db) => db.run('update items set created_at = created_at - 86400000'));
    await postForm(editor, '/t/studio/items', FORM);

    expect(await items()).toHaveLength(4);
  });
});
