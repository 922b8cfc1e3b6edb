import { Writable } from 'node:stream';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createLogger } from '../../../control-plane/logging/logger';
import { createApp } from '../../../control-plane/http/create-app';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../../support/factories';
import { signIn } from '../../support/http-agent';

describe('request logs', () => {
  let t: TestPlatform;
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  beforeEach(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        raw.push(String(chunk));
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    t = await createTestPlatform({}, { logger: createLogger('info', sink) });
  });
  afterEach(() => t.cleanup());

  it('carry the request id, user id and tenant id, and no password or cookie', async () => {
    const tenant = await makeTenant(t.platform, 'acme');
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, tenant);
    const agent = await signIn(createApp(t.platform).app, user.email);
    const res = await agent.get('/t/acme');
    expect(res.status).toBe(200);
    const entry = lines.find((l) => (l.req as { url?: string } | undefined)?.url === '/t/acme');
    expect(entry).toMatchObject({ userId: user.id, tenantId: tenant.id, req: { id: res.headers['x-request-id'] } });
    const all = raw.join('');
    expect(all).not.toContain(TEST_PASSWORD);
    expect(all).not.toContain('tenantry.sid=');
  });
});
