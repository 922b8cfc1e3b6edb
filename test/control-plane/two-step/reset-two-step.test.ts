import { createApp } from '../../../app/create-app';
import { makeUser } from '../../support/factories';
import { csrfFrom, signIn, type Agent } from '../../support/http-agent';
import { cliTestPlatform } from '../../support/cli-runner';
import { mailsSent } from '../../support/outbox';
import { turnOnTwoStep } from '../../support/two-step';
import { TwoStepRepository } from '../../../control-plane/two-step/two-step-repository';
import type { UserRecord } from '../../../control-plane/users/user-record';

describe("a super admin turning a person's two-step sign-in off", () => {
  const { t, tenantry } = cliTestPlatform();
  let app: ReturnType<typeof createApp>['app'];
  let root: UserRecord;
  let alice: UserRecord;
  let admin: Agent;

  const isOn = () => new TwoStepRepository(t.platform.db).isOn(alice.id);
  const resets = () => t.platform.db.all<Record<string, unknown>>("select * from audit_events where action = 'admin.user_two_step_reset'");

  async function reset(who: Agent, id: string, body: Record<string, string>) {
    const _csrf = await csrfFrom(who, '/account');
    return who
      .post(`/admin/users/${id}/two-step-reset`)
      .type('form')
      .send({ ...body, _csrf });
  }

  beforeEach(async () => {
    app = createApp(t.platform).app;
    root = await makeUser(t.platform, { email: 'root@example.com', name: 'Root', superAdmin: true });
    alice = await makeUser(t.platform, { email: 'alice@example.com', name: 'Alice' });
    await turnOnTwoStep(await signIn(app, alice.email));
    admin = await signIn(app, root.email);
  });

  it('turns it off from the user page after the address is typed, recorded with the operator, and mails the person', async () => {
    expect((await admin.get(`/admin/users/${alice.id}`)).text).toContain('two-step-reset');
    const res = await reset(admin, alice.id, { two_step_confirm: 'ALICE@example.com ' });
    expect(res.status).toBe(303);
    expect(isOn()).toBe(false);
    expect(resets()).toEqual([expect.objectContaining({ actor_user_id: root.id, target_id: alice.id })]);
    const mails = await mailsSent(t);
    expect(mails.at(-1)).toMatchObject({ to: alice.email, subject: 'Two-step sign-in was turned off for your account' });
  });

  it('refuses without the typed address, naming the field, and changes nothing', async () => {
    const res = await reset(admin, alice.id, { two_step_confirm: 'someone@else.test' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('two_step_confirm-error');
    expect(isOn()).toBe(true);
    expect(resets()).toEqual([]);
  });

  it('is a 404 for anyone but a super admin, and changes nothing', async () => {
    const bob = await makeUser(t.platform, { email: 'bob@example.com', name: 'Bob' });
    const res = await reset(await signIn(app, bob.email), alice.id, { two_step_confirm: alice.email });
    expect(res.status).toBe(404);
    expect(isOn()).toBe(true);
  });

  it('turns it off from the CLI, recorded as the CLI', async () => {
    const run = await tenantry(['users', 'reset-two-step', alice.email]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('two-step sign-in is now off');
    expect(isOn()).toBe(false);
    expect(resets()).toEqual([expect.objectContaining({ actor_user_id: null, target_id: alice.id })]);
    const again = await tenantry(['users', 'reset-two-step', alice.email]);
    expect(again.code).not.toBe(0);
  });
});
