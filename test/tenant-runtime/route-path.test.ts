import { compileRoutePath, matchRoutePath, pathSegments } from '../../tenant-runtime/route-path';

const match = (route: string, path: string) => matchRoutePath(compileRoutePath(route), pathSegments(path));

describe('a route path', () => {
  it('matches its literal segments in any case and gives no parameters', () => {
    expect(match('/items/new', '/items/new')).toEqual({});
    expect(match('/items/new', '/ITEMS/New')).toEqual({});
    expect(match('/', '/')).toEqual({});
  });

  it('allows one trailing slash, not two', () => {
    expect(match('/items', '/items/')).toEqual({});
    expect(match('/items', '/items//')).toBeUndefined();
  });

  it('refuses a path with more, fewer or other segments', () => {
    expect(match('/items/:id', '/items')).toBeUndefined();
    expect(match('/items/:id', '/items/5/comments')).toBeUndefined();
    expect(match('/items/:id', '/files/5')).toBeUndefined();
    expect(match('/', '/items')).toBeUndefined();
  });

  it('gives each parameter its segment, percent-decoded', () => {
    expect(match('/webhooks/:id/deliveries/:deliveryId/redeliver', '/webhooks/7/deliveries/a%20b/redeliver')).toEqual({ id: '7', deliveryId: 'a b' });
  });

  it('never matches an empty parameter', () => {
    expect(match('/items/:id/comments', '/items//comments')).toBeUndefined();
  });

  it('throws URIError on a malformed escape in a parameter (the error handler answers 400)', () => {
    expect(() => match('/items/:id', '/items/%E0%A4%A')).toThrow(URIError);
  });

  it('is refused when the table is built if it uses more than literal and :name segments', () => {
    for (const path of ['/items/*rest', '/items/:id?', 'items', '/items/{:id}', '/a//b']) expect(() => compileRoutePath(path)).toThrow(/only literal/);
  });
});
