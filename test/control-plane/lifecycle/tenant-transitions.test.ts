import { TENANT_STATUSES } from '../../../control-plane/tenants/tenant-record';
import {
  TENANT_ACTIONS,
  TENANT_TRANSITIONS,
  findTenantTransition,
  operatorActionsFrom,
  statusesAllowing,
} from '../../../control-plane/lifecycle/tenant-transitions';

describe('the tenant transition table', () => {
  it('names only known statuses and actions', () => {
    for (const t of TENANT_TRANSITIONS) {
      expect(TENANT_STATUSES).toContain(t.from);
      if (t.to !== 'previous') expect(TENANT_STATUSES).toContain(t.to);
      expect(TENANT_ACTIONS).toContain(t.action);
    }
  });

  it('lists each (action, from) once', () => {
    const keys = TENANT_TRANSITIONS.map((t) => `${t.action}:${t.from}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has no way out of purged: a tombstone stays a tombstone', () => {
    expect(TENANT_TRANSITIONS.filter((t) => t.from === 'purged')).toEqual([]);
  });

  it('asks for confirmation for every step that takes data offline or deletes it', () => {
    const confirmed = TENANT_TRANSITIONS.filter((t) => t.confirm).map((t) => t.action);
    expect([...new Set(confirmed)].sort()).toEqual(['archive', 'discard', 'purge']);
    for (const t of TENANT_TRANSITIONS.filter((row) => row.to === 'purged' && row.by.includes('operator'))) expect(t.confirm).toBe(true);
  });

  it('leaves damage and provisioning outcomes to the platform itself', () => {
    for (const action of ['activate', 'fail', 'roll-back', 'mark-damaged'] as const) {
      for (const t of TENANT_TRANSITIONS.filter((row) => row.action === action)) expect(t.by).toEqual(['system']);
    }
  });

  it('restores an archive to the status it had before', () => {
    expect(findTenantTransition('restore', 'archived')?.to).toBe('previous');
    expect(findTenantTransition('restore', 'active')).toBeUndefined();
  });

  it('takes only a tenant with live data offline for a restore from a backup, and brings it back to the status it had', () => {
    expect(statusesAllowing('take-offline')).toEqual(['active', 'suspended', 'damaged']);
    for (const from of ['archived', 'purged', 'provisioning', 'failed', 'maintenance'] as const)
      expect(findTenantTransition('take-offline', from)).toBeUndefined();
    expect(findTenantTransition('take-offline', 'suspended')?.to).toBe('maintenance');
    expect(findTenantTransition('bring-back', 'maintenance')?.to).toBe('previous');
    expect(TENANT_TRANSITIONS.filter((t) => t.from === 'maintenance').map((t) => t.action)).toEqual(['bring-back']);
  });

  it('offers an operator the actions of the status the tenant is in, and nothing else', () => {
    expect(operatorActionsFrom('active').map((t) => t.action)).toEqual(['suspend', 'archive']);
    expect(operatorActionsFrom('suspended').map((t) => t.action)).toEqual(['resume', 'archive']);
    expect(operatorActionsFrom('archived').map((t) => t.action)).toEqual(['restore', 'purge']);
    expect(operatorActionsFrom('failed').map((t) => t.action)).toEqual(['retry', 'discard']);
    expect(operatorActionsFrom('damaged').map((t) => t.action)).toEqual(['archive', 'recover']);
    expect(operatorActionsFrom('provisioning')).toEqual([]);
    expect(operatorActionsFrom('purged')).toEqual([]);
  });
});
