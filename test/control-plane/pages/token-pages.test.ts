import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn } from '../../support/http-agent';
import { setRole } from '../../support/team';
import { personalToken, serviceToken } from '../../support/api-tokens';

describe("the API tokens' times", () => {
  let t: TestPlatform;
  afterAll(() => t.cleanup());

  it("shows when a token expires and was last used in the workspace's time zone on its page, and in UTC on the account's page", async () => {
    t = await createTestPlatform();
    const { app } = createApp(t.platform);
    const honolulu = await makeTenant(t.platform, 'honolulu');
    const olive = await makeUser(t.platform, { email: 'olive@example.com', name: 'Olive' });
    await setRole(t.platform, olive, honolulu, 'owner');
    const agent = await signIn(app, olive.email);
    const saved = await postForm(
      agent,
      '/t/honolulu/settings',
      { display_name: 'Honolulu', accent_color: '#2f5bd3', time_zone: 'Pacific/Honolulu', language: 'en' },
      '/t/honolulu/settings',
    );
    expect(saved.status).toBe(303);
    serviceToken(t.platform, olive, honolulu, ['content.view']);
    personalToken(t.platform, olive, { tenant: honolulu });
    // 05:00 UTC on 1 January 2031 is 19:00 on 31 December 2030 in Honolulu (UTC-10).
    const instant = Date.UTC(2031, 0, 1, 5, 0);
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
