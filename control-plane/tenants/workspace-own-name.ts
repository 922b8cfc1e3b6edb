/**
 * The workspace's own display name, kept in its file (workspace/settings): read, and replaced
 * when it has one, with the control plane's copy forgotten before the file's commit and kept
 * after it (settings-copies.ts). Wired in app/; null: the workspace has none of its own.
 */
export interface WorkspaceOwnName {
  read(tenantId: string): Promise<string | null>;
  /** Replaced only while the file still holds `from` (a name its admins set since stays theirs). */
  replace(tenantId: string, name: string, from: string): Promise<void>;
}
