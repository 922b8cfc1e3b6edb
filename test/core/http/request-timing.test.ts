import type { Request } from 'express';
import { noteRoute, routePattern } from '../../../core/http/request-timing';

function requestAt(baseUrl: string, originalUrl = `${baseUrl}/x`): Request {
  return { baseUrl, originalUrl } as unknown as Request;
}

function patternOf(baseUrl: string, path: string, params: Record<string, unknown>): string {
  const req = requestAt(baseUrl);
  noteRoute(req, path, params);
  return routePattern(req);
}

describe('the route pattern of a request', () => {
  it('puts the mount path’s parameter values back as their names', () => {
    expect(patternOf('/t/acme', '/items/:id', { slug: 'acme', id: '7' })).toBe('/t/:slug/items/:id');
  });

  it('names a segment that was escaped in the URL by its decoded value', () => {
    expect(patternOf('/t/caf%C3%A9', '/items', { slug: 'café' })).toBe('/t/:slug/items');
  });

  it('keeps a segment with a malformed escape as it came, in lower case', () => {
    expect(patternOf('/t/%E0%A4%A', '/items', {})).toBe('/t/%e0%a4%a/items');
  });

  it('is the same whatever the case of the mount path’s letters, which routing ignores', () => {
    expect(patternOf('/API/V1/T/acme', '/items/:id', { slug: 'acme', id: '7' })).toBe('/api/v1/t/:slug/items/:id');
    expect(patternOf('/Admin', '/tenants/:tenant', { tenant: 'acme' })).toBe('/admin/tenants/:tenant');
    expect(patternOf('/t/ACME', '/items', { slug: 'ACME' })).toBe('/t/:slug/items');
  });

  it('keeps mount segments that are no parameter’s value', () => {
    expect(patternOf('/admin/tenants', '/:id', { id: 'tenants-x' })).toBe('/admin/tenants/:id');
  });

  it('names a segment by the first parameter with its value', () => {
    expect(patternOf('/t/same', '/items/:id', { slug: 'same', id: 'same' })).toBe('/t/:slug/items/:id');
  });

  it('is the mount alone for its root route, and / for the root of a subdomain', () => {
    expect(patternOf('/t/acme', '/', { slug: 'acme' })).toBe('/t/:slug');
    expect(patternOf('', '/', {})).toBe('/');
    expect(patternOf('', '/items/:id', { id: '3' })).toBe('/items/:id');
  });

  it('is "unmatched" for a request no route took, and "/static" for a static file', () => {
    expect(routePattern(requestAt('', '/nowhere'))).toBe('unmatched');
    expect(routePattern(requestAt('', '/static/app.css'))).toBe('/static');
  });
});
