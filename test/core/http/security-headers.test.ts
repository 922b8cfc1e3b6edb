import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { helmetOptions, securityHeaders } from '../../../core/http/security-headers';
import { allViews, read } from '../../support/translation-keys';

/** The headers helmet adds to an answer of a bare express app, name (lower case) to value. */
async function helmetHeaders(secure: boolean): Promise<Record<string, string>> {
  const plain = express();
  plain.disable('x-powered-by');
  plain.get('/', (_req, res) => void res.send('ok'));
  const withHelmet = express();
  withHelmet.disable('x-powered-by');
  withHelmet.use(helmet(helmetOptions(secure)));
  withHelmet.get('/', (_req, res) => void res.send('ok'));
  const [without, withIt] = await Promise.all([request(plain).get('/'), request(withHelmet).get('/')]);
  return Object.fromEntries(Object.entries(withIt.headers).filter(([name]) => !(name in without.headers)));
}

function pick(headers: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, headers[name]]));
}

/** Security headers are precomputed from helmet once: every answer carries exactly helmet's. */
describe('security headers', () => {
  let t: TestPlatform | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it.each([false, true])('are the ones helmet sets, name for name and byte for byte (TLS %s)', async (secure) => {
    const expected = await helmetHeaders(secure);
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    const computed = Object.fromEntries(securityHeaders(helmetOptions(secure)).map(([name, value]) => [name.toLowerCase(), value]));
    expect(computed).toEqual(expected);
  });

  it('are on a page and on a JSON answer of the app, exactly as helmet sends them', async () => {
    const platform = (t = await createTestPlatform());
    const expected = await helmetHeaders(platform.config.secureCookies);
    const app = createApp(platform.platform).app;
    const page = await request(app).get('/login');
    const json = await request(app).get('/t/acme/api/items/1');
    expect(page.headers['content-type']).toMatch(/html/);
    expect(json.headers['content-type']).toMatch(/json/);
    for (const res of [page, json]) {
      expect(pick(res.headers, Object.keys(expected))).toEqual(expected);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it("leave a view no inline script the policy refuses (an on...= attribute under script-src-attr 'none'): the site's script file does it", async () => {
    const policy = securityHeaders(helmetOptions(false)).find(([name]) => name === 'content-security-policy')?.[1];
    expect(policy).toContain("script-src-attr 'none'");
    const handlers = allViews().flatMap((view) =>
      [
        ...read(view)
          .replace(/<%[\s\S]*?%>/g, ' ')
          .matchAll(/<[a-z][^>]*\son[a-z]+\s*=/gi),
      ].map((m) => `${view}: ${m[0]}`),
    );
    expect(handlers).toEqual([]);
  });
});
