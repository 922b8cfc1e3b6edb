import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { auditOf, roleId } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import { outboxMails } from '../../support/outbox';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe('an invitation batch sent again moments later by the same member', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let alpha: TenantRecord;
  let alice: Agent;
  let token: string;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform, { tokenEndpointLimit: 1000 }).app;
    alpha = await makeTenant(t.platform, 'alpha');
    const aliceUser = await makeUser(t.platform);
    await addMember(t.platform, aliceUser, alpha, 'owner');
    alice = await signIn(app, aliceUser.email);
    token = personalToken(t.platform, aliceUser);
  });
  afterAll(() => t.cleanup());
  beforeEach(() => t.platform.db.connection().exec('delete from invitations; delete from audit_events'));

  const viewer = () => roleId(t.platform, 'viewer');
  const page = (emails: string[]) => postForm(alice, '/t/alpha/invitations', { emails: emails.join(', '), role_id: String(viewer()) });
  const api = (emails: string[]) => request(app).post('/api/v1/t/alpha/invitations').set(bearer(token)).send({ emails, role_id: viewer() });
  const pending = () =>
    t.platform.db
      .connection()
      .prepare("select email from invitations where tenant_id = ? and state = 'pending' order by created_at, rowid")
      .all(alpha.id)
      .map((row) => (row as { email: string }).email);
  const THREE = ['a@example.com', 'b@example.com', 'c@example.com'];

  describe('from the page', () => {
    it('is answered as done when it is exactly the same set of addresses, in any order or case', async () => {
      expect((await page(THREE)).status).toBe(303);
      const again = await page(['C@example.com', 'a@example.com', 'b@example.com']);
      expect([again.status, again.headers.location]).toEqual([303, '/t/alpha/invitations']);
      expect(pending()).toEqual(THREE);
      expect(auditOf(t.platform, 'invitation.create')).toHaveLength(3);
    });

    it('refuses a smaller batch of the same addresses as already invited (400), writing and mailing nothing', async () => {
      expect((await page(THREE)).status).toBe(303);
      const mails = outboxMails(t.dataDir).length;
      const part = await page(['a@example.com', 'b@example.com']);
      expect(part.status).toBe(400);
      expect(part.text).toContain('a@example.com, who already has a pending invitation');
      expect(pending()).toEqual(THREE);
      expect(auditOf(t.platform, 'invitation.create')).toHaveLength(3);
      expect(outboxMails(t.dataDir)).toHaveLength(mails);
    });

    it('refuses two batches sent one after the other, sent again as one (400)', async () => {
      expect((await page(['a@example.com'])).status).toBe(303);
      expect((await page(['b@example.com'])).status).toBe(303);
      const both = await page(['a@example.com', 'b@example.com']);
      expect(both.status).toBe(400);
      expect((await page(['a@example.com'])).status).toBe(303);
      expect(pending()).toEqual(['a@example.com', 'b@example.com']);
    });
  });

  describe('through the API without an Idempotency-Key', () => {
    it('is answered with the first batch’s invitations when it is exactly the same set', async () => {
      const first = await api(THREE);
      expect(first.status).toBe(201);
      const again = await api([...THREE].reverse());
      expect(again.status).toBe(201);
      expect(again.body.data.map((i: { id: string }) => i.id).sort()).toEqual(first.body.data.map((i: { id: string }) => i.id).sort());
      expect(pending()).toEqual(THREE);
    });

    it('refuses a smaller batch of the same addresses as already invited (400 naming emails), writing nothing', async () => {
      expect((await api(THREE)).status).toBe(201);
      const part = await api(['b@example.com']);
      expect(part.status).toBe(400);
      expect(part.type).toBe('application/problem+json');
      expect(part.body.errors).toEqual([{ field: 'emails', message: expect.stringContaining('b@example.com, who already has a pending invitation') }]);
      expect(pending()).toEqual(THREE);
      expect(auditOf(t.platform, 'invitation.create')).toHaveLength(3);
    });
  });
});
