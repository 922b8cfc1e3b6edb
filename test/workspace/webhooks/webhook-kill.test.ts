import path from 'node:path';
import { spawn } from 'node:child_process';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { makeItem } from '../../support/content';
import { startReceiver } from '../../support/webhook-receiver';
import { addEndpoint, attemptsOf, deliveriesOf } from '../../support/webhooks';
import { postForm, signIn } from '../../support/http-agent';
import { createApp } from '../../../app/create-app';
import { addMember, makeUser } from '../../support/factories';
import { WebhookDispatcher } from '../../../workspace/webhooks/webhook-dispatcher';

const PROCESS = path.resolve(__dirname, '../../support/webhook-dispatcher-process.js');

describe('a webhook worker killed mid-delivery', () => {
  let t: TestPlatform;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    t = await createTestPlatform({ WEBHOOKS_ALLOW_PRIVATE: '1' });
    receiver = await startReceiver([0]);
  });
  afterEach(async () => {
    await receiver.close();
    await t.cleanup();
  });

  it('leaves the delivery pending and due, and the next process sends it again with the same id', async () => {
    const tenant = await makeTenant(t.platform, 'killed');
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, tenant, 'owner');
    await addEndpoint(t.platform, tenant, receiver.url, ['item.submitted']);
    const item = await makeItem(t.platform, tenant);
    const agent = await signIn(createApp(t.platform).app, owner.email);
    expect((await postForm(agent, `/t/killed/items/${item.id}/submit`, {})).status).toBe(303);

    // A worker process takes the delivery; the receiver holds the request; the worker is SIGKILLed.
    const child = spawn(process.execPath, [PROCESS], {
      env: { ...process.env, DATA_DIR: t.dataDir, LOG_LEVEL: 'silent', WEBHOOKS_ALLOW_PRIVATE: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 15_000;
    while (receiver.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(receiver.received).toHaveLength(1);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    expect(await deliveriesOf(t.platform, tenant)).toEqual([expect.objectContaining({ state: 'pending', attempts: 0 })]);
    expect(await attemptsOf(t.platform, tenant)).toEqual([]);
    expect(t.platform.webhookHints.get(tenant.id)).toBeLessThanOrEqual(Date.now());

    receiver.answer([200]);
    await new WebhookDispatcher(t.platform).tick();
    expect(await deliveriesOf(t.platform, tenant)).toEqual([expect.objectContaining({ state: 'delivered', attempts: 1, last_status: 200 })]);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
  });
});
