import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { HONOLULU_EVE, honoluluWorkspace } from '../../support/zoned-workspace';
import { personalToken, plantToken, serviceToken } from '../../support/api-tokens';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import { linkOf, walkNextLinks } from '../../support/page-links';
import { postFormsOf } from '../../support/page-forms';
import { TOKENS_PAGE_SIZE } from '../../../control-plane/pages/token-pages';

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

/** The names of the tokens the page's table lists, in its order. */
function namesOf(html: string): string[] {
  if (!html.includes('<tbody>')) return [];
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return [...body.matchAll(/<tr>\s*<td>([^<]*)<\/td>/g)].map((m) => m[1]);
}

describe('the API tokens pages of a workspace and a user with many tokens', () => {
  let t: TestPlatform;
  let olive: Agent;
  let bob: Agent;
  const acmeNames: string[] = [];
  const oliveNames: string[] = [];
  const COUNT = TOKENS_PAGE_SIZE * 2 + 11;

  beforeAll(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    const acme = await makeTenant(t.platform, 'acme');
    const other = await makeTenant(t.platform, 'other');
    const oliveUser = await makeUser(t.platform, { email: 'olive@acme.test' });
    const bobUser = await makeUser(t.platform, { email: 'bob@other.test' });
    await addMember(t.platform, oliveUser, acme, 'owner');
    await addMember(t.platform, bobUser, other, 'owner');
    // Five tokens an instant, so that pages end in the middle of one; Acme's are service tokens and Olive's tokens limited to it.
    for (let i = 0; i < COUNT; i++) {
      const at = 1_700_000_000_000 + Math.floor(i / 5) * 1000;
      const kind = i % 3 ? 'service' : 'personal';
      plantToken(t.platform, { name: `acme ${i}`, kind, user: oliveUser, tenant: acme, at });
      acmeNames.push(`acme ${i}`);
      if (kind === 'personal') oliveNames.push(`acme ${i}`);
      plantToken(t.platform, { name: `olive-own ${i}`, kind: 'personal', user: oliveUser, tenant: null, at });
      oliveNames.push(`olive-own ${i}`);
      plantToken(t.platform, { name: `other ${i}`, kind: i % 2 ? 'service' : 'personal', user: bobUser, tenant: other, at });
    }
    olive = await signIn(app, oliveUser.email);
    bob = await signIn(app, bobUser.email);
  });
  afterAll(() => t.cleanup());

  it.each([
    ["a workspace's", '/t/acme/tokens', () => acmeNames],
    ["a user's", '/account/tokens', () => oliveNames],
  ])('lists at most a page of %s tokens, newest first, and reaches every one exactly once through its Next links', async (_label, path, names) => {
    const seen: string[] = [];
    const pages = await walkNextLinks(olive, path, (html, index) => {
      const rows = namesOf(html);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThanOrEqual(TOKENS_PAGE_SIZE);
      expect(linkOf(html, 'First page')).toBe(index === 0 ? undefined : path);
      seen.push(...rows);
    });
    expect(pages).toBe(Math.ceil(names().length / TOKENS_PAGE_SIZE));
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...names()].sort());
    // Newest first: the tokens of a later instant before those of an earlier one.
    const instant = (name: string) => Math.floor(Number(name.split(' ')[1]) / 5);
    expect(seen.map(instant)).toEqual([...seen.map(instant)].sort((a, b) => b - a));
  });

  it("runs as many statements on the third page of a workspace's tokens as on its first", async () => {
    const second = linkOf((await olive.get('/t/acme/tokens')).text, 'Next') ?? '';
    const third = linkOf((await olive.get(second)).text, 'Next') ?? '';
    const statements = async (path: string) => {
      expect((await olive.get(path)).status).toBe(200);
      const before = t.platform.db.statementCount;
      expect((await olive.get(path)).status).toBe(200);
      return t.platform.db.statementCount - before;
    };
    expect(await statements(third)).toBe(await statements('/t/acme/tokens'));
  });

  it.each(['/t/acme/tokens', '/account/tokens'])('shows the first page of %s for a Next link it did not make', async (path) => {
    const first = namesOf((await olive.get(path)).text);
    for (const query of ['after=nonsense', 'after=', 'after=a&after=b', `after=${Buffer.from('1.k1').toString('base64url')}`]) {
      const res = await olive.get(`${path}?${query}`);
      expect(res.status).toBe(200);
      expect(namesOf(res.text)).toEqual(first);
    }
  });

  it.each(['/t/acme/tokens', '/account/tokens'])('answers a page past the last token of %s with no tokens and a link back to the first page', async (path) => {
    const res = await olive.get(`${path}?after=${Buffer.from(`0.k${'0'.repeat(24)}`).toString('base64url')}`);
    expect(res.status).toBe(200);
    expect(namesOf(res.text)).toEqual([]);
    expect(linkOf(res.text, 'First page')).toBe(path);
    expect(linkOf(res.text, 'Next')).toBeUndefined();
  });

  it("shows a member only their own workspace's tokens, and a user only their own, whatever page another's Next link names", async () => {
    const otherNext = linkOf((await bob.get('/t/other/tokens')).text, 'Next') ?? '';
    const bobNext = linkOf((await bob.get('/account/tokens')).text, 'Next') ?? '';
    const after = (link: string) => link.slice(link.indexOf('?'));
    expect(after(otherNext)).toMatch(/^\?after=./);
    expect(after(bobNext)).toMatch(/^\?after=./);

    const onAcme = await olive.get(`/t/acme/tokens${after(otherNext)}`);
    expect(onAcme.status).toBe(200);
    expect(namesOf(onAcme.text).length).toBeGreaterThan(0);
    expect(namesOf(onAcme.text).every((name) => name.startsWith('acme '))).toBe(true);

    const onOther = await olive.get(`/t/other/tokens${after(otherNext)}`);
    expect(onOther.status).not.toBe(200);
    expect(onOther.text).not.toMatch(/other \d/);

    const account = await olive.get(`/account/tokens${after(bobNext)}`);
    expect(account.status).toBe(200);
    expect(namesOf(account.text).length).toBeGreaterThan(0);
    expect(namesOf(account.text).every((name) => oliveNames.includes(name))).toBe(true);
  });

  it.each(['/t/acme/tokens', '/account/tokens'])(
    'comes back to the third page of %s after a token on it is revoked, asked in the page or on a page of its own',
    async (path) => {
      const second = linkOf((await olive.get(path)).text, 'Next') ?? '';
      const third = linkOf((await olive.get(second)).text, 'Next') ?? '';
      expect(third).toMatch(/\?after=./);
      const [withScript, withoutScript] = postFormsOf((await olive.get(third)).text, /\/revoke$/);

      const revoked = await olive
        .post(withScript.action)
        .type('form')
        .send({ ...withScript.fields, confirmed: 'yes' });
      expect(revoked.status).toBe(303);
      expect(revoked.headers.location).toBe(third);

      const question = await olive.post(withoutScript.action).type('form').send(withoutScript.fields);
      expect(question.status).toBe(200);
      expect(linkOf(question.text, 'Cancel')).toBe(third);
      const [confirm] = postFormsOf(question.text, /\/revoke$/);
      const confirmed = await olive.post(confirm.action).type('form').send(confirm.fields);
      expect(confirmed.status).toBe(303);
      expect(confirmed.headers.location).toBe(third);
    },
  );

  it.each(['/t/acme/tokens', '/account/tokens'])(
    'sends a revocation on %s whose way back names another site or page to the first page of the list',
    async (path) => {
      const forms = postFormsOf((await olive.get(path)).text, /\/revoke$/);
      for (const [i, back] of ['https://evil.test/', '//evil.test', '/\\evil.test', '/admin/tenants'].entries()) {
        const res = await olive
          .post(forms[i].action)
          .type('form')
          .send({ ...forms[i].fields, return: back, confirmed: 'yes' });
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe(path);
      }
    },
  );
});
