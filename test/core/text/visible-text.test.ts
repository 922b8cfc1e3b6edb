import { hasNoDirectionControls, showsSomething } from '../../../core/text/visible-text';

describe('visible text', () => {
  it.each([
    '\u200b',
    '\u200b\u200c\u200d\u2060',
    ' \ufeff\u00a0',
    '\u200e\u200f',
    '',
    '\u3164',
    '\u115f\u1160',
    '\uffa0',
    '\u2800',
    '\u034f',
    'x\ufe0f'.slice(1),
  ])('finds nothing shown in %j', (text) => {
    expect(showsSomething(text)).toBe(false);
  });

  it.each(['a', ' x ', '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}', '\u05e9\u05dc\u05d5\u05dd\u200f', 'e\u0301'])('finds something shown in %j', (text) => {
    expect(showsSomething(text)).toBe(true);
  });

  it('refuses direction overrides, embeddings and isolates, and keeps the marks right-to-left text needs', () => {
    for (const control of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'])
      expect(hasNoDirectionControls(`x${control}live`)).toBe(false);
    for (const mark of ['\u200e', '\u200f', '\u061c']) expect(hasNoDirectionControls(`\u05e9\u05dc\u05d5\u05dd${mark}`)).toBe(true);
  });
});
