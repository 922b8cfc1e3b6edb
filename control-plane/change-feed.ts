/**
 * What changed in the control plane, told by the repositories that changed it (and by the
 * access cache when another process did), so caches are invalidated in one place instead of by
 * every command that writes.
 */
export class ChangeFeed {
  private readonly tenantListeners: Array<(slug?: string) => void> = [];
  private readonly membershipListeners: Array<() => void> = [];
  private readonly planListeners: Array<(tenantId?: string) => void> = [];

  /** A tenant's name, slug or status changed (undefined: any or many tenants). */
  tenantChanged(slug?: string): void {
    for (const listener of this.tenantListeners) listener(slug);
  }

  /** A membership or a role changed: permissions may be different now. */
  membershipsChanged(): void {
    for (const listener of this.membershipListeners) listener();
  }

  /** A plan, or a tenant's plan or overrides, changed (undefined: any or many tenants). */
  plansChanged(tenantId?: string): void {
    for (const listener of this.planListeners) listener(tenantId);
  }

  onTenantChange(listener: (slug?: string) => void): void {
    this.tenantListeners.push(listener);
  }

  onMembershipChange(listener: () => void): void {
    this.membershipListeners.push(listener);
  }

  onPlansChange(listener: (tenantId?: string) => void): void {
    this.planListeners.push(listener);
  }
}
