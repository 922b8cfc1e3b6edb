import path from 'node:path';
import { spawn } from 'node:child_process';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { makeItem } from '../../support/content';
import { addEndpoint, deliveriesOf } from '../../support/webhooks';

const PROCESS = path.resolve(__dirname, '../../support/publish-scheduler-process.js');

/** One scheduler pass in a process of its own, SIGKILLed where it stops (core/process/pause-point.ts). */
function killPassAt(dataDir: string, point: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PROCESS], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', TENANTRY_PAUSE_AT: point },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(`paused at ${point}`)) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && stderr.includes(`paused at ${point}`)) resolve(point);
      else reject(new Error(`the pass ended without reaching ${point}: ${stderr}`));
    });
  });
}

describe('a publishing pass killed right after a batch commits', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await createTestPlatform({ WEBHOOKS_ALLOW_PRIVATE: '1' });
  });
  afterEach(() => t.cleanup());

  it('leaves the published items’ webhook deliveries with the hint that brings the dispatcher to them', async () => {
    const tenant = await makeTenant(t.platform, 'acme');
    await addEndpoint(t.platform, tenant, 'http://127.0.0.1:9/hook', ['item.published']);
    const due = Date.now() - 60_000;
    await makeItem(t.platform, tenant, { status: 'scheduled', scheduledAt: due });
    t.platform.scheduleHints.noteDue(tenant.id, due);
    t.platform.router.closeAll();

    await killPassAt(t.dataDir, 'publish:batch-committed');

    expect(await deliveriesOf(t.platform, tenant)).toEqual([expect.objectContaining({ event_type: 'item.published', state: 'pending' })]);
    expect(t.platform.webhookHints.get(tenant.id)).toBeLessThanOrEqual(Date.now());
  }, 60_000);
});
