import { linkUnder, tenantUrls } from '../../tenant-runtime/tenant-urls';

describe('tenant URLs with path routing only (no BASE_DOMAIN)', () => {
  const urls = tenantUrls({ baseUrl: 'https://app.example.com' });

  it('links to a tenant home page under /t/<slug>', () => {
    expect(urls.tenantUrl('acme')).toBe('/t/acme');
  });

  it('links to a page inside the tenant under the same prefix', () => {
    expect(urls.tenantUrl('acme', '/items/4')).toBe('/t/acme/items/4');
  });

  it('makes the public address absolute on BASE_URL', () => {
    expect(urls.publicTenantUrl('acme')).toBe('https://app.example.com/t/acme');
    expect(urls.publicTenantUrl('acme', '/items/4')).toBe('https://app.example.com/t/acme/items/4');
  });

  it("builds a request's links on /t/<slug>", () => {
    expect(urls.basePath('acme', false)).toBe('/t/acme');
  });
});

describe('tenant URLs with BASE_DOMAIN set', () => {
  it('addresses a tenant at the root of its subdomain, with the scheme of BASE_URL', () => {
    const urls = tenantUrls({ baseUrl: 'https://example.com', baseDomain: 'example.com' });
    expect(urls.tenantUrl('acme')).toBe('https://acme.example.com/');
    expect(urls.tenantUrl('acme', '/items/4')).toBe('https://acme.example.com/items/4');
  });

  it('keeps plain http when BASE_URL is http', () => {
    const urls = tenantUrls({ baseUrl: 'http://example.test', baseDomain: 'example.test' });
    expect(urls.tenantUrl('acme')).toBe('http://acme.example.test/');
  });

  it('puts the port of BASE_URL on the subdomain', () => {
    const urls = tenantUrls({ baseUrl: 'http://localhost:3000', baseDomain: 'example.test' });
    expect(urls.tenantUrl('acme', '/items')).toBe('http://acme.example.test:3000/items');
  });

  it('leaves out a default port', () => {
    const urls = tenantUrls({ baseUrl: 'https://example.com:443', baseDomain: 'example.com' });
    expect(urls.tenantUrl('acme')).toBe('https://acme.example.com/');
  });

  it('uses a port written in BASE_DOMAIN, once', () => {
    expect(tenantUrls({ baseUrl: 'http://example.test:3000', baseDomain: 'example.test:3000' }).tenantUrl('acme')).toBe('http://acme.example.test:3000/');
    expect(tenantUrls({ baseUrl: 'http://localhost:3000', baseDomain: 'example.test:8080' }).tenantUrl('acme')).toBe('http://acme.example.test:8080/');
  });

  it('gives the same absolute address as the public address', () => {
    const urls = tenantUrls({ baseUrl: 'https://example.com', baseDomain: 'example.com' });
    expect(urls.publicTenantUrl('acme')).toBe('https://acme.example.com/');
    expect(urls.publicTenantUrl('acme', '/items/4')).toBe('https://acme.example.com/items/4');
  });

  it("builds a request's links at the root on the tenant's subdomain, and on /t/<slug> for a path request", () => {
    const urls = tenantUrls({ baseUrl: 'https://example.com', baseDomain: 'example.com' });
    expect(urls.basePath('acme', true)).toBe('');
    expect(urls.basePath('acme', false)).toBe('/t/acme');
  });
});

describe('the link builder of one request', () => {
  it('links to the home page as / and to other pages by their own path on a subdomain (empty base)', () => {
    expect(linkUnder('')).toBe('/');
    expect(linkUnder('', '/items/5')).toBe('/items/5');
  });

  it('prefixes every link with the base under path routing', () => {
    expect(linkUnder('/t/acme')).toBe('/t/acme');
    expect(linkUnder('/t/acme', '/items/5')).toBe('/t/acme/items/5');
  });
});
