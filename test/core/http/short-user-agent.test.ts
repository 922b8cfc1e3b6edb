import { shortUserAgent } from '../../../core/http/short-user-agent';

describe('short user agents', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0', 'Firefox 120 on Windows 10'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome 131 on macOS Catalina'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
      'Safari 17 on iOS',
    ],
  ])('names the browser and system of %s', (ua, expected) => {
    expect(shortUserAgent(ua)).toBe(expected);
  });

  it('keeps the first words of an agent it does not know, and nothing for none', () => {
    expect(shortUserAgent('curl/8.4.0')).toBe('curl/8.4.0');
    expect(shortUserAgent('x'.repeat(300))).toHaveLength(40);
    expect(shortUserAgent(null)).toBe('');
  });
});
