import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, signIn, postForm, type Agent } from '../../support/http-agent';
import { invite, membershipOf, auditOf, roleId } from '../../support/team';
import { cliFor } from '../../support/cli-runner';
import { makeItem, inTenant } from '../../support/content';
import { startReceiver } from '../../support/webhook-receiver';
import { addEndpoint, deliveriesOf } from '../../support/webhooks';
import { acceptInvitation } from '../../../control-plane/invitations/accept-invitation';
import { removeMember } from '../../../control-plane/memberships/remove-member';
import { WebhookDispatcher } from '../../../workspace/webhooks/webhook-dispatcher';
import { WebhookRepository } from '../../../workspace/webhooks/webhook-repository';
import { SecretBox } from '../../../core/crypto/secret-box';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { toSessionUser, type UserRecord } from '../../../control-plane/users/user-record';
import { queueEvent } from '../../../workspace/webhooks/webhook-outbox';
import { killServerAt } from '../../support/server-process';
import { DOUBLE_SUBMIT_MS } from '../../../core/http/double-submit';

const SECRET_IN_PAGE = /<code class="token" id="new-secret">(whsec_[A-Za-z0-9+/=]+)<\/code>/;

describe('webhook pages without WEBHOOKS_ALLOW_PRIVATE', () => {
  let t: TestPlatform;
  let agent: Agent;
  beforeAll(async () => {
    t = await createTestPlatform();
    const tenant = await makeTenant(t.platform, 'strict');
    const owner = await makeUser(t.platform);
    const editor = await makeUser(t.platform);
    await addMember(t.platform, owner, tenant, 'owner');
    await addMember(t.platform, editor, tenant, 'editor');
    const app = createApp(t.platform).app;
    agent = await signIn(app, owner.email);
    const editorAgent = await signIn(app, editor.email);
    expect((await editorAgent.get('/t/strict/webhooks')).status).toBe(403);
  });
  afterAll(() => t.cleanup());

  it.each([
    ['http://127.0.0.1:8080/hook', /127\.0\.0\.1/],
    ['http://localhost/hook', /loopback|private/],
    ['http://[::1]/hook', /::1/],
    ['http://[::127.0.0.1]/hook', /::7f00:1/],
    ['http://[::7f00:1]/hook', /::7f00:1/],
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254/],
    ['http://10.0.0.5/hook', /10\.0\.0\.5/],
    ['http://192.168.1.20/hook', /192\.168\.1\.20/],
    ['ftp://example.com/hook', /http/],
    ['file:///etc/passwd', /http/],
  ])('refuses %s with a 400 on the url field, and stores nothing', async (url, reason) => {
    const res = await postForm(agent, '/t/strict/webhooks', { url, events: 'item.submitted' }, '/t/strict/webhooks');
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="url-error"/);
    expect(res.text).toMatch(reason);
    expect(await inTenant(t.platform, t.platform.tenants.findBySlug('strict') as TenantRecord, (db) => db.all('select id from webhook_endpoints'))).toEqual([]);
  });
});

describe('webhook pages and events', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let tenant: TenantRecord;
  let owner: UserRecord;
  let agent: Agent;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    t = await createTestPlatform({ WEBHOOKS_ALLOW_PRIVATE: '1' });
    app = createApp(t.platform).app;
    tenant = await makeTenant(t.platform, 'hooked');
    owner = await makeUser(t.platform, { email: 'owner@hooked.test' });
    await addMember(t.platform, owner, tenant, 'owner');
    agent = await signIn(app, owner.email);
    receiver = await startReceiver([200]);
  });
  afterAll(async () => {
    await receiver.close();
    await t.cleanup();
  });

  it('adds an endpoint with its secret shown once, and records it in the trail without the query string', async () => {
    const res = await postForm(
      agent,
      '/t/hooked/webhooks',
      { url: `${receiver.url}?token=abc`, events: 'item.published', description: 'CMS' },
      '/t/hooked/webhooks',
    );
    expect(res.status).toBe(303);
    const shown = await agent.get(res.headers.location);
    const secret = SECRET_IN_PAGE.exec(shown.text)?.[1];
    expect(secret).toBeDefined();
    const list = await agent.get('/t/hooked/webhooks');
    expect(list.text).not.toContain(secret as string);
    const record = auditOf(t.platform, 'webhook.create').at(-1);
    expect(record?.after).toContain(new URL(receiver.url).pathname);
    expect(record?.after).not.toContain('token=abc');
  });

  it('adds one endpoint when the same form is sent twice at once (a double click): one record in the trail, and its secret is the one shown', async () => {
    const form = { url: `${receiver.url}/twice`, events: 'item.scheduled', description: 'Twice' };
    const _csrf = await csrfFrom(agent, '/t/hooked/webhooks');
    const send = () =>
      agent
        .post('/t/hooked/webhooks')
        .type('form')
        .send({ ...form, _csrf });
    const answers = await Promise.all([send(), send()]);
    expect(answers.map((a) => a.status)).toEqual([303, 303]);
    const endpoints = await inTenant(t.platform, tenant, (db) => db.all<{ id: string }>("select id from webhook_endpoints where description = 'Twice'"));
    expect(endpoints).toHaveLength(1);
    expect(auditOf(t.platform, 'webhook.create').filter((r) => r.target_id === endpoints[0].id)).toHaveLength(1);
    const secret = SECRET_IN_PAGE.exec((await agent.get('/t/hooked/webhooks')).text)?.[1];
    const stored = await inTenant(t.platform, tenant, (db) => new WebhookRepository(db).secretOf(new SecretBox(t.config.secretsKey), endpoints[0].id));
    expect(secret).toBe(stored);
    // Sent again later, or by hand with other events, it is another endpoint.
    expect((await postForm(agent, '/t/hooked/webhooks', { ...form, events: 'item.changes_requested' }, '/t/hooked/webhooks')).status).toBe(303);
    expect(await inTenant(t.platform, tenant, (db) => db.all("select id from webhook_endpoints where description = 'Twice'"))).toHaveLength(2);
  });

  it('queues member and invitation events from the control plane, and sends them', async () => {
    await addEndpoint(t.platform, tenant, receiver.url, ['member.joined', 'member.removed', 'invitation.accepted']);
    const newcomer = await makeUser(t.platform, { email: 'new@hooked.test' });
    const link = invite(t.platform, tenant, 'new@hooked.test', 'editor');
    await acceptInvitation(t.platform, new URL(link.url).pathname.split('/').pop(), {
      user: { id: newcomer.id, email: newcomer.email, name: newcomer.name, isSuperAdmin: false, language: null },
    });
    const grant = t.platform.access.grant(owner.id, tenant.id);
    removeMember(
      t.platform,
      { userId: owner.id, tenantId: tenant.id, permissions: grant?.permissions ?? new Set(), ip: null, userAgent: null },
      membershipOf(t.platform, newcomer, tenant).membership_id,
    );
    await t.platform.background.idle();
    // Events made in the same millisecond carry no order between them (receivers must not rely on one).
    const queued = (await deliveriesOf(t.platform, tenant)).map((d) => d.event_type).sort();
    expect(queued).toEqual(['invitation.accepted', 'member.joined', 'member.removed']);
    await new WebhookDispatcher(t.platform).tick();
    const sent = receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: { user: { email: string } } });
    expect(sent.map((s) => s.type).sort()).toEqual(['invitation.accepted', 'member.joined', 'member.removed']);
    expect(sent.find((s) => s.type === 'member.removed')?.data.user.email).toBe('new@hooked.test');
  });

  it('announces member.joined once for every way a member joins (an invitation, a super admin adding an owner on the console or the CLI), none for a member made owner, and nothing to another workspace', async () => {
    const joins = await makeTenant(t.platform, 'joins');
    const other = await makeTenant(t.platform, 'joins-other');
    await addEndpoint(t.platform, joins, receiver.url, ['member.joined']);
    await addEndpoint(t.platform, other, receiver.url, ['member.joined']);
    const admin = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
    const [invited, byConsole, byCli, promoted] = await Promise.all(
      ['invited', 'console', 'cli', 'promoted'].map((name) => makeUser(t.platform, { email: `${name}@joins.test` })),
    );
    await addMember(t.platform, promoted, joins, 'viewer');
    await acceptInvitation(t.platform, new URL(invite(t.platform, joins, invited.email, 'editor').url).pathname.split('/').pop(), {
      user: toSessionUser(invited),
    });
    for (const email of [byConsole.email, promoted.email, byConsole.email])
      expect((await postForm(admin, '/admin/tenants/joins/owners', { email }, '/admin/tenants/joins')).status).toBe(303);
    const tenantry = cliFor(t.dataDir);
    for (let run = 0; run < 2; run++) expect((await tenantry(['tenants', 'add-owner', 'joins', '--email', byCli.email])).code).toBe(0);
    await t.platform.background.idle();
    const announced = (await deliveriesOf(t.platform, joins)).map((d) => JSON.parse(d.payload) as { type: string; data: Record<string, unknown> });
    expect(announced.map((a) => a.type)).toEqual(['member.joined', 'member.joined', 'member.joined']);
    expect(announced.map((a) => a.data)).toEqual([
      { user: { id: invited.id, email: invited.email }, roleId: roleId(t.platform, 'editor'), via: 'invitation' },
      { user: { id: byConsole.id, email: byConsole.email }, roleId: roleId(t.platform, 'owner'), via: 'super_admin' },
      { user: { id: byCli.id, email: byCli.email }, roleId: roleId(t.platform, 'owner'), via: 'super_admin' },
    ]);
    expect(await deliveriesOf(t.platform, other)).toEqual([]);
  });

  it('shows each delivery with its response codes, and sends a failed one again on demand', async () => {
    const endpoint = await addEndpoint(t.platform, tenant, receiver.url, ['item.submitted']);
    receiver.answer([410]);
    const item = await makeItem(t.platform, tenant);
    expect((await postForm(agent, `/t/hooked/items/${item.id}/submit`, {})).status).toBe(303);
    const dispatcher = new WebhookDispatcher(t.platform, { policy: { maxAttempts: 1 } });
    await dispatcher.tick();
    const failed = (await deliveriesOf(t.platform, tenant)).find((d) => d.event_type === 'item.submitted');
    expect(failed).toMatchObject({ state: 'failed', last_status: 410 });
    const page = await agent.get(`/t/hooked/webhooks/${endpoint.id}`);
    expect(page.text).toContain('<strong>410</strong>');
    expect(page.text).toContain(`/deliveries/${failed?.id}/redeliver`);

    receiver.answer([200]);
    expect((await postForm(agent, `/t/hooked/webhooks/${endpoint.id}/deliveries/${failed?.id}/redeliver`, {})).status).toBe(303);
    await dispatcher.tick();
    expect((await deliveriesOf(t.platform, tenant)).find((d) => d.id === failed?.id)).toMatchObject({ state: 'delivered', last_status: 200 });
    expect((await agent.get(`/t/hooked/webhooks/${endpoint.id}`)).text).toContain('<strong>200</strong>');
  });

  it("changes an endpoint's events and URL, checking the URL again", async () => {
    const endpoint = await addEndpoint(t.platform, tenant, receiver.url, ['item.approved']);
    const changed = await postForm(agent, `/t/hooked/webhooks/${endpoint.id}`, { url: receiver.url, events: 'item.submitted', description: 'Reviews' });
    expect(changed.status).toBe(303);
    const item = await makeItem(t.platform, tenant);
    await postForm(agent, `/t/hooked/items/${item.id}/submit`, {});
    expect((await deliveriesOf(t.platform, tenant)).filter((d) => d.endpoint_id === endpoint.id).map((d) => d.event_type)).toEqual(['item.submitted']);
    const refused = await postForm(agent, `/t/hooked/webhooks/${endpoint.id}`, { url: 'gopher://example.com', events: 'item.submitted' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('id="url-error"');
  });

  it('rotates the secret once asked (the new one shown once), disables and enables an endpoint, and deletes it with its log', async () => {
    const endpoint = await addEndpoint(t.platform, tenant, receiver.url, ['item.approved']);
    const asked = await postForm(agent, `/t/hooked/webhooks/${endpoint.id}/rotate-secret`, {});
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Rotate the signing secret of');
    expect(asked.text).toContain(`href="/t/hooked/webhooks/${endpoint.id}"`);
    expect(SECRET_IN_PAGE.exec((await agent.get(`/t/hooked/webhooks/${endpoint.id}`)).text)).toBeNull();
    expect((await agent.get(`/t/hooked/webhooks/${endpoint.id}`)).text).toMatch(
      /action="[^"]+\/rotate-secret" class="inline" data-confirm="Rotate the signing secret\?/,
    );
    const rotated = await postForm(agent, `/t/hooked/webhooks/${endpoint.id}/rotate-secret`, { confirmed: 'yes' });
    const secret = SECRET_IN_PAGE.exec((await agent.get(rotated.headers.location)).text)?.[1];
    expect(secret).toBeDefined();
    expect(secret).not.toBe(endpoint.secret);
    await postForm(agent, `/t/hooked/webhooks/${endpoint.id}/disable`, {});
    expect((await agent.get('/t/hooked/webhooks')).text).toMatch(/Disabled: Disabled by/);
    await postForm(agent, `/t/hooked/webhooks/${endpoint.id}/enable`, {});
    expect((await postForm(agent, `/t/hooked/webhooks/${endpoint.id}/delete`, {})).text).toContain('Delete the endpoint');
    expect((await postForm(agent, `/t/hooked/webhooks/${endpoint.id}/delete`, { confirmed: 'yes' })).status).toBe(303);
    expect((await agent.get(`/t/hooked/webhooks/${endpoint.id}`)).status).toBe(404);
  });

  it('answers a deletion sent twice by the same member, after or at once, as done both times, deleting and recording once', async () => {
    const endpoint = await addEndpoint(t.platform, tenant, `${receiver.url}/double`, ['item.approved']);
    const remove = (id: string) => postForm(agent, `/t/hooked/webhooks/${id}/delete`, { confirmed: 'yes' });
    const first = await remove(endpoint.id);
    const again = await remove(endpoint.id);
    expect([again.status, again.headers.location]).toEqual([303, first.headers.location]);
    expect((await agent.get(again.headers.location)).text).toContain(`The endpoint ${receiver.url}/double and its delivery log were deleted.`);

    const atOnce = await addEndpoint(t.platform, tenant, `${receiver.url}/at-once`, ['item.approved']);
    const both = await Promise.all([remove(atOnce.id), remove(atOnce.id)]);
    expect(both.map((r) => [r.status, r.headers.location])).toEqual([
      [303, '/t/hooked/webhooks'],
      [303, '/t/hooked/webhooks'],
    ]);
    const records = (id: string) => auditOf(t.platform, 'webhook.delete').filter((r) => r.target_id === id);
    expect([records(endpoint.id).length, records(atOnce.id).length]).toEqual([1, 1]);
    expect(records(endpoint.id)[0].before).toContain('/double');
  });

  it("refuses another member's repeat of a deletion, and the same member's long after, with a 404, recording nothing", async () => {
    const other = await makeUser(t.platform);
    await addMember(t.platform, other, tenant, 'owner');
    const otherAgent = await signIn(app, other.email);
    const endpoint = await addEndpoint(t.platform, tenant, `${receiver.url}/someone-else`, ['item.approved']);
    expect((await postForm(agent, `/t/hooked/webhooks/${endpoint.id}/delete`, { confirmed: 'yes' })).status).toBe(303);
    expect((await postForm(otherAgent, `/t/hooked/webhooks/${endpoint.id}/delete`, { confirmed: 'yes' })).status).toBe(404);
    t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'webhook.delete' and target_id = ?", [
      DOUBLE_SUBMIT_MS + 1000,
      endpoint.id,
    ]);
    expect((await postForm(agent, `/t/hooked/webhooks/${endpoint.id}/delete`, { confirmed: 'yes' })).status).toBe(404);
    expect(auditOf(t.platform, 'webhook.delete').filter((r) => r.target_id === endpoint.id)).toHaveLength(1);
  });

  it("answers a member of another workspace deleting this one's endpoint by id with a 404, changing nothing, also right after its own deletion", async () => {
    const elsewhere = await makeTenant(t.platform, 'hooked-elsewhere');
    await addMember(t.platform, owner, elsewhere, 'owner');
    const endpoint = await addEndpoint(t.platform, tenant, `${receiver.url}/not-theirs`, ['item.approved']);
    const fromElsewhere = () => postForm(agent, `/t/hooked-elsewhere/webhooks/${endpoint.id}/delete`, { confirmed: 'yes' });
    expect((await fromElsewhere()).status).toBe(404);
    expect(await inTenant(t.platform, tenant, (db) => new WebhookRepository(db).findEndpoint(endpoint.id))).toBeDefined();
    expect((await postForm(agent, `/t/hooked/webhooks/${endpoint.id}/delete`, { confirmed: 'yes' })).status).toBe(303);
    expect((await fromElsewhere()).status).toBe(404);
    expect(auditOf(t.platform, 'webhook.delete').filter((r) => r.target_id === endpoint.id)).toEqual([expect.objectContaining({ tenant_id: tenant.id })]);
  });

  it('disabled by a member with the longest name, keeps a reason that fits its column, their name cut short', async () => {
    const name = `"${'Ø'.repeat(198)}"`;
    const member = await makeUser(t.platform, { name });
    await addMember(t.platform, member, tenant, 'owner');
    const endpoint = await addEndpoint(t.platform, tenant, receiver.url, ['item.approved']);
    expect((await postForm(await signIn(app, member.email), `/t/hooked/webhooks/${endpoint.id}/disable`, {})).status).toBe(303);
    const [row] = await inTenant(t.platform, tenant, (db) =>
      db.all<{ disabled_reason: string }>('select disabled_reason from webhook_endpoints where id = ?', [endpoint.id]),
    );
    expect([...row.disabled_reason].length).toBeLessThanOrEqual(200);
    expect((await agent.get('/t/hooked/webhooks')).text).toContain(`Disabled: Disabled by &#34;${'Ø'.repeat(100)}`);
  });
});

describe('a webhook page step whose server is killed right after it commits', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  let owner: UserRecord;
  beforeEach(async () => {
    t = await createTestPlatform({ WEBHOOKS_ALLOW_PRIVATE: '1' });
    tenant = await makeTenant(t.platform, 'acme');
    owner = await makeUser(t.platform);
    await addMember(t.platform, owner, tenant, 'owner');
  });
  afterEach(() => t.cleanup());

  /** An endpoint with one delivery of an item.submitted event, in the given state. */
  async function endpointWithDelivery(state: 'failed' | 'pending', enabled: boolean) {
    const endpoint = await addEndpoint(t.platform, tenant, 'http://127.0.0.1:9/hook', ['item.submitted']);
    await inTenant(t.platform, tenant, (db) =>
      db.write(() => {
        queueEvent(db, 'item.submitted', { item: { id: 1 } });
        db.run("update webhook_deliveries set state = ?, next_attempt_at = case when ? = 'pending' then next_attempt_at end", [state, state]);
        new WebhookRepository(db).setEnabled(endpoint.id, enabled, enabled ? null : 'disabled by a test');
      }),
    );
    const [delivery] = await deliveriesOf(t.platform, tenant);
    t.platform.webhookHints.replace(tenant.id, null);
    t.platform.router.closeAll();
    return { endpoint, delivery };
  }

  it('leaves a redelivery with the hint that brings the dispatcher to it', async () => {
    const { endpoint, delivery } = await endpointWithDelivery('failed', true);
    await killServerAt(t.dataDir, 'webhooks:redelivery-queued', async (url) =>
      postForm(await signIn(url, owner.email), `/t/acme/webhooks/${endpoint.id}/deliveries/${delivery.id}/redeliver`, {}),
    );
    expect(await deliveriesOf(t.platform, tenant)).toEqual([expect.objectContaining({ id: delivery.id, state: 'pending' })]);
    expect(t.platform.webhookHints.get(tenant.id)).toBeLessThanOrEqual(Date.now());
  }, 60_000);

  it('leaves an endpoint enabled again with the hint that brings the dispatcher to the deliveries that waited', async () => {
    const { endpoint } = await endpointWithDelivery('pending', false);
    await killServerAt(t.dataDir, 'webhooks:enabled', async (url) => postForm(await signIn(url, owner.email), `/t/acme/webhooks/${endpoint.id}/enable`, {}));
    expect(await inTenant(t.platform, tenant, (db) => db.get<{ enabled: number }>('select enabled from webhook_endpoints')?.enabled)).toBe(1);
    expect(t.platform.webhookHints.get(tenant.id)).toBeLessThanOrEqual(Date.now());
  }, 60_000);
});
