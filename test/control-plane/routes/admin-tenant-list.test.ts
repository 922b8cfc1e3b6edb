import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import type { TenantStatus } from '../../../control-plane/tenants/tenant-record';

/** Rows written straight to the control plane: the list reads rows, not files. */
function seedRows(t: TestPlatform, count: number, status: (i: number) => TenantStatus = () => 'active') {
  t.platform.db.write(() => {
    for (let i = 0; i < count; i++) {
      const slug = `client-${String(i).padStart(3, '0')}`;
      t.platform.tenants.insert({
        id: `t${String(i).padStart(24, '0')}`,
        slug,
        name: `Client ${String(i).padStart(3, '0')} ${i % 2 ? 'Studio' : 'Bakery'}`,
        status: status(i),
      });
    }
  });
}

const slugsOn = (html: string) => [...html.matchAll(/<td class="slug">(?:<a [^>]*>)?<code>([a-z0-9-]+)<\/code>/g)].map((m) => m[1]);

describe('the tenant list', () => {
  let t: TestPlatform;
  let admin: Agent;
  beforeEach(async () => {
    t = await createTestPlatform();
    const { app } = createApp(t.platform);
    const root = await makeUser(t.platform, { superAdmin: true });
    admin = await signIn(app, root.email);
  });
  afterEach(() => t.cleanup());

  it('pages 50 at a time, without gaps or repeats, and says how many there are', async () => {
    seedRows(t, 120);
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const res = await admin.get(`/admin/tenants?page=${page}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`Page ${page} of 3`);
      seen.push(...slugsOn(res.text));
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(seen).toEqual([...seen].sort());
    const first = await admin.get('/admin/tenants');
    expect(first.text).toContain('120 tenants');
    expect(first.text).toContain('href="/admin/tenants?page=2" rel="next"');
    // A page past the end shows the last one.
    expect(slugsOn((await admin.get('/admin/tenants?page=99')).text)).toEqual(seen.slice(100));
  });

  it('searches slugs and names, case-insensitively, treating % and _ as themselves', async () => {
    seedRows(t, 30);
    expect(slugsOn((await admin.get('/admin/tenants?q=client-02')).text)).toEqual([
      'client-020',
      'client-021',
      'client-022',
      'client-023',
      'client-024',
      'client-025',
      'client-026',
      'client-027',
      'client-028',
      'client-029',
    ]);
    const studios = slugsOn((await admin.get('/admin/tenants?q=STUDIO')).text);
    expect(studios).toHaveLength(15);
    expect(slugsOn((await admin.get('/admin/tenants?q=%25')).text)).toEqual([]);
    expect(slugsOn((await admin.get('/admin/tenants?q=client_0')).text)).toEqual([]);
  });

  it('searches names case-insensitively in every script, not ASCII only', async () => {
    seedRows(t, 3);
    t.platform.db.write(() => {
      t.platform.tenants.insert({ id: `t${'e'.repeat(24)}`, slug: 'ecole-lumiere', name: 'École Lumière', status: 'active' });
      t.platform.tenants.insert({ id: `t${'f'.repeat(24)}`, slug: 'strasse', name: 'ÖKO Straße', status: 'active' });
      t.platform.tenants.insert({ id: `t${'a'.repeat(24)}`, slug: 'verlag', name: 'Hauptstraße Verlag', status: 'active' });
    });
    expect(slugsOn((await admin.get(`/admin/tenants?q=${encodeURIComponent('ÉCOLE')}`)).text)).toEqual(['ecole-lumiere']);
    expect(slugsOn((await admin.get(`/admin/tenants?q=${encodeURIComponent('lumière')}`)).text)).toEqual(['ecole-lumiere']);
    // An accent typed apart from its letter (NFD) is the same letter.
    expect(slugsOn((await admin.get(`/admin/tenants?q=${encodeURIComponent('LUMIE\u0300RE')}`)).text)).toEqual(['ecole-lumiere']);
    expect(slugsOn((await admin.get(`/admin/tenants?q=${encodeURIComponent('öko')}`)).text)).toEqual(['strasse']);
    // A full fold: "ß" is "ss", typed either way.
    expect(slugsOn((await admin.get('/admin/tenants?q=HAUPTSTRASSE')).text)).toEqual(['verlag']);
    expect(slugsOn((await admin.get(`/admin/tenants?q=${encodeURIComponent('straße')}`)).text)).toEqual(['strasse', 'verlag']);
  });

  it('filters by status, and shows tombstones only when asked', async () => {
    seedRows(t, 9, (i) => (['active', 'suspended', 'purged'] as const)[i % 3]);
    expect(slugsOn((await admin.get('/admin/tenants?status=suspended')).text)).toEqual(['client-001', 'client-004', 'client-007']);
    expect(slugsOn((await admin.get('/admin/tenants')).text)).toHaveLength(6);
    expect(slugsOn((await admin.get('/admin/tenants?status=purged')).text)).toEqual(['client-002', 'client-005', 'client-008']);
  });

  it('sorts by name, creation and status, both ways, keeping the filters in the links', async () => {
    seedRows(t, 6);
    const desc = slugsOn((await admin.get('/admin/tenants?sort=slug&dir=desc')).text);
    expect(desc).toEqual(['client-005', 'client-004', 'client-003', 'client-002', 'client-001', 'client-000']);
    const byName = slugsOn((await admin.get('/admin/tenants?sort=name')).text);
    expect(byName).toEqual(['client-000', 'client-001', 'client-002', 'client-003', 'client-004', 'client-005']);
    const page = await admin.get('/admin/tenants?q=client&sort=name&dir=asc');
    expect(page.text).toContain('href="/admin/tenants?q=client&amp;sort=name&amp;dir=desc"');
  });

  it.each([
    ['status=sleeping', 'Status'],
    ['sort=password', 'Sort column'],
    ['dir=sideways', 'Sort direction'],
    ['page=-1', 'Page'],
    ['page=abc', 'Page'],
    [`q=${'x'.repeat(101)}`, 'Search (slug or name)'],
  ])('refuses ?%s with a 400 naming the field %s', async (query, field) => {
    const res = await admin.get(`/admin/tenants?${query}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain(`<strong>${field}</strong>`);
  });
});
