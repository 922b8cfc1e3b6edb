import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { makeItem } from '../../support/content';
import { roleId } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import { signIn } from '../../support/http-agent';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { outboxMails } from '../../support/outbox';
import { DOUBLE_SUBMIT_MS } from '../../../core/http/double-submit';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('the REST API', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let owner: UserRecord;
  let token: string;
  let approverToken: string;

  beforeAll(async () => {
    t = await createTestPlatform({ API_RATE_LIMIT: '400' });
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme');
    owner = await makeUser(t.platform, { email: 'owner@acme.test' });
    const approver = await makeUser(t.platform);
    await addMember(t.platform, owner, acme, 'owner');
    await addMember(t.platform, approver, acme, 'approver');
    token = personalToken(t.platform, owner);
    approverToken = personalToken(t.platform, approver);
  });
  afterAll(() => t.cleanup());

  const api = () => ({
    get: (path: string) => request(app).get(`/api/v1/t/acme${path}`).set(bearer(token)),
    post: (path: string, body: object = {}, as = token) => request(app).post(`/api/v1/t/acme${path}`).set(bearer(as)).send(body),
    patch: (path: string, body: object) => request(app).patch(`/api/v1/t/acme${path}`).set(bearer(token)).send(body),
  });

  it('lists items with the page filters, newest first, a page at a time through an opaque cursor', async () => {
    for (let i = 1; i <= 5; i++) await makeItem(t.platform, acme, { title: `Paged ${i}`, channel: 'blog', tags: ['paged'] });
    await makeItem(t.platform, acme, { title: 'Paged but elsewhere', channel: 'news', tags: ['paged'] });
    const first = await api().get('/items?tag=paged&channel=blog&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.data.map((i: { title: string }) => i.title)).toEqual(['Paged 5', 'Paged 4']);
    const second = await api().get(`/items?tag=paged&channel=blog&limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.data.map((i: { title: string }) => i.title)).toEqual(['Paged 3', 'Paged 2']);
    const last = await api().get(`/items?tag=paged&channel=blog&limit=2&cursor=${second.body.next_cursor}`);
    expect(last.body).toMatchObject({ data: [{ title: 'Paged 1', tags: ['paged'] }], next_cursor: null });
  });

  it('answers bad input with problem+json naming each field', async () => {
    const res = await api().post('/items', { title: '', tags: 'not-a-list', scheduled_at: 'tomorrow' });
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.body).toMatchObject({ type: '/docs/api#problem-validation_failed', status: 400, code: 'validation_failed', instance: '/api/v1/t/acme/items' });
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['scheduled_at', 'tags', 'title']);
    const filter = await api().get('/items?status=nope&cursor=!!');
    expect(filter.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['cursor', 'status']);
    expect((await api().get('/items?cursor=Zm9v')).body.errors).toEqual([{ field: 'cursor', message: 'is not a cursor from a previous page' }]);
  });

  it('creates, reads and edits an item; an edit changes only the fields sent', async () => {
    const created = await api().post('/items', { title: 'Spring launch', body: 'Draft', tags: ['Launch'], scheduled_at: '2031-03-01T09:00:00+01:00' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/t/acme/items/${created.body.data.id}`);
    expect(created.body.data).toMatchObject({ title: 'Spring launch', tags: ['launch'], status: 'draft', scheduled_at: '2031-03-01T08:00:00.000Z' });
    const edited = await api().patch(`/items/${created.body.data.id}`, { body: 'Final text' });
    expect(edited.body.data).toMatchObject({ title: 'Spring launch', body: 'Final text', tags: ['launch'], revision: 2 });
    expect((await api().get(`/items/${created.body.data.id}`)).body.data.body).toBe('Final text');
    expect((await api().get('/items/0x10')).status).toBe(404);
  });

  it('moves an item through the workflow with the same rules as the pages (four eyes, 409 from the wrong state)', async () => {
    const id = (await api().post('/items', { title: 'Reviewed' })).body.data.id;
    expect((await api().post(`/items/${id}/submit`)).body.transition).toEqual({ from: 'draft', to: 'in_review' });
    const self = await api().post(`/items/${id}/approve`);
    expect(self.status).toBe(403);
    const approved = await api().post(`/items/${id}/approve`, { note: 'Good' }, approverToken);
    expect(approved.body).toMatchObject({ data: { status: 'approved' }, transition: { to: 'approved', approvals: { count: 1, required: 1 } } });
    expect((await api().post(`/items/${id}/submit`)).status).toBe(409);
    const scheduled = await api().post(`/items/${id}/schedule`, { publish_at: '2031-06-01T09:00:00Z' });
    expect(scheduled.body.data).toMatchObject({ status: 'scheduled', scheduled_at: '2031-06-01T09:00:00.000Z' });
    expect(t.platform.scheduleHints.get(acme.id)).toBe(Date.parse('2031-06-01T09:00:00Z'));
    expect((await api().post(`/items/${id}/publish`)).body.data.status).toBe('published');
  });

  it('takes and lists comments, and uploads and downloads attachments typed by their bytes', async () => {
    const item = await makeItem(t.platform, acme);
    const comment = await api().post(`/items/${item.id}/comments`, { body: 'Ship it' });
    expect(comment.status).toBe(201);
    expect((await api().get(`/items/${item.id}/comments`)).body.data).toEqual([expect.objectContaining({ body: 'Ship it', author_id: owner.id })]);

    const upload = await request(app)
      .post(`/api/v1/t/acme/items/${item.id}/attachments`)
      .set(bearer(token))
      .attach('file', PNG, { filename: 'pixel.jpg', contentType: 'text/html' });
    expect(upload.status).toBe(201);
    expect(upload.body.data).toMatchObject({ name: 'pixel.jpg', content_type: 'image/png', size_bytes: PNG.length });
    const listed = await api().get(`/items/${item.id}/attachments`);
    expect(listed.body.data).toHaveLength(1);
    const download = await api().get(`/files/${upload.body.data.id}`).buffer(true);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toMatch(/^attachment/);
    const html = await request(app)
      .post(`/api/v1/t/acme/items/${item.id}/attachments`)
      .set(bearer(token))
      .attach('file', Buffer.from('<html><script>1</script>'), { filename: 'x.png', contentType: 'image/png' });
    expect(html.status).toBe(400);
    expect(html.body.errors[0].field).toBe('file');
  });

  it("reads settings, members and roles, and invites and revokes through the pages' rules", async () => {
    expect((await api().get('/settings')).body.data).toMatchObject({ display_name: 'acme', time_zone: 'UTC', workflow: { approvals_required: 1 } });
    expect((await api().get('/members')).body.data.map((m: { user: { email: string } }) => m.user.email)).toContain('owner@acme.test');
    const roles = (await api().get('/roles')).body.data;
    expect(roles.find((r: { name: string }) => r.name === 'Viewer').permissions).toContain('content.view');

    const sent = await api().post('/invitations', { emails: ['new@acme.test', 'two@acme.test'], role_id: roleId(t.platform, 'editor') });
    expect(sent.status).toBe(201);
    expect(sent.body.data.map((s: { email: string }) => s.email)).toEqual(['new@acme.test', 'two@acme.test']);
    expect(sent.body.data[0].url).toMatch(/\/invitations\//);
    const revoked = await api().post(`/invitations/${sent.body.data[0].id}/revoke`);
    expect(revoked.body.data).toMatchObject({ id: sent.body.data[0].id, state: 'revoked' });
    expect((await api().get('/invitations')).body.data.find((i: { id: string }) => i.id === sent.body.data[0].id).state).toBe('revoked');
    // Past the moments in which the same member sending it again is taken as a double click.
    const later = Date.now() + DOUBLE_SUBMIT_MS + 1000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    const twice = await api().post('/invitations', { emails: ['two@acme.test'], role_id: roleId(t.platform, 'editor') });
    jest.restoreAllMocks();
    expect(twice.status).toBe(400);
    expect(twice.body.errors[0].field).toBe('emails');
  });

  it('answers hostile requests with a 4xx problem, never a 500: malformed JSON, a broken escape, an unknown path, a broken upload', async () => {
    const broken = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).set('Content-Type', 'application/json').send('{"title": ');
    expect(broken.status).toBe(400);
    expect(broken.type).toBe('application/problem+json');
    expect((await api().get('/items/%E0%A4%A')).status).toBe(400);
    const unknown = await api().get('/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.type).toBe('application/problem+json');
    const item = await makeItem(t.platform, acme);
    const cut = await request(app)
      .post(`/api/v1/t/acme/items/${item.id}/attachments`)
      .set(bearer(token))
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc');
    expect(cut.status).toBe(400);
    expect(cut.body.errors[0].field).toBe('file');
  });

  it('refuses a body that is not JSON with 415 instead of reading it as empty: no step is taken without its revision check, no edit is reported saved', async () => {
    const item = await makeItem(t.platform, acme, { title: 'As it was' });
    const before = await api().get(`/items/${item.id}`);
    for (const [type, body] of [
      ['text/plain', '{"revision":99}'],
      ['application/x-www-form-urlencoded', 'title=From+a+form'],
      ['application/xml', '<title>x</title>'],
    ]) {
      const res = await request(app).post(`/api/v1/t/acme/items/${item.id}/submit`).set(bearer(token)).set('Content-Type', type).send(body);
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ code: 'unsupported_media_type', type: '/docs/api#problem-unsupported_media_type' });
      const edit = await request(app).patch(`/api/v1/t/acme/items/${item.id}`).set(bearer(token)).set('Content-Type', type).send(body);
      expect(edit.status).toBe(415);
    }
    const latin1 = await request(app)
      .patch(`/api/v1/t/acme/items/${item.id}`)
      .set(bearer(token))
      .set('Content-Type', 'application/json; charset=latin1')
      .send('{"title":"x"}');
    expect(latin1.status).toBe(415);
    expect(latin1.body.code).toBe('unsupported_media_type');
    expect((await api().get(`/items/${item.id}`)).body).toEqual(before.body);
    // An action that needs no fields may come with no body at all.
    expect((await request(app).post(`/api/v1/t/acme/items/${item.id}/submit`).set(bearer(token))).status).toBe(200);
  });

  it('refuses a body nested deeper than any of its own under an Idempotency-Key with 400, not a 500', async () => {
    const deep = `{"body":"x","zz":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const item = await makeItem(t.platform, acme);
    const res = await request(app)
      .post(`/api/v1/t/acme/items/${item.id}/comments`)
      .set(bearer(token))
      .set('Idempotency-Key', 'deep-1')
      .set('Content-Type', 'application/json')
      .send(deep);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'body', message: 'nests deeper than 64 levels' }]);
  });

  it('names each field of a body of the wrong shape in words: a list where fields are expected, tags that are no list, a title with a line break, half a character', async () => {
    const array = await request(app)
      .post('/api/v1/t/acme/items')
      .set(bearer(token))
      .send([{ title: 'x' }]);
    expect(array.body.errors).toEqual([{ field: 'body', message: 'must be an object of named fields' }]);
    const tags = await api().post('/items', { title: 'Tagged', tags: 'news' });
    expect(tags.body.errors).toEqual([{ field: 'tags', message: 'must be a list of tags' }]);
    const title = await api().post('/items', { title: 'a\r\nBcc: x@y' });
    expect(title.body.errors).toEqual([{ field: 'title', message: 'must be one line, without control characters' }]);
    const half = await request(app)
      .post('/api/v1/t/acme/items')
      .set(bearer(token))
      .set('Content-Type', 'application/json')
      .send('{"title":"ok","body":"\\ud800"}');
    expect(half.body.errors).toEqual([{ field: 'body', message: 'must be whole characters' }]);
    const note = await api().post(`/items/${(await makeItem(t.platform, acme)).id}/submit`, { note: 5 });
    expect(note.body.errors).toEqual([{ field: 'note', message: 'must be text' }]);
  });

  it('names only the faulty field of an invitation sent through the API, with its reason', async () => {
    const viewer = roleId(t.platform, 'viewer');
    const fifty = Array.from({ length: 51 }, (_, i) => `n${i}@acme.test`);
    expect((await api().post('/invitations', { emails: fifty, role_id: viewer })).body.errors).toEqual([
      { field: 'emails', message: 'may hold at most 50 addresses at once' },
    ]);
    expect((await api().post('/invitations', { emails: ['ok@acme.test'], role_id: 1.5 })).body.errors).toEqual([
      { field: 'role_id', message: 'must be a role id (a whole number)' },
    ]);
    expect((await api().post('/invitations', { emails: ['ok@acme.test', 7], role_id: viewer })).body.errors).toEqual([
      { field: 'emails', message: 'must be addresses: one string, or a list of strings' },
    ]);
  });

  it('documents on /docs/api every problem code its answers point at', async () => {
    const page = (await request(app).get('/docs/api')).text;
    for (const code of [
      'bad_request',
      'unsupported_media_type',
      'validation_failed',
      'revision_conflict',
      'range_not_satisfiable',
      'limit_reached',
      'feature_disabled',
      'tenant_suspended',
      'internal_error',
    ])
      expect(page).toContain(`id="problem-${code}"`);
  });

  it('serves a signed-in session too, whose POSTs still need the CSRF token', async () => {
    const agent = await signIn(app, owner.email);
    expect((await agent.get('/api/v1/t/acme/items?limit=1')).status).toBe(200);
    const refused = await agent.post('/api/v1/t/acme/items').send({ title: 'No token' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('csrf_invalid');
    const csrf = (await agent.get('/api/v1/context')).headers['x-csrf-token'] as string;
    expect((await agent.post('/api/v1/t/acme/items').set('x-csrf-token', csrf).send({ title: 'With token' })).status).toBe(201);
    expect((await agent.get('/api/v1/me')).body).toMatchObject({ user: { email: 'owner@acme.test' }, token: null });
  });
});

describe('the super-admin API', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it('creates a tenant once under an Idempotency-Key kept in the control plane, with its first owner', async () => {
    const app = createApp(t.platform).app;
    const root = await makeUser(t.platform, { superAdmin: true });
    const token = personalToken(t.platform, root, { scopes: ['admin.tenants', 'admin.users'] });
    const send = (body: object) => request(app).post('/api/v1/admin/tenants').set(bearer(token)).set('Idempotency-Key', 'new-tenant-1').send(body);
    const created = await send({ name: 'Initech', slug: 'initech', owner_email: 'boss@initech.test' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      data: { slug: 'initech', status: 'active' },
      invitation_url: expect.stringContaining('/invitations/'),
      invitation_mailed: true,
    });
    const again = await send({ name: 'Initech', slug: 'initech', owner_email: 'boss@initech.test' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(created.body);
    // Mailed once, with the link in the answer, however often the request is replayed.
    const mails = outboxMails(t.dataDir).filter((m) => m.to === 'boss@initech.test');
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain(created.body.invitation_url);
    expect((await send({ name: 'Other', slug: 'other' })).status).toBe(422);
    expect(t.platform.tenants.list().filter((x) => x.slug === 'initech')).toHaveLength(1);
    const users = await request(app).get('/api/v1/admin/users?q=example').set(bearer(token));
    expect(users.status).toBe(200);
    expect(users.body.data.map((u: { id: string }) => u.id)).toContain(root.id);
    const bad = await request(app).post('/api/v1/admin/tenants').set(bearer(token)).send({ name: '', slug: 'Bad Slug!' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'slug']);
  });
});

describe('the per-token rate limit', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform({ API_RATE_LIMIT: '3' });
  });
  afterAll(() => t.cleanup());

  it('counts each token on its own, sends RateLimit headers, and answers 429 problem+json naming the whole path past the limit', async () => {
    const app = createApp(t.platform).app;
    const tenant = await makeTenant(t.platform, 'busy');
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, tenant, 'owner');
    const [one, two] = [personalToken(t.platform, user), personalToken(t.platform, user)];
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await request(app).get('/api/v1/t/busy/items').set(bearer(one));
      statuses.push(res.status);
      if (i === 0) {
        expect(res.headers.ratelimit).toMatch(/r=2/);
        expect(res.headers['ratelimit-policy']).toMatch(/q=3; w=60/);
      }
      if (res.status === 429) expect(res.body).toMatchObject({ code: 'rate_limited', status: 429, instance: '/api/v1/t/busy/items' });
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await request(app).get('/api/v1/t/busy/items').set(bearer(two))).status).toBe(200);
  });
});
