import Bowser from 'bowser';

/**
 * A user agent as people read it: "Firefox 120 on Windows 10", or the first words of the raw
 * string when it names no known browser (scripts, bots). The full string stays available to show
 * on hover.
 */
export function shortUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return '';
  const { browser, os } = Bowser.parse(userAgent);
  if (!browser.name) return userAgent.slice(0, 40);
  const major = browser.version?.split('.')[0];
  const system = os.name ? ` on ${os.name}${os.versionName ? ` ${os.versionName}` : ''}` : '';
  return `${browser.name}${major ? ` ${major}` : ''}${system}`;
}
