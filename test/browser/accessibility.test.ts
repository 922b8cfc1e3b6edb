import type { Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';
import { startBrowserSession, type BrowserSession } from './support/browser-session';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { fillTenant } from '../support/tenant-data';
import { inTenant } from '../support/content';
import { invite } from '../support/team';
import { FEATURE_KEYS } from '../../tenant-runtime/plan-catalogue';

/** axe-core's own script, run in each page (through the browser's debugger, which the pages' Content-Security-Policy does not govern). */
const AXE_SOURCE = require('node:fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') as string;
/** What a person cannot get past: a fault at these levels fails the test; the others are listed. */
const BLOCKING = new Set(['serious', 'critical']);

/** One line per rule broken on a page, with the elements that break it. */
const describe_ = (page: string, v: Result) => `${page} ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`;

/**
 * The main pages run through axe-core in Chromium, where colours, focus and what is hidden are
 * computed as a person sees them: the sign-in and invitation pages, the console's dashboard,
 * tenant list and tenant page, and the workspace's dashboard, items, an item, the item form (fresh
 * and refused), members and settings. A serious or critical fault fails; lesser ones are printed.
 */
describe('the main pages, checked by axe-core in a real browser', () => {
  let s: BrowserSession;
  let itemId: number;
  let invitationPath: string;
  const lesser: string[] = [];

  beforeAll(async () => {
    s = await startBrowserSession();
    const acme = await makeTenant(s.t.platform, 'acme', 'Acme Studio');
    s.t.platform.plans.setTenantOverrides(acme.id, { features: Object.fromEntries(FEATURE_KEYS.map((k) => [k, true])) });
    await makeTenant(s.t.platform, 'globex', 'Globex Corp');
    await fillTenant(s.t, acme);
    await makeUser(s.t.platform, { email: 'root@example.com', name: 'Sam Super', superAdmin: true });
    await addMember(s.t.platform, await makeUser(s.t.platform, { email: 'olive@acme.test', name: 'Olive Owner' }), acme, 'owner');
    await addMember(s.t.platform, await makeUser(s.t.platform, { email: 'ed@acme.test', name: 'Ed Editor' }), acme, 'editor');
    itemId = (await inTenant(s.t.platform, acme, (db) => db.get<{ id: number }>('select id from items order by id limit 1')))?.id ?? 0;
    invitationPath = new URL(invite(s.t.platform, acme, 'new@acme.test').url).pathname;
  }, 60000);
  afterAll(() => {
    if (lesser.length) console.log(`Moderate and minor accessibility faults left:\n${lesser.join('\n')}`);
    return s?.close();
  });

  /** The page's faults that block someone, after printing the lesser ones. */
  async function blockingFaults(page: Page, name: string): Promise<string[]> {
    await page.evaluate(AXE_SOURCE);
    const results = (await page.evaluate(() => (window as unknown as { axe: { run(): Promise<unknown> } }).axe.run())) as AxeResults;
    lesser.push(...results.violations.filter((v) => !BLOCKING.has(v.impact ?? '')).map((v) => describe_(name, v)));
    return results.violations.filter((v) => BLOCKING.has(v.impact ?? '')).map((v) => describe_(name, v));
  }

  /** Opens each path in one page (one browser context) and gathers the blocking faults. */
  async function faultsOf(page: Page, paths: string[]): Promise<string[]> {
    const faults: string[] = [];
    for (const path of paths) {
      const answer = await page.goto(path);
      expect({ path, status: answer?.status() }).toEqual({ path, status: 200 });
      faults.push(...(await blockingFaults(page, path)));
    }
    return faults;
  }

  it('shows where the keyboard is on every stop of a workspace page: a ring of at least 2 px', async () => {
    const page = await s.newPage();
    await s.signIn(page, 'olive@acme.test');
    await page.goto('/t/acme/items');
    const stops: Array<{ element: string; outline: string }> = [];
    for (let i = 0; i < 45; i++) {
      await page.keyboard.press('Tab');
      stops.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const style = getComputedStyle(el);
          const text = (el.textContent ?? '').trim().slice(0, 30);
          return { element: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} ${text}`, outline: `${style.outlineStyle} ${style.outlineWidth}` };
        }),
      );
    }
    await page.context().close();
    // Past the last stop the focus leaves the page (the body) and starts again from the top.
    stops.splice(stops.findIndex((stop) => stop.element.startsWith('body')));
    // The stops reach past the header into the list (its filters, the items' links and boxes).
    expect(stops.some((stop) => stop.element.startsWith('input'))).toBe(true);
    expect(stops.filter((stop) => !/^(solid|auto|dotted|dashed|double) ([2-9]|\d\d)/.test(stop.outline))).toEqual([]);
  }, 60000);

  it('finds nothing serious on the pages of someone signed out: sign-in, a refused sign-in, an invitation', async () => {
    const page = await s.newPage();
    const faults = await faultsOf(page, ['/login', invitationPath]);
    await page.goto('/login');
    await page.fill('#email', 'olive@acme.test');
    await page.fill('#password', 'not the password');
    await Promise.all([page.waitForLoadState('load'), page.click('main button[type=submit]')]);
    expect(await page.textContent('main')).toContain('Email or password is incorrect.');
    faults.push(...(await blockingFaults(page, 'POST /login (refused)')));
    await page.context().close();
    expect(faults).toEqual([]);
  }, 60000);

  it("finds nothing serious on the console's dashboard, tenant list and tenant page", async () => {
    const page = await s.newPage();
    await s.signIn(page, 'root@example.com');
    const faults = await faultsOf(page, ['/admin', '/admin/tenants', '/admin/tenants/acme']);
    await page.context().close();
    expect(faults).toEqual([]);
  }, 60000);

  it("finds nothing serious on a workspace's dashboard, items, item, item form, members and settings, nor on a refused item form", async () => {
    const page = await s.newPage();
    await s.signIn(page, 'olive@acme.test');
    const faults = await faultsOf(page, ['/t/acme', '/t/acme/items', `/t/acme/items/${itemId}`, '/t/acme/items/new', '/t/acme/members', '/t/acme/settings']);
    await page.goto('/t/acme/items/new');
    // The browser's own check would stop an empty form: the server's answer is the one under test.
    await page.evaluate(() => document.querySelectorAll('form').forEach((f) => (f.noValidate = true)));
    await Promise.all([page.waitForLoadState('load'), page.click('main form button[type=submit]')]);
    expect(await page.getAttribute('#title', 'aria-invalid')).toBe('true');
    faults.push(...(await blockingFaults(page, 'POST /t/acme/items (refused)')));
    await page.context().close();
    expect(faults).toEqual([]);
  }, 90000);
});
