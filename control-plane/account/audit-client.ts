/** Where an account action came from, for its audit entry. */
export interface AuditClient {
  ip: string | null;
  userAgent: string | null;
}
