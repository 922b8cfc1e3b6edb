import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { DAY, itemSnapshot, makeItem } from '../../support/content';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { PREDEFINED_ROLE_PERMISSIONS } from '../../../control-plane/roles/predefined-roles';
import { TRANSITIONS, type Transition } from '../../../workspace/workflow/transition-table';
import { zonedClock } from '../../../core/time/zoned-clock';
import { mainOf } from '../../support/page-main';

/** Form values as a browser in a UTC workspace sends them. */
const toDateTimeLocal = zonedClock('UTC').input;

const ROLES = ['owner', 'admin', 'approver', 'editor', 'viewer'] as const;

/** The form a person would send for each action. */
function formFor(t: Transition): Record<string, string> {
  if (t.action === 'schedule') return { publish_at: toDateTimeLocal(Date.now() + 3 * DAY) };
  if (t.action === 'request-changes') return { note: 'Shorter, please.' };
  return {};
}

const cases = ROLES.flatMap((role) =>
  TRANSITIONS.map((t) => ({ role, t, allowed: PREDEFINED_ROLE_PERMISSIONS[role].includes(t.permission), label: `${t.action} ${t.from} -> ${t.to}` })),
);

describe('workflow transitions by role', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  const agents = new Map<string, Agent>();
  const users = new Map<string, UserRecord>();

  beforeAll(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    tenant = await makeTenant(t.platform, 'studio');
    for (const role of ROLES) {
      const user = await makeUser(t.platform, { name: `The ${role}` });
      await addMember(t.platform, user, tenant, role);
      users.set(role, user);
      agents.set(role, await signIn(app, user.email));
    }
  });
  afterAll(() => t.cleanup());

  it.each(cases.filter((c) => c.allowed).map((c) => [c.role, c.label, c] as const))('lets the %s %s, recording who did it', async (role, _label, c) => {
    const item = await makeItem(t.platform, tenant, { status: c.t.from });
    const res = await postForm(agents.get(role)!, `/t/studio/items/${item.id}/${c.t.action}`, formFor(c.t));
    expect(res.status).toBe(303);
    const after = await itemSnapshot(t.platform, tenant, item.id);
    expect(after.item?.status).toBe(c.t.to);
    const last = after.history[after.history.length - 1] as { action: string; from_status: string; to_status: string; actor_id: string; actor_name: string };
    expect(last).toMatchObject({ action: c.t.action, from_status: c.t.from, to_status: c.t.to, actor_id: users.get(role)!.id, actor_name: `The ${role}` });
  });

  it.each(cases.filter((c) => !c.allowed).map((c) => [c.role, c.label, c] as const))(
    'refuses the %s to %s with 403 and changes nothing',
    async (role, _label, c) => {
      const item = await makeItem(t.platform, tenant, { status: c.t.from });
      const before = await itemSnapshot(t.platform, tenant, item.id);
      const res = await postForm(agents.get(role)!, `/t/studio/items/${item.id}/${c.t.action}`, formFor(c.t));
      expect(res.status).toBe(403);
      expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
    },
  );

  it('answers 409 and changes nothing for an action that does not apply to the current state', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'draft' });
    const before = await itemSnapshot(t.platform, tenant, item.id);
    for (const action of ['approve', 'schedule', 'publish', 'unschedule', 'restore', 'resubmit']) {
      const res = await postForm(agents.get('owner')!, `/t/studio/items/${item.id}/${action}`, { note: 'x', publish_at: toDateTimeLocal(Date.now() + DAY) });
      expect(res.status).toBe(409);
    }
    expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
  });

  it.each(ROLES)('shows the %s only the buttons the transition table allows', async (role) => {
    const perms = PREDEFINED_ROLE_PERMISSIONS[role];
    for (const status of ['draft', 'in_review', 'approved', 'scheduled', 'archived'] as const) {
      const item = await makeItem(t.platform, tenant, { status });
      const page = await agents.get(role)!.get(`/t/studio/items/${item.id}`);
      expect(page.status).toBe(200);
      for (const tr of TRANSITIONS.filter((x) => x.from === status)) {
        const shown = page.text.includes(`action="/t/studio/items/${item.id}/${tr.action}"`);
        expect([status, tr.action, shown]).toEqual([status, tr.action, perms.includes(tr.permission)]);
      }
    }
  });

  it('shows a viewer no action buttons at all: no transitions, no edit, no delete, no comment form', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'draft' });
    const page = await agents.get('viewer')!.get(`/t/studio/items/${item.id}`);
    expect(page.status).toBe(200);
    const main = mainOf(page.text);
    expect(main).not.toContain('<form method="post"');
    expect(main).not.toContain('<button');
    const list = await agents.get('viewer')!.get('/t/studio/items');
    expect(list.text).not.toContain('New item');
    expect(list.text).not.toContain('Import CSV');
  });
});
