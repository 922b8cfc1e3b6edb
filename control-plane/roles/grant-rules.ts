import { msg, nested } from '../../core/i18n/message';
import { ForbiddenError } from '../../core/errors/app-errors';
import type { Permission } from '../../tenant-runtime/permission-catalogue';

/** Permissions in `wanted` that the actor does not hold. */
export function missingPermissions(held: ReadonlySet<Permission>, wanted: Iterable<Permission>): Permission[] {
  return [...wanted].filter((p) => !held.has(p));
}

/**
 * A member hands out (assigns, invites with, builds into a role) only permissions they hold
 * themselves, and changes only members and roles that hold no more than they do: an admin
 * cannot make anyone an owner, nor demote or remove an owner.
 */
export function assertCanGrant(held: ReadonlySet<Permission>, wanted: Iterable<Permission>, what: string): void {
  const missing = missingPermissions(held, wanted);
  if (missing.length)
    throw new ForbiddenError(msg('Your role cannot {{what}}: it lacks {{permissions}}.', { what: nested(what), permissions: missing.join(', ') }), { missing });
}

export function canGrant(held: ReadonlySet<Permission>, wanted: Iterable<Permission>): boolean {
  return missingPermissions(held, wanted).length === 0;
}
