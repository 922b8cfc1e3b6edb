import { formatBytes } from '../../../core/text/format-bytes';

describe('formatBytes', () => {
  it('says fewer than 1024 bytes as whole bytes', () => {
    expect([0, 1, 512, 1023].map(formatBytes)).toEqual(['0 B', '1 B', '512 B', '1023 B']);
  });

  it('says a size below ten of its unit with one decimal, and above ten as a whole number', () => {
    expect([1024, 1536, 10 * 1024, 200 * 1024, 1.5 * 1024 ** 2, 44.4 * 1024 ** 2, 3.4 * 1024 ** 3].map(formatBytes)).toEqual([
      '1.0 KiB',
      '1.5 KiB',
      '10 KiB',
      '200 KiB',
      '1.5 MiB',
      '44 MiB',
      '3.4 GiB',
    ]);
  });

  it('stops at TiB however large the size', () => {
    expect(formatBytes(2048 * 1024 ** 4)).toBe('2048 TiB');
  });
});
