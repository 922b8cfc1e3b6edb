import { msg } from '../../core/i18n/message';
import { ValidationError } from '../../core/errors/app-errors';
import { effectivePermissions, MAX_ROLE_DEPTH, roleChain } from './effective-permissions';
import type { Permission } from '../../tenant-runtime/permission-catalogue';
import type { RoleRecord } from './role-repository';

/**
 * A tenant's roles (predefined and custom) held in memory, to check a proposed parent before
 * anything is written: it must be a role of the same tenant, must not lead back to the role
 * itself, and must keep every chain within MAX_ROLE_DEPTH roles.
 */
export class RoleHierarchy {
  private readonly byId: Map<number, RoleRecord>;

  constructor(readonly roles: RoleRecord[]) {
    this.byId = new Map(roles.map((r) => [r.id, r]));
  }

  find(id: number): RoleRecord | undefined {
    return this.byId.get(id);
  }

  /** Effective permissions of a role as it would be with `own` permissions under `parentId`. */
  effectiveWith(own: Permission[], parentId: number | null): Set<Permission> {
    const result = new Set<Permission>(own);
    if (parentId !== null) for (const p of effectivePermissions(parentId, (id) => this.find(id))) result.add(p);
    return result;
  }

  /** Throws a 400 naming `field` when `selfId` (undefined for a new role) may not inherit from `parentId`. */
  checkParent(selfId: number | undefined, parentId: number | null, field = 'parent_role_id'): void {
    if (parentId === null) return;
    if (!this.byId.has(parentId)) throw ValidationError.single(field, msg('must be one of the roles offered'));
    const ancestors = this.ancestorIds(parentId);
    if (selfId !== undefined && (parentId === selfId || ancestors.has(selfId))) {
      throw ValidationError.single(field, msg('would make the role inherit from itself (a cycle)'));
    }
    const depth = roleChain(parentId, (id) => this.find(id)).length + this.height(selfId);
    if (depth > MAX_ROLE_DEPTH) throw ValidationError.single(field, msg('would make a chain of more than {{count}} roles', { count: MAX_ROLE_DEPTH }));
  }

  /** Roles that inherit from `id`, directly or not. */
  descendantIds(id: number): Set<number> {
    const found = new Set<number>();
    const walk = (parent: number) => {
      for (const r of this.roles) {
        if (r.parent_role_id === parent && !found.has(r.id)) {
          found.add(r.id);
          walk(r.id);
        }
      }
    };
    walk(id);
    return found;
  }

  /** All ids on the parent chain of `id`, without the depth cut-off (a stored cycle ends the walk). */
  private ancestorIds(id: number): Set<number> {
    const seen = new Set<number>();
    let next: number | null = id;
    while (next !== null && !seen.has(next)) {
      seen.add(next);
      next = this.find(next)?.parent_role_id ?? null;
    }
    return seen;
  }

  /** Roles on the longest chain from `id` down through its descendants (1 for a role with none, or a new one). */
  private height(id: number | undefined, seen = new Set<number>()): number {
    if (id === undefined || seen.has(id)) return 1;
    seen.add(id);
    const children = this.roles.filter((r) => r.parent_role_id === id);
    return 1 + Math.max(0, ...children.map((c) => this.height(c.id, seen)));
  }
}
