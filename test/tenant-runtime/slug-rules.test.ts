import { slugSchema, isWellFormedSlug } from '../../tenant-runtime/slug-rules';
import corpus from '../fixtures/tenant-slugs.json';

describe('tenant slug rules', () => {
  it.each(corpus.bad.map((s) => [JSON.stringify(s).slice(0, 60), s]))('refuses %s', (_label, slug) => {
    expect(slugSchema.safeParse(slug).success).toBe(false);
    expect(isWellFormedSlug(slug)).toBe(false);
  });

  it.each(corpus.good)('accepts %s', (slug) => {
    expect(slugSchema.safeParse(slug).success).toBe(true);
    expect(isWellFormedSlug(slug)).toBe(true);
  });

  it.each(['com1', 'com9', 'lpt1', 'lpt5', 'con', 'nul', 't0123456789abcdef01234567', 'u0123456789abcdef01234567', 'i0123456789abcdef01234567'])(
    'refuses the device name or id-shaped slug %s as reserved',
    (slug) => {
      expect(isWellFormedSlug(slug)).toBe(false);
      expect(slugSchema.safeParse(slug).error?.issues[0].message).toBe('is a reserved word');
    },
  );

  it.each(['com10', 'lpt', 'computer', 't0123456789abcdef0123456', 'team-0123456789abcdef01234567'])('still accepts the look-alike %s', (slug) => {
    expect(isWellFormedSlug(slug)).toBe(true);
  });

  it('says why a reserved word is refused', () => {
    const result = slugSchema.safeParse('admin');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe('is a reserved word');
  });
});
