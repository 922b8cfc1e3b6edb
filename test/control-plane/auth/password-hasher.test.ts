import { hash } from '@node-rs/argon2';
import { hashPassword, verifyPassword } from '../../../control-plane/auth/password-hasher';

describe('password hashing', () => {
  const composed = 'Zürich café à 2 heures';
  const decomposed = composed.normalize('NFD');

  it('takes a password typed with composed accents on one device and decomposed ones on another as the same password', async () => {
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(await hashPassword(composed), decomposed)).toBe(true);
    expect(await verifyPassword(await hashPassword(decomposed), composed)).toBe(true);
  });

  it('takes full-width digits and letters from an input method as their plain forms', async () => {
    expect(await verifyPassword(await hashPassword('correct horse 42'), 'correct horse ４２')).toBe(true);
  });

  it('still accepts a password hashed as it was typed, before passwords were normalised, typed the same way', async () => {
    const before = await hash(decomposed, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(await verifyPassword(before, decomposed)).toBe(true);
  });

  it('refuses another password', async () => {
    expect(await verifyPassword(await hashPassword(composed), 'Zurich cafe a 2 heures')).toBe(false);
  });
});
