/**
 * What share of its limit a use is, in whole percent rounded down (100 or more once reached);
 * null when unlimited. A limit of 0 is full at once. One rule for the workspace's checks and
 * pages and for the control plane's roll-up and alerts.
 */
export function percentOf(used: number, limit: number | null): number | null {
  if (limit === null) return null;
  if (limit <= 0) return used > 0 ? 100 : 0;
  return Math.floor((used * 100) / limit);
}
