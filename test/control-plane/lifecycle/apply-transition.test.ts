import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { auditOf } from '../../support/team';
import { applyTransition } from '../../../control-plane/lifecycle/apply-transition';
import { ConflictError } from '../../../core/errors/app-errors';

describe('applyTransition', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await createTestPlatform();
  });
  afterEach(() => t.cleanup());

  const snapshot = (id: string) => ({
    row: t.platform.tenants.findById(id),
    history: t.platform.db.all('select * from tenant_status_history where tenant_id = ?', [id]),
    audit: t.platform.db.all('select * from audit_events where tenant_id = ?', [id]),
  });

  it.each([
    ['purge', 'an active tenant', 'operator'],
    ['restore', 'an active tenant', 'operator'],
    ['mark-damaged', 'by an operator (only the platform finds damage)', 'operator'],
    ['activate', 'by an operator', 'operator'],
  ] as const)('refuses %s of %s with a 409 and writes nothing', async (action, _label, by) => {
    const acme = await makeTenant(t.platform, 'acme');
    const before = snapshot(acme.id);
    expect(() => applyTransition(t.platform, acme.id, action, { actorUserId: null, by })).toThrow(ConflictError);
    expect(snapshot(acme.id)).toEqual(before);
  });

  it('refuses with a 409 naming it to record a file operation over another one not finished, and writes nothing', async () => {
    const acme = await makeTenant(t.platform, 'acme');
    t.platform.db.write(() => t.platform.tenants.update(acme.id, { pending_operation: 'rename' }));
    const before = snapshot(acme.id);
    expect(() => applyTransition(t.platform, acme.id, 'archive', { actorUserId: null, by: 'operator', pendingOperation: 'archive' })).toThrow(
      'A rename of tenant acme is not finished; it cannot be archived until it is.',
    );
    expect(snapshot(acme.id)).toEqual(before);
  });

  it('writes the row, the history and one audit record carrying the tenant id, in one transaction', async () => {
    const acme = await makeTenant(t.platform, 'acme');
    const changed = applyTransition(t.platform, acme.id, 'mark-damaged', { actorUserId: null, by: 'system', failure: 'the database file is empty (0 bytes)' });
    expect(changed).toMatchObject({ status: 'damaged', failure_reason: 'the database file is empty (0 bytes)', status_changed_by: null });
    expect(snapshot(acme.id).history.at(-1)).toMatchObject({ action: 'mark-damaged', from_status: 'active', to_status: 'damaged', actor_label: 'platform' });
    expect(auditOf(t.platform, 'tenant.mark-damaged')).toEqual([expect.objectContaining({ tenant_id: acme.id, before: '{"status":"active"}' })]);
  });

  it('closes the open handle of a tenant that stops being active', async () => {
    const acme = await makeTenant(t.platform, 'acme');
    (await t.platform.router.acquire(acme.id)).release();
    expect(t.platform.router.isOpen(acme.id)).toBe(true);
    applyTransition(t.platform, acme.id, 'suspend', { actorUserId: null, by: 'operator', reason: 'Unpaid' });
    expect(t.platform.router.isOpen(acme.id)).toBe(false);
  });
});
