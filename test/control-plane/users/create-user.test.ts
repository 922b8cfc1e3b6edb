import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createUser } from '../../../control-plane/users/create-user';
import { NotFoundError, ValidationError } from '../../../core/errors/app-errors';

describe('createUser', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await createTestPlatform();
  });
  afterEach(() => t.cleanup());

  const input = (email: string) => ({ email, name: 'Ada', password: 'a long enough password' });

  it('creates one user when the same address is sent twice at once, and refuses the other as already registered', async () => {
    const results = await Promise.allSettled([
      createUser(t.platform, input('ada@example.com'), { isSuperAdmin: false }),
      createUser(t.platform, input('ADA@example.com'), { isSuperAdmin: false }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason as ValidationError;
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused.fields).toEqual([{ field: 'email', message: 'is already registered' }]);
    expect(t.platform.users.count()).toBe(1);
  });

  it('as the first user only: refuses once anyone exists, even one created while its password was hashed', async () => {
    const results = await Promise.allSettled([
      createUser(t.platform, input('ada@example.com'), { isSuperAdmin: true, onlyAsFirstUser: true }),
      createUser(t.platform, input('eve@example.com'), { isSuperAdmin: true, onlyAsFirstUser: true }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason).toBeInstanceOf(NotFoundError);
    expect(t.platform.users.count()).toBe(1);
  });
});
