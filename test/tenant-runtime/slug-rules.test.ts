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

  it('says why a reserved word is refused', () => {
    const result = slugSchema.safeParse('admin');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe('is a reserved word');
  });
});
