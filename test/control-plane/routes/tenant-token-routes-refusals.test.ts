import { ownerOfAlpha } from '../../support/owner-of-alpha';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeUser } from '../../support/factories';
import { postForm, type Agent } from '../../support/http-agent';
import { plantToken } from '../../support/api-tokens';
import { auditOf } from '../../support/team';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** A workspace token's revocation refused as things stand (already revoked by someone else) is said on the tokens page it was sent from. */
describe("a workspace token's refused revocation", () => {
  let t: TestPlatform;
  let alpha: TenantRecord;
  let beta: TenantRecord;
  let olive: UserRecord;
  let owner: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    ({ alpha, beta, olive, owner } = await ownerOfAlpha(t));
  });
  afterEach(() => t.cleanup());

  const tokenOf = (tenant: TenantRecord, name: string, by: UserRecord) => {
    plantToken(t.platform, { name, kind: 'service', user: by, tenant, at: Date.now() });
    return t.platform.db.get<{ id: string }>('select id from api_tokens where name = ?', [name])!.id;
  };
  const rowOf = (id: string) => t.platform.db.get('select * from api_tokens where id = ?', [id]);
  const heading = '<h1 id="page-title">API tokens</h1>';
  const alert = (message: string) => `<div class="alert" role="alert">\n    <p>${message}</p>`;

  it('answers the revocation of a token another admin revoked (409) on the tokens page, asked or confirmed, writing nothing', async () => {
    const id = tokenOf(alpha, 'CMS sync', olive);
    const ada = await makeUser(t.platform);
    t.platform.apiTokens.revoke(id, ada.id);
    const before = rowOf(id);
    for (const body of [{}, { confirmed: 'yes' }] as Array<Record<string, string>>) {
      const res = await postForm(owner, `/t/alpha/tokens/${id}/revoke`, body);
      expect([body, res.status, res.headers.location]).toEqual([body, 409, undefined]);
      expect(res.text).toContain(heading);
      expect(res.text).toContain(alert('This token was already revoked.'));
      expect(res.text).toContain('CMS sync');
    }
    expect(rowOf(id)).toEqual(before);
    expect(auditOf(t.platform, 'api_token.revoke')).toEqual([]);
  });

  it("shows its own workspace's tokens whatever the return field names: never another workspace's list, never another site", async () => {
    const id = tokenOf(alpha, 'CMS sync', olive);
    t.platform.apiTokens.revoke(id, olive.id);
    tokenOf(beta, 'Beta secret sync', olive);
    for (const back of ['/t/beta/tokens', 'https://evil.example/t/alpha/tokens', '//evil.example/t/alpha/tokens?x=1', '/t/alpha/tokens/../../beta/tokens']) {
      const res = await postForm(owner, `/t/alpha/tokens/${id}/revoke`, { confirmed: 'yes', return: back });
      expect([back, res.status, res.headers.location]).toEqual([back, 409, undefined]);
      expect(res.text).toContain(heading);
      expect(res.text).not.toContain('Beta secret sync');
      expect(res.text).not.toContain('evil.example');
      expect(res.text).not.toContain('/t/beta');
    }
  });

  it("answers 404 to a member revoking another workspace's token, by its id under their own workspace or under the other's slug, revoking nothing", async () => {
    const bert = await makeUser(t.platform);
    await addMember(t.platform, bert, beta, 'owner');
    const live = tokenOf(beta, 'Beta live sync', bert);
    const revoked = tokenOf(beta, 'Beta old sync', bert);
    t.platform.apiTokens.revoke(revoked, bert.id);
    const before = [rowOf(live), rowOf(revoked)];
    for (const id of [live, revoked])
      for (const path of [`/t/alpha/tokens/${id}/revoke`, `/t/beta/tokens/${id}/revoke`])
        for (const body of [{}, { confirmed: 'yes' }] as Array<Record<string, string>>) {
          const res = await postForm(owner, path, body);
          expect([path, body, res.status]).toEqual([path, body, 404]);
          expect(res.text).not.toContain('Beta live sync');
          expect(res.text).not.toContain('Beta old sync');
        }
    expect([rowOf(live), rowOf(revoked)]).toEqual(before);
    expect(auditOf(t.platform, 'api_token.revoke')).toEqual([]);
  });
});
