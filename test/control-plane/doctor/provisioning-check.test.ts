import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { operationsCheck } from '../../../control-plane/doctor/provisioning-check';

describe("the doctor's check of file operations cut off", () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await createTestPlatform();
  });
  afterEach(() => t.cleanup());

  it('names each operation left unfinished in a sentence that reads, without changing anything', async () => {
    const acme = await makeTenant(t.platform, 'acme');
    const globex = await makeTenant(t.platform, 'globex');
    t.platform.db.run("update tenants set pending_operation = 'archive' where id = ?", [acme.id]);
    t.platform.db.run("update tenants set pending_operation = 'restore' where id = ?", [globex.id]);

    const findings = await operationsCheck({ platform: t.platform, fix: false, deep: false });

    expect(findings.map((f) => `${f.subject}: ${f.problem}`).sort()).toEqual([
      'acme: its archive was started and not finished (or is running now)',
      'globex: its restore was started and not finished (or is running now)',
    ]);
    expect(t.platform.tenants.findById(acme.id)?.pending_operation).toBe('archive');
  });
});
