import { msg } from '../../core/i18n/message';
import crypto from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { ControlPlane } from '../control-plane';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { checkFormRevision } from '../../core/http/revision-form';
import { parseInput } from '../../core/http/parse-input';
import { auditedBy, type ActingMember } from '../audit/tenant-actor';
import type { Permission } from '../../tenant-runtime/permission-catalogue';
import { roleInputSchema } from './role-schemas';
import { RoleHierarchy } from './role-hierarchy';
import { assertCanGrant } from './grant-rules';
import { roleJustCreated } from './repeated-role';
import type { CustomRoleInput, RoleRecord } from './role-repository';

/** A custom role of the actor's tenant, for editing: another tenant's role is not found, a predefined one is refused. */
export function editableRole(platform: ControlPlane, actor: ActingMember, roleId: number): RoleRecord {
  const role = platform.roles.findForTenant(roleId, actor.tenantId);
  if (!role) throw new NotFoundError();
  if (role.is_predefined) throw new ForbiddenError(msg('Predefined roles cannot be changed.'));
  assertCanGrant(actor.permissions, platform.access.permissionsOfRole(role.id), msg('change {{role}}', { role: role.name }));
  return role;
}

/** Parses and checks the form against the tenant's roles; throws before anything is written. */
function checkedInput(platform: ControlPlane, actor: ActingMember, input: unknown, selfId?: number): CustomRoleInput {
  const parsed = parseInput(roleInputSchema, input);
  const hierarchy = new RoleHierarchy(platform.roles.listForTenant(actor.tenantId));
  const clash = hierarchy.roles.find((r) => r.id !== selfId && r.name.toLowerCase() === parsed.name.toLowerCase());
  if (clash) throw ValidationError.single('name', msg('is already the name of another role'));
  hierarchy.checkParent(selfId, parsed.parent_role_id);
  const permissions = parsed.permissions as Permission[];
  assertCanGrant(actor.permissions, hierarchy.effectiveWith(permissions, parsed.parent_role_id), msg('grant these permissions'));
  return { name: parsed.name, description: parsed.description, parentRoleId: parsed.parent_role_id, permissions };
}

function snapshot(role: Pick<RoleRecord, 'name' | 'description' | 'parent_role_id' | 'permissions'>) {
  return { name: role.name, description: role.description, parentRoleId: role.parent_role_id, permissions: JSON.parse(role.permissions) as string[] };
}

/** Whether a checked input leaves a role as it is (its permissions in any order). */
function sameRole(current: ReturnType<typeof snapshot>, next: CustomRoleInput): boolean {
  const sorted = (r: CustomRoleInput) => ({ ...r, permissions: [...r.permissions].sort() });
  return isDeepStrictEqual(sorted(current), sorted(next));
}

/**
 * Creates a custom role with its audit record. The same role sent again by the same member moments
 * later (a double click) makes nothing: it is answered with the role the first one made (repeated-role.ts).
 */
export function createCustomRole(platform: ControlPlane, actor: ActingMember, input: unknown): RoleRecord {
  return platform.db.write(() => {
    const made = roleJustCreated(platform, actor, input);
    if (made) return made;
    const checked = checkedInput(platform, actor, input);
    const id = platform.roles.insertCustom(actor.tenantId, `custom-${crypto.randomBytes(6).toString('hex')}`, checked);
    const role = platform.roles.findById(id) as RoleRecord;
    platform.audit.record({ ...auditedBy(actor), action: 'role.create', targetType: 'role', targetId: String(id), after: snapshot(role) });
    return role;
  });
}

export interface RoleChangeOptions {
  /** The revision of the role the change was made on (the page's, the client's): another current one refuses it (409). */
  revision?: number;
}

/** The role form's change: every field replaced by the form's. */
export function updateCustomRole(platform: ControlPlane, actor: ActingMember, roleId: number, input: unknown, options: RoleChangeOptions = {}): RoleRecord {
  return writeUpdate(platform, actor, roleId, () => input, options);
}

/** The fields of a custom role an API change may send; those left out keep their value. */
export interface CustomRolePatch {
  name?: unknown;
  description?: unknown;
  parent_role_id?: unknown;
  permissions?: unknown;
}

/**
 * Changes only the fields sent, merged with the role as it is inside the write: a change made
 * meanwhile by another request or process to a field not sent is kept, not written back.
 */
export function patchCustomRole(
  platform: ControlPlane,
  actor: ActingMember,
  roleId: number,
  patch: CustomRolePatch,
  options: RoleChangeOptions = {},
): RoleRecord {
  return writeUpdate(
    platform,
    actor,
    roleId,
    (current) => {
      const sent = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      return {
        name: current.name,
        description: current.description,
        parent_role_id: current.parent_role_id,
        permissions: JSON.parse(current.permissions) as string[],
        ...sent,
      };
    },
    options,
  );
}

/**
 * Refuses a change made on a revision of the role that is no longer current (someone changed it
 * meanwhile): read inside the write, so no change lands between the check and the write. None
 * expected (an API client that sends none, a page from before the field) checks nothing, and nor
 * does a change that leaves the role as it is (the form sent again by a double click on Save). A
 * page refused shows the role as it is now: its form holds every field of the role.
 */
function checkRoleRevision(role: RoleRecord, expected: number | undefined, input: unknown): void {
  checkFormRevision(
    role.revision,
    expected,
    () => {
      // Only the fields' own form is read here: a stale change that is not even valid is a conflict, shown as the role is now.
      const parsed = roleInputSchema.safeParse(input ?? {});
      if (!parsed.success) return true;
      const { name, description, parent_role_id: parentRoleId, permissions } = parsed.data;
      return !sameRole(snapshot(role), { name, description, parentRoleId, permissions: permissions as Permission[] });
    },
    msg('This role was changed since you opened it (now revision {{revision}}): the form shows it as it is now; make your change again.', {
      revision: role.revision,
    }),
    { roleId: role.id },
  );
}

function writeUpdate(
  platform: ControlPlane,
  actor: ActingMember,
  roleId: number,
  inputOf: (current: RoleRecord) => unknown,
  options: RoleChangeOptions,
): RoleRecord {
  return platform.db.write(() => {
    const before = editableRole(platform, actor, roleId);
    const input = inputOf(before);
    checkRoleRevision(before, options.revision, input);
    const checked = checkedInput(platform, actor, input, before.id);
    // A change that changes nothing (an empty PATCH, the same form sent twice) writes nothing and is no change to record.
    if (sameRole(snapshot(before), checked)) return before;
    platform.roles.updateCustom(before.id, actor.tenantId, checked);
    const after = platform.roles.findById(before.id) as RoleRecord;
    platform.audit.record({
      ...auditedBy(actor),
      action: 'role.update',
      targetType: 'role',
      targetId: String(roleId),
      before: snapshot(before),
      after: snapshot(after),
    });
    return after;
  });
}
