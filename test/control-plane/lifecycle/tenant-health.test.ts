import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { DAMAGE_LOG_WINDOW_MS, TenantHealth } from '../../../control-plane/lifecycle/tenant-health';
import type { Logger } from '../../../core/logging/logger';

describe("a damaged tenant's log lines", () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it('are written once per window, and again at once when the clock was set back since the last one', async () => {
    const acme = await makeTenant(t.platform, 'acme');
    const warn = jest.fn();
    const logger = { warn, debug: jest.fn(), info: jest.fn(), error: jest.fn() } as unknown as Logger;
    let now = 10_000_000;
    const health = new TenantHealth({ db: t.platform.db, tenants: t.platform.tenants, audit: t.platform.audit, logger }, () => now);
    health.noteRequested(acme);
    now += DAMAGE_LOG_WINDOW_MS - 1;
    health.noteRequested(acme);
    expect(warn).toHaveBeenCalledTimes(1);
    now -= 3600_000;
    health.noteRequested(acme);
    expect(warn).toHaveBeenCalledTimes(2);
  });
});
