import { msg } from '../../../core/i18n/message';
import { secretInputSchema } from '../../../workspace/secrets/secret-schemas';

describe('a secret typed in the settings', () => {
  it.each([
    ['a C1 next-line character', 'a\u0085b'],
    ['a line separator', 'a\u2028b'],
    ['a paragraph separator', 'a\u2029b'],
    ['a new line', 'a\nb'],
  ])('is refused with %s inside it: it must be on one line', (_label, value) => {
    const issue = secretInputSchema.safeParse({ secret_name: 'API_KEY', secret_value: value }).error?.issues[0];
    expect(issue).toMatchObject({ path: ['secret_value'], message: msg('must be on one line, without control characters') });
  });

  it('keeps a value of printable characters, trimmed', () => {
    expect(secretInputSchema.parse({ secret_name: 'API_KEY', secret_value: ' sk-live-Ωé0123 \n' }).secret_value).toBe('sk-live-Ωé0123');
  });
});
