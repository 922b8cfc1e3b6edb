import type { DoctorCheck, Finding } from './finding';
import { IN_FLIGHT_MS } from '../events/tenant-events';

/**
 * Member and invitation events the control plane kept (control-plane/events/tenant-events.ts) that
 * a stopped process never queued in the tenant's file: with --fix (start-up, CLI commands), handed
 * to the tenant's webhooks again, which queue each once. Without, those older than a minute are
 * reported (younger ones may be under way in a running server).
 */
export const tenantEventsCheck: DoctorCheck = async ({ platform, fix }) => {
  const left = fix ? platform.tenantEvents.handOnLeft() : platform.tenantEvents.waiting(Date.now() - IN_FLIGHT_MS);
  return left.map((e): Finding => {
    const slug = platform.tenants.findById(e.tenantId)?.slug ?? e.tenantId;
    const finding = { check: 'tenant-events', subject: slug, problem: `its ${e.type} event ${e.id} was never queued for its webhooks`, needsHuman: false };
    return fix ? { ...finding, fix: 'queue it for its webhooks', fixed: true } : { ...finding, fix: 'queue it for its webhooks' };
  });
};
