/**
 * The workspace's own display name, kept in its file (workspace/settings): read, and replaced
 * when it has one, with the control plane's copy forgotten before the file's commit and kept
 * after it (settings-copies.ts). Wired in app/; null: the workspace has none of its own.
 */
export interface WorkspaceOwnName {
  read(tenantId: string): Promise<string | null>;
  replace(tenantId: string, name: string): Promise<void>;
}
