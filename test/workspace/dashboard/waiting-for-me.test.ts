import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { inTenant, makeItem } from '../../support/content';
import { plansOf } from '../../support/query-plans';
import { waitingForMe } from '../../../workspace/dashboard/waiting-for-me';
import { DEFAULT_WORKFLOW_RULES } from '../../../workspace/workflow/workflow-rules';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe("the dashboard's queues", () => {
  let t: TestPlatform;
  let acme: TenantRecord;

  beforeAll(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    await makeItem(t.platform, acme, { title: 'To review', status: 'in_review', createdBy: 'u-writer' });
    await makeItem(t.platform, acme, { title: 'To rework', status: 'changes_requested', createdBy: 'u-me' });
    await makeItem(t.platform, acme, { title: 'Not mine', status: 'changes_requested', createdBy: 'u-writer' });
  });
  afterAll(() => t.cleanup());

  it('reads the review queue and my items to rework oldest change first from their indexes, sorting nothing', async () => {
    let queues: string[][] = [];
    const plans = await inTenant(t.platform, acme, (db) =>
      plansOf(db, () => {
        const waiting = waitingForMe(db, 'u-me', DEFAULT_WORKFLOW_RULES, { approve: true, edit: true });
        queues = [waiting.toReview.map((i) => i.title), waiting.toRework.map((i) => i.title)];
      }),
    );
    expect(queues).toEqual([['To review'], ['To rework']]);
    expect(plans.map((p) => p.plan)).toEqual([
      expect.stringMatching(/USING INDEX items_status_updated_at_index \(status=\?\)/),
      expect.stringMatching(/USING INDEX items_status_created_by_updated_at_index \(status=\? AND created_by=\?\)/),
    ]);
    for (const { plan } of plans) expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});
