import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeUser } from '../../support/factories';
import { auditOf } from '../../support/team';
import { DEFAULT_STEPS, provisionDeps, provisionTenant } from '../../../control-plane/provisioning/provision-tenant';
import { reconcileProvisioning } from '../../../control-plane/provisioning/reconcile-provisioning';
import { changeUserStatus } from '../../../control-plane/users/change-user-status';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** Everything up to making the workspace active: the state a crash leaves once its complete file is in place. */
const UNTIL_ACTIVATION = DEFAULT_STEPS.filter((step) => step.name !== 'mark-active');

describe('repairing a self-service workspace cut off before it was made active', () => {
  let t: TestPlatform;
  let creator: UserRecord;

  beforeEach(async () => {
    t = await createTestPlatform({ SELF_SERVICE_WORKSPACES: 'true' });
    creator = await makeUser(t.platform, { email: 'maker@example.com', name: 'Maker' });
  });
  afterEach(() => t.cleanup());

  /** A self-service row left in `provisioning` with its complete file in place, as create-own-workspace writes it. */
  async function cutOffWorkspace() {
    const deps = provisionDeps(t.platform, { ownerEmail: creator.email, createdBy: { userId: creator.id, selfService: true }, steps: UNTIL_ACTIVATION });
    const row = await provisionTenant(deps, { slug: 'north', name: 'North' });
    expect(row).toMatchObject({ status: 'provisioning', self_service: 1, created_by: creator.id });
    expect(fs.existsSync(tenantPaths(t.dataDir, row.id).database)).toBe(true);
    return row;
  }

  it('rolls it back, giving no workspace to a creator whose account was disabled meanwhile', async () => {
    const row = await cutOffWorkspace();
    changeUserStatus(t.platform, { destroyAllForUser: () => 0 }, creator.id, 'disabled', CLI_OPERATOR);

    expect(await reconcileProvisioning(t.platform, { fix: false })).toEqual([expect.objectContaining({ tenantId: row.id, outcome: 'rolled-back' })]);
    const [repair] = await reconcileProvisioning(t.platform, { fix: true });

    expect(repair).toMatchObject({ tenantId: row.id, outcome: 'rolled-back' });
    expect(repair.detail).toContain("its creator's account is no longer active");
    expect(t.platform.tenants.findById(row.id)?.status).toBe('purged');
    expect(t.platform.memberships.findActive(creator.id, row.id)).toBeUndefined();
    expect(auditOf(t.platform, 'tenant.create')).toEqual([]);
    expect(fs.existsSync(tenantPaths(t.dataDir, row.id).dir)).toBe(false);
    expect(t.platform.tenants.findBySlug('north')).toBeUndefined();
  });

  it('finishes it with its creator as owner while their account is active', async () => {
    const row = await cutOffWorkspace();

    const [repair] = await reconcileProvisioning(t.platform, { fix: true });

    expect(repair).toMatchObject({ tenantId: row.id, outcome: 'finished' });
    expect(t.platform.tenants.findById(row.id)?.status).toBe('active');
    expect(t.platform.memberships.findActive(creator.id, row.id)).toBeDefined();
  });
});
