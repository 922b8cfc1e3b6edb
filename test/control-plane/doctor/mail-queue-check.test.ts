import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn } from '../../support/http-agent';
import { makeItem } from '../../support/content';
import { outboxDir } from '../../../core/mail/mailer';
import { runDoctor } from '../../../control-plane/doctor/run-doctor';
import { mailQueueCheck } from '../../../control-plane/doctor/mail-queue-check';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';
import { suspendTenant } from '../../../control-plane/lifecycle/suspend-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';

describe('the doctor check of workflow mails waiting too long', () => {
  let t: TestPlatform;

  beforeEach(async () => {
    t = await createTestPlatform();
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    return t.cleanup();
  });

  it('names a live or suspended workspace whose mail waits, not an archived one, whose mails wait only for a restore', async () => {
    const parts = createApp(t.platform);
    const editor = await makeUser(t.platform, { email: 'editor@example.com', name: 'Editor' });
    const approver = await makeUser(t.platform, { email: 'approver@example.com', name: 'Approver' });
    const send = jest.spyOn(t.platform.mailer, 'send').mockRejectedValue(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' }));
    const agent = await signIn(parts.app, editor.email);
    for (const slug of ['live', 'paused', 'shelved']) {
      const tenant = await makeTenant(t.platform, slug);
      await addMember(t.platform, editor, tenant, 'editor');
      await addMember(t.platform, approver, tenant, 'approver');
      const item = await makeItem(t.platform, tenant, { title: 'Spring post', createdBy: editor.id });
      await postForm(agent, `/t/${slug}/items/${item.id}/submit`, {});
      await parts.background.idle();
    }
    expect(send).toHaveBeenCalledTimes(3);
    suspendTenant(t.platform, t.platform.tenants.findBySlug('paused')!.id, { reason: 'unpaid' }, CLI_OPERATOR);
    await archiveTenant(t.platform, t.platform.tenants.findBySlug('shelved')!.id, { confirm: 'shelved' }, CLI_OPERATOR);

    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 20 * 60_000);
    const { unresolved } = await runDoctor({ platform: t.platform, fix: false, deep: false }, [mailQueueCheck]);

    expect(unresolved.map((f) => [f.check, f.subject])).toEqual([
      ['workflow-mail', 'live'],
      ['workflow-mail', 'paused'],
    ]);
  });
  it('names a workspace whose hint was kept only for the deletion of ended mails once a new mail waits there too long', async () => {
    const parts = createApp(t.platform);
    const editor = await makeUser(t.platform, { email: 'editor@example.com', name: 'Editor' });
    const tenant = await makeTenant(t.platform, 'acme');
    await addMember(t.platform, editor, tenant, 'editor');
    await addMember(t.platform, await makeUser(t.platform, { email: 'approver@example.com' }), tenant, 'approver');
    t.platform.mailHints.notePrune(tenant.id, Date.now() + 30 * 24 * 3600_000);
    // The send hangs, as in a process stopped during it: the hint is the one the step's write left.
    jest.spyOn(t.platform.mailer, 'send').mockImplementation(() => new Promise(() => undefined));
    const queuedAt = Date.now();
    const item = await makeItem(t.platform, tenant, { title: 'Spring post', createdBy: editor.id });
    await postForm(await signIn(parts.app, editor.email), `/t/acme/items/${item.id}/submit`, {});
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(t.platform.mailHints.get(tenant.id)?.waiting_since).toBeGreaterThanOrEqual(queuedAt);
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 20 * 60_000);
    const { unresolved } = await runDoctor({ platform: t.platform, fix: false, deep: false }, [mailQueueCheck]);
    expect(unresolved.map((f) => [f.check, f.subject])).toEqual([['workflow-mail', 'acme']]);
  });
});
