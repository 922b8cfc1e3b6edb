import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { plantToken } from '../../support/api-tokens';
import { auditOf } from '../../support/team';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** A personal token's revocation refused as things stand (revoked already, not just now by this person) is said on the account's tokens page. */
describe("a personal token's refused revocation", () => {
  let t: TestPlatform;
  let olive: UserRecord;
  let owner: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    olive = await makeUser(t.platform);
    owner = await signIn(app, olive.email);
  });
  afterEach(() => t.cleanup());

  const tokenOf = (user: UserRecord, name: string) => {
    plantToken(t.platform, { name, kind: 'personal', user, tenant: null, at: Date.now() });
    return t.platform.db.get<{ id: string }>('select id from api_tokens where name = ?', [name])!.id;
  };
  const rowOf = (id: string) => t.platform.db.get('select * from api_tokens where id = ?', [id]);
  const post = (path: string, body: Record<string, string>) => postForm(owner, path, body, '/account/tokens');
  const heading = '<h1 id="page-title">API tokens</h1>';
  const alert = (message: string) => `<div class="alert" role="alert">\n    <p>${message}</p>`;

  it('answers the revocation of a token revoked already (409) on the tokens page, asked or confirmed, writing nothing', async () => {
    const id = tokenOf(olive, 'Publishing script');
    t.platform.apiTokens.revoke(id, null);
    const before = rowOf(id);
    for (const body of [{}, { confirmed: 'yes' }] as Array<Record<string, string>>) {
      const res = await post(`/account/tokens/${id}/revoke`, body);
      expect([body, res.status, res.headers.location]).toEqual([body, 409, undefined]);
      expect(res.text).toContain(heading);
      expect(res.text).toContain(alert('This token was already revoked.'));
      expect(res.text).toContain('Publishing script');
    }
    expect(rowOf(id)).toEqual(before);
    expect(auditOf(t.platform, 'api_token.revoke')).toEqual([]);
  });

  it("shows the person's own tokens whatever the return field names, never another site, and another person's token is not found (404), unchanged", async () => {
    const id = tokenOf(olive, 'Publishing script');
    t.platform.apiTokens.revoke(id, null);
    for (const back of ['https://evil.example/account/tokens', '//evil.example/account/tokens?x=1', '/admin/users', '/account/tokens/../../admin']) {
      const res = await post(`/account/tokens/${id}/revoke`, { confirmed: 'yes', return: back });
      expect([back, res.status, res.headers.location]).toEqual([back, 409, undefined]);
      expect(res.text).toContain(heading);
      expect(res.text).not.toContain('evil.example');
    }
    const bert = await makeUser(t.platform);
    const theirs = tokenOf(bert, 'Bert script');
    const before = rowOf(theirs);
    for (const body of [{}, { confirmed: 'yes' }] as Array<Record<string, string>>) {
      const res = await post(`/account/tokens/${theirs}/revoke`, body);
      expect([body, res.status]).toEqual([body, 404]);
      expect(res.text).not.toContain('Bert script');
    }
    expect(rowOf(theirs)).toEqual(before);
  });
});
