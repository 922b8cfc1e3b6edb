import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { bearer, personalToken } from '../../support/api-tokens';
import { auditOf } from '../../support/team';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

const FORM = { display_name: 'Acme', accent_color: '#2f5bd3', language: 'en', storage_quota_mb: '' };

describe("the API's settings", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let other: TenantRecord;
  let user: UserRecord;
  let owner: Agent;
  let token: string;

  beforeAll(async () => {
    t = await createTestPlatform({ API_RATE_LIMIT: '1000' });
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme');
    other = await makeTenant(t.platform, 'other');
    user = await makeUser(t.platform);
    await addMember(t.platform, user, acme, 'owner');
    owner = await signIn(app, user.email);
    token = personalToken(t.platform, user);
  });
  afterAll(() => t.cleanup());

  const api = (method: 'get' | 'patch', tenant = acme, as = token) => request(app)[method](`/api/v1/t/${tenant.slug}/settings`).set(bearer(as));
  const settingsOf = async (tenant = acme) => (await api('get', tenant, await ownerOf(tenant))).body.data;
  const owners = new Map<string, string>();
  const ownerOf = async (tenant: TenantRecord) => {
    if (tenant.id === acme.id) return token;
    if (!owners.has(tenant.id)) {
      const someone = await makeUser(t.platform);
      await addMember(t.platform, someone, tenant, 'owner');
      owners.set(tenant.id, personalToken(t.platform, someone));
    }
    return owners.get(tenant.id) as string;
  };
  const member = async (role: string, tenant = acme) => {
    const someone = await makeUser(t.platform);
    await addMember(t.platform, someone, tenant, role);
    return someone;
  };

  it.each([
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['US/Pacific', 'America/Los_Angeles'],
    ['Europe/Paris', 'Europe/Paris'],
  ])('names the zone saved as %s by its current name, %s, as the pages do', async (typed, current) => {
    expect((await postForm(owner, '/t/acme/settings', { ...FORM, time_zone: typed })).status).toBe(303);
    const res = await api('get');
    expect(res.status).toBe(200);
    expect(res.body.data.time_zone).toBe(current);
    expect((await owner.get('/t/acme/items/new')).text).toContain(`(${current})`);
  });

  it('changes only the fields sent, answers the settings after the change with its audit record, and a member sees it on their next request', async () => {
    expect((await postForm(owner, '/t/acme/settings', { ...FORM, time_zone: 'Europe/Paris' })).status).toBe(303);
    const viewer = await signIn(app, (await member('viewer')).email);
    expect((await viewer.get('/t/acme')).text).not.toContain('Acme Studio');
    const records = auditOf(t.platform, 'tenant.settings.updated').length;

    const res = await api('patch').send({ display_name: '  Acme Studio ', accent_color: '#AA3300' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ display_name: 'Acme Studio', accent_color: '#aa3300', time_zone: 'Europe/Paris', language: 'en' });
    expect((await api('get')).body).toEqual(res.body);
    const records2 = auditOf(t.platform, 'tenant.settings.updated');
    expect(records2).toHaveLength(records + 1);
    expect(records2.at(-1)).toMatchObject({ actor_user_id: user.id, tenant_id: acme.id });
    expect(JSON.parse(records2.at(-1)?.after ?? '{}')).toEqual({
      display_name: 'Acme Studio',
      accent_color: '#aa3300',
      time_zone: 'Europe/Paris',
      language: 'en',
    });

    const page = await viewer.get('/t/acme');
    expect(page.text).toContain('Acme Studio');
    expect(page.text).toContain('#aa3300');
    // The switcher's name in the control plane follows, as from the page.
    expect(t.platform.tenants.findById(acme.id)?.display_name).toBe('Acme Studio');

    expect((await api('patch').send({ language: 'fr', time_zone: 'US/Pacific' })).body.data).toMatchObject({
      display_name: 'Acme Studio',
      time_zone: 'America/Los_Angeles',
      language: 'fr',
    });
    expect((await viewer.get('/t/acme')).text).toContain('lang="fr"');
    // The same change again changes nothing, and records nothing.
    const count = auditOf(t.platform, 'tenant.settings.updated').length;
    expect((await api('patch').send({ language: 'fr' })).status).toBe(200);
    expect(auditOf(t.platform, 'tenant.settings.updated')).toHaveLength(count);
    await api('patch').send({ language: 'en' });
  });

  it("refuses an unknown field or a value the page refuses with 400 naming each field with the page's reason, changing nothing", async () => {
    const before = await settingsOf();
    const records = auditOf(t.platform, 'tenant.settings.updated').length;
    const refused = async (body: object) => {
      const res = await api('patch').send(body);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'validation_failed' });
      return res.body.errors;
    };
    expect(await refused({ display_name: 'Fine', langauge: 'fr' })).toEqual([
      { field: 'langauge', message: 'is not a field of this request (it takes display_name, accent_color, time_zone, language, revision)' },
    ]);
    expect(await refused({ display_name: '   ', accent_color: 'red' })).toEqual([
      { field: 'display_name', message: 'is required' },
      { field: 'accent_color', message: 'must be a colour written #rrggbb, e.g. #2f5bd3' },
    ]);
    expect(await refused({ accent_color: '#FFDD00' })).toEqual([
      { field: 'accent_color', message: 'is too light to read white text on, or links in it: choose a darker shade' },
    ]);
    expect(await refused({ time_zone: 'Mars/Olympus', language: 'xx' })).toEqual([
      { field: 'time_zone', message: 'is not a known time zone (e.g. Europe/Paris, America/New_York or UTC)' },
      { field: 'language', message: 'must be one of the languages offered' },
    ]);
    expect(await refused({ display_name: 42 })).toEqual([{ field: 'display_name', message: 'must be text' }]);
    expect(await refused({ display_name: 'x'.repeat(101) })).toEqual([{ field: 'display_name', message: 'must be at most 100 characters' }]);
    // The page gives the same reasons for the same values.
    const page = await postForm(owner, '/t/acme/settings', { ...FORM, accent_color: 'red', time_zone: 'UTC' });
    expect(page.status).toBe(400);
    expect(page.text).toContain('must be a colour written #rrggbb, e.g. #2f5bd3');
    expect(await settingsOf()).toEqual(before);
    expect(auditOf(t.platform, 'tenant.settings.updated')).toHaveLength(records);
  });

  it('refuses a query parameter on reading or changing the settings with 400 naming it, changing nothing', async () => {
    const before = await settingsOf();
    const read = await request(app).get('/api/v1/t/acme/settings?fields=language').set(bearer(token));
    expect({ status: read.status, errors: read.body.errors }).toEqual({
      status: 400,
      errors: [{ field: 'fields', message: 'is not a parameter of this request (it takes none)' }],
    });
    const change = await request(app).patch('/api/v1/t/acme/settings?language=fr').set(bearer(token)).send({ accent_color: '#123456' });
    expect({ status: change.status, errors: change.body.errors }).toEqual({
      status: 400,
      errors: [{ field: 'language', message: 'is not a parameter of this request (it takes none)' }],
    });
    expect(await settingsOf()).toEqual(before);
  });

  it('refuses a viewer and an editor (403), and the display name and colour on a plan without branding (403 feature_disabled), changing nothing', async () => {
    const before = await settingsOf();
    for (const role of ['viewer', 'editor']) {
      const res = await api('patch', acme, personalToken(t.platform, await member(role))).send({ display_name: 'Taken over' });
      expect({ role, status: res.status, code: res.body.code }).toEqual({ role, status: 403, code: 'forbidden' });
    }
    expect(await settingsOf()).toEqual(before);

    const plain = await makeTenant(t.platform, 'plain');
    t.platform.plans.setTenantOverrides(plain.id, { features: { branding: false } });
    const plainToken = await ownerOf(plain);
    const plainBefore = await settingsOf(plain);
    for (const body of [{ display_name: 'Branded' }, { accent_color: '#000000', time_zone: 'Europe/Paris' }]) {
      const res = await api('patch', plain, plainToken).send(body);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'feature_disabled' });
    }
    expect(await settingsOf(plain)).toEqual(plainBefore);
    // What the page offers on that plan still changes.
    expect((await api('patch', plain, plainToken).send({ time_zone: 'Europe/Paris' })).body.data.time_zone).toBe('Europe/Paris');
  });

  it("answers 404 for another workspace's slug, and for a token limited to another workspace, changing nothing there", async () => {
    await member('owner', other);
    const theirs = await settingsOf(other);
    const mine = await settingsOf();
    const res = await api('patch', other).send({ display_name: 'Defaced' });
    expect({ status: res.status, type: res.type }).toEqual({ status: 404, type: 'application/problem+json' });

    // A member of both whose token is limited to the other workspace changes nothing here.
    const both = await member('owner');
    await addMember(t.platform, both, other, 'owner');
    const limited = personalToken(t.platform, both, { tenant: other });
    expect((await api('patch', acme, limited).send({ display_name: 'Defaced' })).status).toBe(404);
    expect(await settingsOf(other)).toEqual(theirs);
    expect(await settingsOf()).toEqual(mine);
  });

  it('refuses a change sent with the revision a client read before someone else changed the settings (409 revision_conflict naming the current one), changing nothing', async () => {
    const read = (await api('get')).body.data;
    expect(read.revision).toEqual(expect.any(Number));
    // Someone saves the page meanwhile.
    expect((await postForm(owner, '/t/acme/settings', { ...FORM, display_name: read.display_name, time_zone: 'Europe/Lisbon' })).status).toBe(303);
    const before = await settingsOf();
    expect(before.revision).toBe(read.revision + 1);
    const records = auditOf(t.platform, 'tenant.settings.updated').length;

    const res = await api('patch').send({ accent_color: '#123456', time_zone: read.time_zone, revision: read.revision });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'revision_conflict', current_revision: read.revision + 1 });
    expect(await settingsOf()).toEqual(before);
    expect(auditOf(t.platform, 'tenant.settings.updated')).toHaveLength(records);
    // The current revision is taken, and raised; none sent changes the fields sent as before.
    const done = await api('patch').send({ accent_color: '#123456', revision: before.revision });
    expect({ status: done.status, ...done.body.data }).toMatchObject({
      status: 200,
      accent_color: '#123456',
      time_zone: 'Europe/Lisbon',
      revision: before.revision + 1,
    });
    expect((await api('patch').send({ accent_color: '#2f5bd3' })).body.data).toMatchObject({ accent_color: '#2f5bd3', revision: before.revision + 2 });
    expect((await api('patch').send({ revision: 0 })).body.errors).toEqual([{ field: 'revision', message: 'must be a revision number' }]);
  });

  it('answers a change sent again on the revision it was first sent with as done (200), writing nothing more, while one that changes a field is still refused', async () => {
    const read = (await api('get')).body.data;
    const change = { accent_color: '#345678', time_zone: 'Asia/Tokyo', revision: read.revision };
    const first = await api('patch').send(change);
    expect(first.status).toBe(200);
    const records = auditOf(t.platform, 'tenant.settings.updated').length;

    const again = await api('patch').send(change);

    expect({ status: again.status, ...again.body.data }).toEqual({ status: 200, ...first.body.data });
    expect(await settingsOf()).toEqual(first.body.data);
    expect(auditOf(t.platform, 'tenant.settings.updated')).toHaveLength(records);
    const stale = await api('patch').send({ ...change, accent_color: '#456789' });
    expect(stale.body).toMatchObject({ code: 'revision_conflict', current_revision: read.revision + 1 });
    expect(await settingsOf()).toEqual(first.body.data);
  });

  it("is not helped by the revision another workspace's settings are at", async () => {
    const theirs = await ownerOf(other);
    for (let i = 0; i < 5; i++) await api('patch', other, theirs).send({ accent_color: i % 2 ? '#000000' : '#111111' });
    const otherRevision = (await settingsOf(other)).revision;
    const before = await settingsOf();
    expect(otherRevision).not.toBe(before.revision);

    const res = await api('patch').send({ accent_color: '#654321', revision: otherRevision });

    expect(res.body).toMatchObject({ code: 'revision_conflict', current_revision: before.revision });
    expect(await settingsOf()).toEqual(before);
  });
});
