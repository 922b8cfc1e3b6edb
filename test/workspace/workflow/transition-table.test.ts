import {
  TRANSITIONS,
  TRANSITION_ACTIONS,
  canDelete,
  findTransition,
  permissionFor,
  transitionsFrom,
  canComment,
} from '../../../workspace/workflow/transition-table';
import { ITEM_STATUSES } from '../../../workspace/workflow/item-status';
import { PREDEFINED_ROLE_PERMISSIONS } from '../../../control-plane/roles/predefined-roles';
import type { Permission } from '../../../tenant-runtime/permission-catalogue';

const perms = (role: string) => new Set(PREDEFINED_ROLE_PERMISSIONS[role] as Permission[]);

describe('the transition table', () => {
  it('gives every action one permission, whatever state it starts from', () => {
    for (const action of TRANSITION_ACTIONS) {
      const needed = new Set(TRANSITIONS.filter((t) => t.action === action).map((t) => t.permission));
      expect([action, needed.size]).toEqual([action, 1]);
    }
  });

  it('has at most one row per action and starting state', () => {
    const keys = TRANSITIONS.map((t) => `${t.action}:${t.from}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('follows draft -> in review -> approved | changes requested -> scheduled -> published', () => {
    expect(findTransition('submit', 'draft')?.to).toBe('in_review');
    expect(findTransition('approve', 'in_review')?.to).toBe('approved');
    expect(findTransition('request-changes', 'in_review')?.to).toBe('changes_requested');
    expect(findTransition('resubmit', 'changes_requested')?.to).toBe('in_review');
    expect(findTransition('schedule', 'approved')?.to).toBe('scheduled');
    expect(findTransition('publish', 'scheduled')?.to).toBe('published');
  });

  it('archives from every state but published and archived, and restores archived items as drafts', () => {
    const archivable = ITEM_STATUSES.filter((s) => findTransition('archive', s));
    expect(archivable.sort()).toEqual(['approved', 'changes_requested', 'draft', 'in_review', 'scheduled']);
    expect(findTransition('restore', 'archived')?.to).toBe('draft');
    expect(TRANSITIONS.filter((t) => t.from === 'published')).toEqual([]);
  });

  it('gates writing with content.edit, reviewing with content.approve and publishing with content.publish', () => {
    expect(permissionFor('submit')).toBe('content.edit');
    expect(permissionFor('resubmit')).toBe('content.edit');
    expect(permissionFor('approve')).toBe('content.approve');
    expect(permissionFor('request-changes')).toBe('content.approve');
    for (const action of ['schedule', 'unschedule', 'publish', 'archive', 'restore'] as const) expect(permissionFor(action)).toBe('content.publish');
  });

  it('offers a viewer nothing, an editor submitting, an approver reviewing', () => {
    for (const status of ITEM_STATUSES) expect(transitionsFrom(status, perms('viewer'))).toEqual([]);
    expect(transitionsFrom('draft', perms('editor')).map((t) => t.action)).toEqual(['submit']);
    expect(transitionsFrom('in_review', perms('approver')).map((t) => t.action)).toEqual(['approve', 'request-changes']);
    expect(transitionsFrom('in_review', perms('editor'))).toEqual([]);
  });

  it('lets drafts and archived items be deleted with content.edit, and nothing in the workflow or published', () => {
    expect(ITEM_STATUSES.filter((s) => canDelete(s, perms('editor')))).toEqual(['draft', 'archived']);
    expect(ITEM_STATUSES.filter((s) => canDelete(s, perms('owner')))).toEqual(['draft', 'archived']);
    for (const role of ['viewer', 'approver']) expect(ITEM_STATUSES.filter((s) => canDelete(s, perms(role)))).toEqual([]);
  });

  it('lets writers and reviewers comment, not viewers', () => {
    expect(canComment(perms('editor'))).toBe(true);
    expect(canComment(perms('approver'))).toBe(true);
    expect(canComment(perms('viewer'))).toBe(false);
  });
});
