import { formatSize } from '../../../core/i18n/format-size';
import { msg, size } from '../../../core/i18n/message';
import { translatorFor } from '../../../core/i18n/translator';

describe('sizes as each language writes them', () => {
  it('writes English sizes in B, KB, MB and GB with a decimal point', () => {
    expect([17, 1536, 20 * 1024, 1.2 * 1024 * 1024, 3.4 * 1024 ** 3, 1023 * 1024].map((n) => formatSize(n, 'en'))).toEqual([
      '17 B',
      '1.5 KB',
      '20 KB',
      '1.2 MB',
      '3.4 GB',
      '1023 KB',
    ]);
  });

  it('writes French sizes in octets (o, Ko, Mo, Go) with a decimal comma', () => {
    expect([17, 1536, 20 * 1024, 1.2 * 1024 * 1024, 3.4 * 1024 ** 3, 1023 * 1024].map((n) => formatSize(n, 'fr'))).toEqual([
      '17 o',
      '1,5 Ko',
      '20 Ko',
      '1,2 Mo',
      '3,4 Go',
      '1023 Ko',
    ]);
  });

  it('writes a size inside a message in the language the message is shown in', () => {
    const text = msg('{{text}}', { text: size(1536) });
    expect(translatorFor('en')(text)).toBe('1.5 KB');
    expect(translatorFor('fr')(text)).toBe('1,5 Ko');
  });
});
