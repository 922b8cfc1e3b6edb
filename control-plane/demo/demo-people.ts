/** The demo's sample users: one per predefined role, with addresses under the reserved `.test` top-level domain. */
export const DEMO_PEOPLE = [
  { roleKey: 'owner', name: 'Olivia Owner' },
  { roleKey: 'admin', name: 'Adam Admin' },
  { roleKey: 'approver', name: 'April Approver' },
  { roleKey: 'editor', name: 'Eddie Editor' },
  { roleKey: 'viewer', name: 'Vera Viewer' },
] as const;

export const DEFAULT_DEMO_SLUG = 'demo';

export function demoEmail(roleKey: string, slug: string): string {
  return `${roleKey}@${slug}.test`;
}
