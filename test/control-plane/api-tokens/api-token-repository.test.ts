import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { plansOf } from '../../support/query-plans';
import { plantToken } from '../../support/api-tokens';
import type { ApiTokenListRow } from '../../../control-plane/api-tokens/api-token-repository';
import type { TokenPosition } from '../../../control-plane/api-tokens/token-position';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

describe("a page of a workspace's or a user's API tokens", () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let ada: UserRecord;

  /** Every page of `read`, `size` rows at a time, each read after the last row of the one before (stopping at 100 pages, should it never end). */
  function walk(read: (limit: number, after?: TokenPosition) => ApiTokenListRow[], size: number): ApiTokenListRow[][] {
    const pages: ApiTokenListRow[][] = [];
    let after: TokenPosition | undefined;
    for (;;) {
      const rows = read(size + 1, after);
      const page = rows.slice(0, size);
      pages.push(page);
      if (rows.length <= size || pages.length === 100) return pages;
      after = { createdAt: page[page.length - 1].created_at, id: page[page.length - 1].id };
    }
  }

  const newestFirst = (a: ApiTokenListRow, b: ApiTokenListRow) => b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

  beforeAll(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    const other = await makeTenant(t.platform, 'other');
    ada = await makeUser(t.platform, { email: 'ada@acme.test' });
    const bob = await makeUser(t.platform, { email: 'bob@other.test' });
    await addMember(t.platform, ada, acme, 'owner');
    await addMember(t.platform, bob, other, 'owner');
    // Three tokens an instant: pages end in the middle of one.
    for (let i = 0; i < 40; i++) {
      const at = 1_700_000_000_000 + Math.floor(i / 3) * 1000;
      const kind = i % 2 ? 'service' : 'personal';
      plantToken(t.platform, { name: `${kind} ${at}`, kind, user: ada, tenant: i % 4 === 0 ? null : acme, at });
      plantToken(t.platform, { name: `${kind} ${at}`, kind, user: bob, tenant: other, at });
    }
  });
  afterAll(() => t.cleanup());

  it("lists a workspace's tokens a page at a time, newest first and by id within an instant, each once and none of another workspace", () => {
    const pages = walk((limit, after) => t.platform.apiTokens.listForTenant(acme.id, limit, after), 7);
    expect(pages.every((page) => page.length <= 7)).toBe(true);
    const all = pages.flat();
    const expected = t.platform.db.all<ApiTokenListRow>('select * from api_tokens where tenant_id = ?', [acme.id]).sort(newestFirst);
    expect(all.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
  });

  it("lists a user's personal tokens a page at a time, newest first and by id within an instant, each once and none of another user", () => {
    const pages = walk((limit, after) => t.platform.apiTokens.listPersonal(ada.id, limit, after), 4);
    expect(pages.every((page) => page.length <= 4)).toBe(true);
    const expected = t.platform.db.all<ApiTokenListRow>("select * from api_tokens where user_id = ? and kind = 'personal'", [ada.id]).sort(newestFirst);
    expect(pages.flat().map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it.each([
    [
      'a workspace',
      () => t.platform.apiTokens.listForTenant(acme.id, 6, { createdAt: 1_700_000_005_000, id: `k${'f'.repeat(24)}` }),
      /api_tokens_tenant_id_created_at_id_index \(tenant_id=\? AND/,
    ],
    [
      'a user',
      () => t.platform.apiTokens.listPersonal(ada.id, 6, { createdAt: 1_700_000_005_000, id: `k${'f'.repeat(24)}` }),
      /api_tokens_user_id_created_at_id_index \(user_id=\? AND/,
    ],
  ])("reads a later page of %s's tokens in order from its index, sorting nothing", (_label, read, index) => {
    let shown = 0;
    const plans = plansOf(t.platform.db, () => {
      shown = read().length;
    }).filter((p) => /order by/i.test(p.sql));
    expect(shown).toBe(6);
    expect(plans).toHaveLength(1);
    expect(plans[0].plan).toMatch(index);
    expect(plans[0].plan).not.toMatch(/TEMP B-TREE/);
  });
});
