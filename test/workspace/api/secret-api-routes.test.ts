import crypto from 'node:crypto';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { createLogger } from '../../../core/logging/logger';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn } from '../../support/http-agent';
import { bearer, personalToken } from '../../support/api-tokens';
import { inTenant } from '../../support/content';
import { auditOf } from '../../support/team';
import { SecretBox } from '../../../core/crypto/secret-box';
import { SecretRepository } from '../../../workspace/secrets/secret-repository';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { DOUBLE_SUBMIT_MS } from '../../../core/http/double-submit';

const VALUE = 'sk-live-4f1c2b7e9d0a5566778899aabbccdd';

describe("the API's secrets", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let other: TenantRecord;
  let admin: UserRecord;
  let token: string;
  let otherToken: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await createTestPlatform(
      { API_RATE_LIMIT: '1000', LOG_LEVEL: 'debug' },
      { logger: createLogger('debug', { write: (line: string) => logLines.push(line) }) },
    );
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme-secrets');
    other = await makeTenant(t.platform, 'other-secrets');
    admin = await makeUser(t.platform, { email: 'admin@acme.test' });
    await addMember(t.platform, admin, acme, 'admin');
    const otherOwner = await makeUser(t.platform);
    await addMember(t.platform, otherOwner, other, 'owner');
    token = personalToken(t.platform, admin);
    otherToken = personalToken(t.platform, otherOwner);
  });
  afterAll(() => t.cleanup());

  const api = (method: 'get' | 'post', path: string, as = token, tenant = acme) => request(app)[method](`/api/v1/t/${tenant.slug}${path}`).set(bearer(as));
  const box = () => new SecretBox(t.config.secretsKey);
  const revealed = (tenant: TenantRecord, name: string) => inTenant(t.platform, tenant, (db) => new SecretRepository(db).reveal(box(), name));
  const names = (tenant = acme) => inTenant(t.platform, tenant, (db) => new SecretRepository(db).list().map((s) => s.name));
  const member = async (role: string) => {
    const someone = await makeUser(t.platform);
    await addMember(t.platform, someone, acme, role);
    return someone;
  };

  it('adds a secret (201), replaces its value (200) and deletes it, with their audit records, never answering, recording or logging the value', async () => {
    const added = await api('post', '/secrets').send({ name: 'STRIPE_KEY', value: `  ${VALUE}\n` });
    expect(added.status).toBe(201);
    expect(added.body.data).toEqual({ name: 'STRIPE_KEY', hint: 'sk-…ccdd', updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(added.headers.location).toBe('/api/v1/t/acme-secrets/secrets/STRIPE_KEY');
    expect(await revealed(acme, 'STRIPE_KEY')).toBe(VALUE);

    const replaced = await api('post', '/secrets').send({ name: 'STRIPE_KEY', value: 'sk-live-0000000000000000000000009999' });
    expect(replaced.status).toBe(200);
    expect(replaced.body.data.hint).toBe('sk-…9999');
    expect((await api('get', '/secrets')).body.data).toEqual([replaced.body.data]);
    expect((await api('get', '/secrets/STRIPE_KEY')).body.data).toEqual(replaced.body.data);

    const deleted = await api('post', '/secrets/STRIPE_KEY/delete');
    expect({ status: deleted.status, body: deleted.body }).toEqual({ status: 200, body: { data: { name: 'STRIPE_KEY', deleted: true } } });
    expect(await names()).toEqual([]);
    expect((await api('get', '/secrets/STRIPE_KEY')).status).toBe(404);

    const records = ['tenant.secret.added', 'tenant.secret.replaced', 'tenant.secret.deleted'].map((action) => auditOf(t.platform, action));
    for (const record of records) expect(record).toEqual([expect.objectContaining({ actor_user_id: admin.id, tenant_id: acme.id, target_id: 'STRIPE_KEY' })]);
    const everything = JSON.stringify([added.body, replaced.body, records, logLines]);
    expect(logLines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(VALUE);
    expect(everything).not.toContain('0000000000000000000000009999');
  });

  it('lists names and masked hints to a viewer, as the settings page does, and is seen on the page the next request', async () => {
    await api('post', '/secrets').send({ name: 'MAILER', value: 'key-abcdefghijklmnop1234' });
    const viewer = await member('viewer');
    const list = await api('get', '/secrets', personalToken(t.platform, viewer));
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([{ name: 'MAILER', hint: 'key-…1234', updated_at: expect.any(String) }]);
    expect(JSON.stringify(list.body)).not.toContain('abcdefghijklmnop');
    const page = await (await signIn(app, viewer.email)).get('/t/acme-secrets/settings');
    expect(page.text).toContain('MAILER');
    await api('post', '/secrets/MAILER/delete');
  });

  it("refuses a viewer, an editor, an unknown field and a value the page refuses (the page's reasons), changing nothing and recording nothing", async () => {
    await api('post', '/secrets').send({ name: 'KEPT', value: VALUE });
    const records = auditOf(t.platform, 'tenant.secret.added').length + auditOf(t.platform, 'tenant.secret.deleted').length;
    for (const role of ['viewer', 'editor']) {
      const as = personalToken(t.platform, await member(role));
      expect((await api('post', '/secrets', as).send({ name: 'PLANTED', value: VALUE })).status).toBe(403);
      expect((await api('post', '/secrets', as).send({ name: 'KEPT', value: 'replaced-by-a-viewer' })).status).toBe(403);
      expect((await api('post', '/secrets/KEPT/delete', as)).status).toBe(403);
    }
    const errors = async (body: object) => {
      const res = await api('post', '/secrets').send(body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).not.toContain(VALUE);
      return res.body.errors;
    };
    expect(await errors({ name: 'KEPT', value: VALUE, secret_value: 'x' })).toEqual([
      { field: 'secret_value', message: 'is not a field of this request (it takes name, value)' },
    ]);
    expect(await errors({ name: '9lives', value: 'a\nb' })).toEqual([
      { field: 'name', message: 'must start with a letter and use at most 64 letters, digits, _ . or -' },
      { field: 'value', message: 'must be on one line, without control characters' },
    ]);
    expect(await errors({ name: 'KEPT' })).toEqual([{ field: 'value', message: 'is required' }]);
    expect(await errors({ name: 'KEPT', value: 'x'.repeat(4097) })).toEqual([{ field: 'value', message: 'must be at most 4096 characters' }]);
    expect(await errors({ name: 'KEPT', value: 42 })).toEqual([{ field: 'value', message: 'must be text' }]);
    expect(await names()).toEqual(['KEPT']);
    expect(await revealed(acme, 'KEPT')).toBe(VALUE);
    expect(auditOf(t.platform, 'tenant.secret.added').length + auditOf(t.platform, 'tenant.secret.deleted').length).toBe(records);
    await api('post', '/secrets/KEPT/delete');
  });

  it('refuses a new secret past the 200 a workspace holds with 400 naming `name`, and still replaces one it has', async () => {
    await inTenant(t.platform, acme, (db) => {
      const repo = new SecretRepository(db);
      for (let i = 0; i < 200; i++) repo.save(box(), `S${i}`, `value-${i}`, null);
    });
    const res = await api('post', '/secrets').send({ name: 'ONE_MORE', value: VALUE });
    expect({ status: res.status, errors: res.body.errors }).toEqual({
      status: 400,
      errors: [{ field: 'name', message: 'cannot be added: a workspace holds at most 200 secrets' }],
    });
    expect((await api('post', '/secrets').send({ name: 'S7', value: VALUE })).status).toBe(200);
    expect(await names()).toHaveLength(200);
    await inTenant(t.platform, acme, (db) => db.run('delete from secrets'));
  });

  it('replays an addition and a deletion retried with their Idempotency-Key: one record each', async () => {
    const add = () => api('post', '/secrets').set('Idempotency-Key', 'secret-once').send({ name: 'ONCE', value: VALUE });
    const first = await add();
    const again = await add();
    expect([first.status, again.status, again.headers['idempotent-replayed']]).toEqual([201, 201, 'true']);
    expect(again.body).toEqual(first.body);
    const remove = () => api('post', '/secrets/ONCE/delete').set('Idempotency-Key', 'secret-gone');
    const deleted = await remove();
    const replayed = await remove();
    expect([deleted.status, replayed.status, replayed.headers['idempotent-replayed']]).toEqual([200, 200, 'true']);
    expect(auditOf(t.platform, 'tenant.secret.added').filter((e) => e.target_id === 'ONCE')).toHaveLength(1);
    expect(auditOf(t.platform, 'tenant.secret.deleted').filter((e) => e.target_id === 'ONCE')).toHaveLength(1);
  });

  it('answers a deletion sent twice without an Idempotency-Key, after or at once, with the first answer, deleting and recording once', async () => {
    for (const name of ['PLAIN_TWICE', 'PLAIN_AT_ONCE']) await api('post', '/secrets').send({ name, value: VALUE });
    const remove = (name: string) => api('post', `/secrets/${name}/delete`);
    const first = await remove('PLAIN_TWICE');
    const again = await remove('PLAIN_TWICE');
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    const both = await Promise.all([remove('PLAIN_AT_ONCE'), remove('PLAIN_AT_ONCE')]);
    expect(both.map((r) => [r.status, r.body])).toEqual([
      [200, { data: { name: 'PLAIN_AT_ONCE', deleted: true } }],
      [200, { data: { name: 'PLAIN_AT_ONCE', deleted: true } }],
    ]);
    const records = (name: string) => auditOf(t.platform, 'tenant.secret.deleted').filter((e) => e.target_id === name);
    expect([records('PLAIN_TWICE').length, records('PLAIN_AT_ONCE').length]).toEqual([1, 1]);
  });

  it("answers another member's repeat of a deletion, and the same caller's long after, with a 404, recording nothing", async () => {
    await api('post', '/secrets').send({ name: 'REPEATED_LATE', value: VALUE });
    expect((await api('post', '/secrets/REPEATED_LATE/delete')).status).toBe(200);
    const colleague = personalToken(t.platform, await member('admin'));
    expect((await api('post', '/secrets/REPEATED_LATE/delete', colleague)).status).toBe(404);
    t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'tenant.secret.deleted' and target_id = 'REPEATED_LATE'", [
      DOUBLE_SUBMIT_MS + 1000,
    ]);
    expect((await api('post', '/secrets/REPEATED_LATE/delete')).status).toBe(404);
    expect(auditOf(t.platform, 'tenant.secret.deleted').filter((e) => e.target_id === 'REPEATED_LATE')).toHaveLength(1);
  });

  it("keeps with an Idempotency-Key no fingerprint from which a leaked file or backup could tell the secret's value by guessing", async () => {
    const body = { name: 'WEAK', value: 'hunter2' };
    expect((await api('post', '/secrets').set('Idempotency-Key', 'weak-once').send(body)).status).toBe(201);
    const kept = await inTenant(t.platform, acme, (db) =>
      db.get<{ fingerprint: string }>("select fingerprint from idempotency_keys where idem_key = 'weak-once'"),
    );
    // A guess of the value, hashed as the request would be, does not match what the file keeps.
    const guess = crypto.createHash('sha256').update(`POST /api/v1/t/${acme.slug}/secrets\n`).update(JSON.stringify(body)).digest('hex');
    expect(kept?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(kept?.fingerprint).not.toBe(guess);
    // The key still tells the same request from another: replayed as it was, refused with another value.
    expect((await api('post', '/secrets').set('Idempotency-Key', 'weak-once').send(body)).headers['idempotent-replayed']).toBe('true');
    expect(
      (
        await api('post', '/secrets')
          .set('Idempotency-Key', 'weak-once')
          .send({ ...body, value: 'hunter3' })
      ).status,
    ).toBe(422);
  });

  describe('across workspaces', () => {
    it("answers 404 for another workspace's secret by name in this workspace's URL, changing nothing there", async () => {
      await api('post', '/secrets', otherToken, other).send({ name: 'THEIRS', value: VALUE });
      expect((await api('get', '/secrets/THEIRS')).status).toBe(404);
      expect((await api('post', '/secrets/THEIRS/delete')).status).toBe(404);
      expect(await names(other)).toEqual(['THEIRS']);
      expect(auditOf(t.platform, 'tenant.secret.deleted').filter((e) => e.target_id === 'THEIRS')).toHaveLength(0);
    });

    it('answers 404 to a member of both workspaces deleting, in this one, a secret they just deleted in the other, changing nothing', async () => {
      const both = await member('owner');
      await addMember(t.platform, both, other, 'owner');
      const theirs = personalToken(t.platform, both);
      await api('post', '/secrets', theirs, other).send({ name: 'JUST_GONE', value: VALUE });
      await api('post', '/secrets', theirs).send({ name: 'KEPT_HERE', value: VALUE });
      expect((await api('post', '/secrets/JUST_GONE/delete', theirs)).status).toBe(404);
      expect((await api('post', '/secrets/JUST_GONE/delete', theirs, other)).status).toBe(200);
      expect((await api('post', '/secrets/JUST_GONE/delete', theirs)).status).toBe(404);
      expect((await api('post', '/secrets/KEPT_HERE/delete', theirs, other)).status).toBe(404);
      expect(await names()).toContain('KEPT_HERE');
      expect(auditOf(t.platform, 'tenant.secret.deleted').filter((e) => e.target_id === 'JUST_GONE')).toEqual([
        expect.objectContaining({ tenant_id: other.id }),
      ]);
    });

    it("answers 404 for another workspace's slug and for a token limited to another workspace, reading and changing nothing", async () => {
      const mine = await names();
      for (const res of [
        await api('get', '/secrets', token, other),
        await api('get', '/secrets/THEIRS', token, other),
        await api('post', '/secrets', token, other).send({ name: 'PLANTED', value: VALUE }),
        await api('post', '/secrets/THEIRS/delete', token, other),
      ])
        expect({ status: res.status, shows: /sk-…|sk-live/.test(JSON.stringify(res.body)) }).toEqual({ status: 404, shows: false });

      const both = await member('owner');
      await addMember(t.platform, both, other, 'owner');
      const limited = personalToken(t.platform, both, { tenant: other });
      expect((await api('post', '/secrets', limited).send({ name: 'PLANTED', value: VALUE })).status).toBe(404);
      expect((await api('get', '/secrets', limited)).status).toBe(404);
      expect(await names(other)).toEqual(['THEIRS']);
      expect(await names()).toEqual(mine);
      expect(await revealed(other, 'THEIRS')).toBe(VALUE);
    });
  });

  it('deletes from the settings page as before, with the same audit record', async () => {
    await api('post', '/secrets').send({ name: 'FROM_PAGE', value: VALUE });
    const agent = await signIn(app, admin.email);
    expect((await postForm(agent, '/t/acme-secrets/settings/secrets/FROM_PAGE/delete', { confirmed: 'yes' })).status).toBe(303);
    expect(await names()).not.toContain('FROM_PAGE');
    expect(auditOf(t.platform, 'tenant.secret.deleted').filter((e) => e.target_id === 'FROM_PAGE')).toHaveLength(1);
  });
});
