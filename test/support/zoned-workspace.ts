import { createApp } from '../../app/create-app';
import { makeTenant, makeUser } from './factories';
import { postForm, signIn } from './http-agent';
import { setRole } from './team';
import type { TestPlatform } from './test-platform';

/** 05:00 UTC on 1 January 2031: 19:00 on 31 December 2030 in Honolulu (UTC-10), another day there. */
export const HONOLULU_EVE = Date.UTC(2031, 0, 1, 5, 0);

/**
 * A workspace set to Pacific/Honolulu through its settings page, with its owner Olive signed in:
 * for pages that show times in the workspace's zone.
 */
export async function honoluluWorkspace(t: TestPlatform) {
  const { app } = createApp(t.platform);
  const tenant = await makeTenant(t.platform, 'honolulu');
  const owner = await makeUser(t.platform, { email: 'olive@example.com', name: 'Olive' });
  await setRole(t.platform, owner, tenant, 'owner');
  const agent = await signIn(app, owner.email);
  const saved = await postForm(
    agent,
    '/t/honolulu/settings',
    { display_name: 'Honolulu', accent_color: '#2f5bd3', time_zone: 'Pacific/Honolulu', language: 'en' },
    '/t/honolulu/settings',
  );
  if (saved.status !== 303) throw new Error(`the workspace's settings were refused (${saved.status})`);
  return { app, tenant, owner, agent };
}
