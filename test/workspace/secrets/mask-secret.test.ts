import { maskSecret } from '../../../workspace/secrets/mask-secret';

describe('masking a secret', () => {
  it('shows a vendor prefix and the last four characters of a long key', () => {
    expect(maskSecret('sk-proj-Abcdefghijklmnopqrstuvwxyzabcd')).toBe('sk-…abcd');
    expect(maskSecret('ghp_0123456789abcdefghijklmnopqrstuvwxyz')).toBe('ghp_…wxyz');
  });

  it('shows only the last four characters when there is no prefix', () => {
    expect(maskSecret('0123456789abcdef0123')).toBe('…0123');
  });

  it('drops the prefix when too little would stay hidden', () => {
    expect(maskSecret('sk-123456789abcd')).toBe('…abcd');
  });

  it('shows nothing of a short value', () => {
    expect(maskSecret('hunter2')).toBe('••••');
    expect(maskSecret('12345678901')).toBe('••••');
  });

  it('never contains the value itself', () => {
    for (const value of ['sk-live-9f8e7d6c5b4a39281706abcd', 'abcdefghijkl', 'pässwörd-with-ümlauts-1234']) {
      expect(maskSecret(value)).not.toContain(value);
      expect(maskSecret(value).replace(/[…•]/g, '').length).toBeLessThanOrEqual(9);
    }
  });
});
