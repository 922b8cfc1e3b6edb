import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { bearer, personalToken } from '../../support/api-tokens';

const FORM = { display_name: 'Acme', accent_color: '#2f5bd3', language: 'en', storage_quota_mb: '' };

describe("the API's settings", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let owner: Agent;
  let token: string;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    const acme = await makeTenant(t.platform, 'acme');
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, acme, 'owner');
    owner = await signIn(app, user.email);
    token = personalToken(t.platform, user);
  });
  afterAll(() => t.cleanup());

  it.each([
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['US/Pacific', 'America/Los_Angeles'],
    ['Europe/Paris', 'Europe/Paris'],
  ])('names the zone saved as %s by its current name, %s, as the pages do', async (typed, current) => {
    expect((await postForm(owner, '/t/acme/settings', { ...FORM, time_zone: typed })).status).toBe(303);
    const res = await request(app).get('/api/v1/t/acme/settings').set(bearer(token));
    expect(res.status).toBe(200);
    expect(res.body.data.time_zone).toBe(current);
    expect((await owner.get('/t/acme/items/new')).text).toContain(`(${current})`);
  });
});
