import crypto from 'node:crypto';
import { linesInto } from '../../support/log-lines';
import util from 'node:util';
import { SecretBox, SecretKeyMismatchError, SecretTamperedError, keyIdOf, parseSecretsKey } from '../../../core/crypto/secret-box';
import { createLogger } from '../../../core/logging/logger';

const key = () => crypto.randomBytes(32);
const CONTEXT = 'tenant-secret:MAIL_KEY';

describe('a secret box', () => {
  it('opens what it sealed (round trip, including non-ASCII)', () => {
    const box = new SecretBox(key());
    for (const value of ['sk-live-1234567890abcdef', 'clé secrète 🔑', 'x'.repeat(4096)]) {
      expect(box.open(box.seal(value, CONTEXT), CONTEXT)).toBe(value);
    }
  });

  it('uses AES-256-GCM with a fresh 12-byte IV and a 16-byte tag for every value', () => {
    const box = new SecretBox(key());
    const first = box.seal('same value', CONTEXT);
    const second = box.seal('same value', CONTEXT);
    expect(first.iv).toHaveLength(12);
    expect(first.authTag).toHaveLength(16);
    expect(first.iv.equals(second.iv)).toBe(false);
    expect(first.ciphertext.equals(second.ciphertext)).toBe(false);
    expect(first.ciphertext.includes(Buffer.from('same value'))).toBe(false);
  });

  it('stores the id of its key beside each value', () => {
    const k = key();
    expect(new SecretBox(k).seal('v', CONTEXT).keyId).toBe(keyIdOf(k));
    expect(keyIdOf(k)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf(k)).not.toBe(keyIdOf(key()));
  });

  it.each([
    ['a flipped ciphertext bit', (s: ReturnType<SecretBox['seal']>) => ({ ...s, ciphertext: Buffer.from(s.ciphertext.map((b, i) => (i === 0 ? b ^ 1 : b))) })],
    ['a changed auth tag', (s: ReturnType<SecretBox['seal']>) => ({ ...s, authTag: Buffer.from(s.authTag.map((b, i) => (i === 15 ? b ^ 0x80 : b))) })],
    ['a truncated auth tag', (s: ReturnType<SecretBox['seal']>) => ({ ...s, authTag: s.authTag.subarray(0, 8) })],
    ['a changed IV', (s: ReturnType<SecretBox['seal']>) => ({ ...s, iv: crypto.randomBytes(12) })],
  ])('detects tampering: %s', (_label, tamper) => {
    const box = new SecretBox(key());
    const sealed = box.seal('sk-live-1234567890abcdef', CONTEXT);
    expect(() => box.open(tamper(sealed), CONTEXT)).toThrow(SecretTamperedError);
  });

  it('refuses a value moved to another name (the context is authenticated)', () => {
    const box = new SecretBox(key());
    const sealed = box.seal('sk-live-1234567890abcdef', CONTEXT);
    expect(() => box.open(sealed, 'tenant-secret:OTHER_KEY')).toThrow(SecretTamperedError);
  });

  it('names both keys when a value was sealed under another key', () => {
    const sealed = new SecretBox(key()).seal('v', CONTEXT);
    expect(() => new SecretBox(key()).open(sealed, CONTEXT)).toThrow(SecretKeyMismatchError);
  });

  it('does not open a value relabelled with its key id under a wrong key', () => {
    const other = new SecretBox(key());
    const sealed = new SecretBox(key()).seal('v', CONTEXT);
    expect(() => other.open({ ...sealed, keyId: other.keyId }, CONTEXT)).toThrow(SecretTamperedError);
  });

  it('never shows its key when serialised, inspected or logged', () => {
    const k = key();
    const box = new SecretBox(k);
    const lines: string[] = [];
    createLogger('info', linesInto(lines)).info({ box, config: { secretsKey: k } }, 'event');
    const hex = k.toString('hex');
    for (const text of [JSON.stringify(box), util.inspect(box, { showHidden: true, depth: 5 }), lines.join('')]) {
      expect(text).not.toContain(hex);
      expect(text).not.toContain(k.toString('base64'));
      expect(text).not.toMatch(/"data":\[/);
    }
  });

  it('accepts only 32-byte keys', () => {
    expect(() => new SecretBox(crypto.randomBytes(16))).toThrow();
    expect(parseSecretsKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseSecretsKey('not hex')).toBeUndefined();
    expect(parseSecretsKey('ab'.repeat(31))).toBeUndefined();
  });
});
