import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { HONOLULU_EVE, honoluluWorkspace } from '../../support/zoned-workspace';
import { personalToken, serviceToken } from '../../support/api-tokens';

describe("the API tokens' times", () => {
  let t: TestPlatform;
  afterAll(() => t.cleanup());

  it("shows when a token expires and was last used in the workspace's time zone on its page, and in UTC on the account's page", async () => {
    t = await createTestPlatform();
    const { tenant: honolulu, owner: olive, agent } = await honoluluWorkspace(t);
    serviceToken(t.platform, olive, honolulu, ['content.view']);
    personalToken(t.platform, olive, { tenant: honolulu });
    const instant = HONOLULU_EVE;
    t.platform.db
      .connection()
      .prepare('update api_tokens set expires_at = ?, last_used_at = ?')
      .run(instant + 86_400_000, instant);

    const page = await agent.get('/t/honolulu/tokens');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<td>2031-01-01 19:00 GMT-10</td>');
    expect(page.text).toContain('<td>2030-12-31 19:00 GMT-10</td>');
    expect(page.text).not.toContain('UTC');
    const account = await agent.get('/account/tokens');
    expect(account.text).toContain('<td>2031-01-02 05:00 UTC</td>');
  });
});
