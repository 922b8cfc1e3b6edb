import fs from 'node:fs';
import path from 'node:path';
import { VIEWS_DIR, createFragments } from '../../../core/http/page-views';

function templates(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? templates(full) : entry.name.endsWith('.ejs') ? [full] : [];
  });
}

/** A date made, read or written out in a template: a Date, its parts, its ISO or locale text, Intl, or an ISO text cut at its T. */
const HAND_MADE_TIME =
  /\bnew Date\b|\bDate\.(?:UTC|now|parse)\b|\.to(?:ISO|UTC|GMT|Date|Time|LocaleDate|LocaleTime)String\(|\.toJSON\(|\.get(?:UTC)?(?:FullYear|Month|Date|Day|Hours|Minutes|Seconds)\(|\bIntl\b|\bdateTimeFormat\(|\.replace\(\s*['"]T['"]/;

/** A size worked out in a template: bytes divided by 1024 or its powers, or a toFixed( on the line that names KB, MB or GB. */
const HAND_MADE_SIZE = /\/\s*\(?\s*(?:1024|1048576|1073741824)\b|\btoFixed\(.*\b[KMGT]i?B\b|\b[KMGT]i?B\b.*\btoFixed\(/;

/** Each line of a template that matches the pattern, as `folder/view.ejs:line`. */
function linesMatching(pattern: RegExp): string[] {
  return templates(VIEWS_DIR).flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${path.relative(VIEWS_DIR, file)}:${i + 1}`] : [])),
  );
}

const badge = { status: 'in_review', t: (text: string) => `[${text}]`, statusLabels: { in_review: 'In review' } };

describe('the page views', () => {
  afterEach(() => jest.restoreAllMocks());

  it('name every partial they include or render as a fragment from the views folder', () => {
    const relative = templates(VIEWS_DIR).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/(?:include|fragment)\(\s*(['"])([^'"]*)\1/g)]
        .filter(([, , name]) => !name.startsWith('/'))
        .map(([, , name]) => `${path.relative(VIEWS_DIR, file)}: ${name}`),
    );
    expect(relative).toEqual([]);
  });

  it('format no time themselves: they show one through the helpers they are given (utcTime, utcDay, a workspace clock)', () => {
    expect(linesMatching(HAND_MADE_TIME)).toEqual([]);
  });

  it('work out no size themselves: they show one through formatBytes (or the formatSize a workspace page is given)', () => {
    expect(linesMatching(HAND_MADE_SIZE)).toEqual([]);
  });

  it('would see a size worked out by hand', () => {
    const caught = [
      "(b / 1048576).toFixed(1) + ' MB'",
      '<%= (t.bytes / 1024).toFixed(0) %> KB',
      '<%= (bytes/1073741824) %>',
      '<%= size.toFixed(2) %> GB',
    ].filter((line) => HAND_MADE_SIZE.test(line));
    const passed = ['<%= formatBytes(disk.total) %>', "(router.hitRate * 100).toFixed(1) + ' %'", "{{mb}} MB', { mb: maxMb }"].filter((line) =>
      HAND_MADE_SIZE.test(line),
    );

    expect({ caught: caught.length, passed }).toEqual({ caught: 4, passed: [] });
  });

  describe('a fragment', () => {
    it('renders a partial with the data it is given', () => {
      const fragment = createFragments({ reload: false });

      expect(fragment('/tenant/item-status', badge).trim().split('\n').pop()).toBe('<span class="status status-in_review">[In review]</span>');
    });

    it('escapes what it is given like any template', () => {
      const fragment = createFragments({ reload: false });

      const html = fragment('/tenant/item-status', { ...badge, t: () => '<script>alert(1)</script>' });

      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toContain('<script>');
    });

    it("sees none of the page's other locals: a name it is not given fails the render", () => {
      const fragment = createFragments({ reload: false });

      expect(() => fragment('/tenant/item-status', { status: 'in_review', statusLabels: badge.statusLabels })).toThrow(/t is not defined/);
    });

    it('reads and compiles its template once, or on every render when views reload', () => {
      const read = jest.spyOn(fs, 'readFileSync');
      const kept = createFragments({ reload: false });
      const reloaded = createFragments({ reload: true });
      const reads = () => read.mock.calls.filter(([file]) => String(file).endsWith('item-status.ejs')).length;

      for (let i = 0; i < 3; i++) kept('/tenant/item-status', badge);
      const afterKept = reads();
      for (let i = 0; i < 3; i++) reloaded('/tenant/item-status', badge);

      expect([afterKept, reads() - afterKept]).toEqual([1, 3]);
    });

    it('refuses a name outside the views folder', () => {
      const fragment = createFragments({ reload: false });

      expect(() => fragment('tenant/item-status', badge)).toThrow('fragment names a partial from the views folder');
      expect(() => fragment('/../package', badge)).toThrow('fragment names a partial from the views folder');
    });
  });
});
