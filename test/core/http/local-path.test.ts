import { backToList, returnQuery, safeLocalPath } from '../../../core/http/local-path';

describe('the way back to a page of a list', () => {
  it('goes back to the page of the list the form was sent from, with its position and filters', () => {
    expect(backToList('/t/acme/tokens?after=abc', '/t/acme/tokens')).toBe('/t/acme/tokens?after=abc');
    expect(backToList('/t/acme/items?status=draft&page=3', '/t/acme/items')).toBe('/t/acme/items?status=draft&page=3');
    expect(backToList('/account/tokens', '/account/tokens')).toBe('/account/tokens');
  });

  it.each([
    ['an absolute URL', 'https://evil.test/t/acme/tokens'],
    ['a protocol-relative address', '//evil.test/t/acme/tokens'],
    ['a backslash a browser reads as another host', '/\\evil.test/t/acme/tokens'],
    ['a path of the list with a backslash', '/t/acme/tokens?\\x'],
    ['another path of the site', '/admin/tenants'],
    ["another workspace's list", '/t/other/tokens?after=abc'],
    ['a path that only starts like the list', '/t/acme/tokens-old?after=abc'],
    ['a path below the list', '/t/acme/tokens/../../../admin'],
    ['a control character', '/t/acme/tokens?after=a\r\nLocation: https://evil.test'],
    ['a scheme with no slashes', 'javascript:alert(1)'],
    ['nothing', undefined],
    ['an array', ['/t/acme/tokens?after=abc']],
    ['an overlong path', `/t/acme/tokens?after=${'a'.repeat(600)}`],
  ])('ignores %s, going back to the first page of the list', (_label, value) => {
    expect(backToList(value, '/t/acme/tokens')).toBe('/t/acme/tokens');
  });

  it("puts what the action did in the page's query, in place of what it said before", () => {
    expect(backToList('/t/acme/items?page=2&bulk=archive&done=9', '/t/acme/items', { bulk: 'submit', done: 1, failed: 0 })).toBe(
      '/t/acme/items?page=2&bulk=submit&done=1&failed=0',
    );
    expect(backToList('//evil.test', '/t/acme/items', { bulk: 'submit', done: 1, failed: 0 })).toBe('/t/acme/items?bulk=submit&done=1&failed=0');
  });

  it('reads the query of the page it goes back to, as a loader reads a request', () => {
    expect(returnQuery('/t/acme/members?after=abc', '/t/acme/members')).toEqual({ after: 'abc' });
    expect(returnQuery('/t/acme/tokens?after=abc', '/t/acme/members')).toEqual({});
  });

  it('follows only paths of this site after sign-in', () => {
    expect(safeLocalPath('/t/acme/items?page=2')).toBe('/t/acme/items?page=2');
    for (const value of ['https://evil.test', '//evil.test', '/\\evil.test', 'evil', '/a\nb', 42]) expect(safeLocalPath(value)).toBeUndefined();
  });
});
