/** Control-plane facts a tenant's webhooks may announce. */
export type TenantEventType = 'member.joined' | 'member.removed' | 'invitation.accepted';

export interface TenantEvent {
  type: TenantEventType;
  data: Record<string, unknown>;
}

export type TenantEventListener = (tenantId: string, event: TenantEvent) => void;

/**
 * The narrow way out of the control plane for tenant events: commands emit after their
 * transaction commits, and app/ subscribes the workspace's webhook outbox. The control plane
 * never learns what listens. A listener that throws does not undo or stop the command.
 */
export class TenantEvents {
  private readonly listeners: TenantEventListener[] = [];

  constructor(private readonly onError: (err: unknown, event: TenantEvent) => void = () => {}) {}

  subscribe(listener: TenantEventListener): void {
    this.listeners.push(listener);
  }

  emit(tenantId: string, event: TenantEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(tenantId, event);
      } catch (err) {
        this.onError(err, event);
      }
    }
  }
}
