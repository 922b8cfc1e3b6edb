import { effectivePermissions, MAX_ROLE_DEPTH, roleChain, type RoleLink } from '../../../control-plane/roles/effective-permissions';

function rolesOf(rows: Array<[number, number | null, string[]]>): (id: number) => RoleLink | undefined {
  const map = new Map(rows.map(([id, parent, permissions]) => [id, { id, parent_role_id: parent, permissions: JSON.stringify(permissions) }]));
  return (id) => map.get(id);
}

describe('effective permissions', () => {
  it("are the role's own plus every ancestor's", () => {
    const find = rolesOf([
      [1, null, ['content.view']],
      [2, 1, ['content.create']],
      [3, 2, ['team.invite']],
    ]);
    expect([...effectivePermissions(3, find)].sort()).toEqual(['content.create', 'content.view', 'team.invite']);
    expect([...effectivePermissions(1, find)]).toEqual(['content.view']);
  });

  it('drop names that are no longer in the catalogue', () => {
    expect([...effectivePermissions(1, rolesOf([[1, null, ['content.view', 'retired.permission']]]))]).toEqual(['content.view']);
  });

  it('stop at a cycle written into the database by hand instead of looping', () => {
    const find = rolesOf([
      [1, 2, ['content.view']],
      [2, 1, ['content.edit']],
    ]);
    expect(roleChain(1, find).map((r) => r.id)).toEqual([1, 2]);
    expect([...effectivePermissions(1, find)].sort()).toEqual(['content.edit', 'content.view']);
  });

  it(`stop after ${MAX_ROLE_DEPTH} roles, so an over-deep chain cannot grow a role's permissions without bound`, () => {
    const find = rolesOf([
      [1, null, ['audit.view']],
      [2, 1, []],
      [3, 2, []],
      [4, 3, []],
      [5, 4, []],
      [6, 5, ['content.view']],
    ]);
    expect(roleChain(6, find)).toHaveLength(MAX_ROLE_DEPTH);
    expect([...effectivePermissions(6, find)]).toEqual(['content.view']);
  });

  it('are empty for an unknown role', () => {
    expect(effectivePermissions(99, rolesOf([])).size).toBe(0);
  });
});
