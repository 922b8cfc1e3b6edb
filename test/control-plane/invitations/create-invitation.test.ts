import { createInvitation } from '../../../control-plane/invitations/create-invitation';
import { ConflictError } from '../../../core/errors/app-errors';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { auditOf, invitationRow, roleId } from '../../support/team';

describe('creating an invitation', () => {
  let t: TestPlatform;
  let acme: TenantRecord;

  beforeAll(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
  });
  afterAll(() => t.cleanup());

  const create = (email: string, replacePending?: boolean) =>
    createInvitation(t.platform, { tenantId: acme.id, email, roleId: roleId(t.platform, 'viewer'), invitedBy: null, replacePending });
  const states = (email: string) =>
    t.platform.db.all<{ state: string }>('select state from invitations where email = ? order by rowid', [email]).map((r) => r.state);

  it('refuses an address whose invitation is still pending, writing nothing and leaving its link as it was', () => {
    const first = create('kept@example.com');
    const before = invitationRow(t.platform, first.id);
    const records = auditOf(t.platform, 'invitation.create').length;
    expect(() => create('Kept@Example.com')).toThrow(new ConflictError('kept@example.com already has a pending invitation to this workspace.'));
    expect(invitationRow(t.platform, first.id)).toEqual(before);
    expect(states('kept@example.com')).toEqual(['pending']);
    expect(auditOf(t.platform, 'invitation.create')).toHaveLength(records);
  });

  it('revokes the pending one and writes a new one only when asked to replace it', () => {
    const first = create('owner@example.com');
    const second = create('owner@example.com', true);
    expect(invitationRow(t.platform, first.id)?.state).toBe('revoked');
    expect(invitationRow(t.platform, second.id)?.state).toBe('pending');
    expect(states('owner@example.com')).toEqual(['revoked', 'pending']);
  });
});
