import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { DAY, tenantContent } from '../../support/content';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { PublishScheduler } from '../../../workspace/scheduler/publish-scheduler';
import { zonedClock } from '../../../core/time/zoned-clock';

/** Form values as a browser in a UTC workspace sends them. */
const toDateTimeLocal = zonedClock('UTC').input;

/** The "done when": an agency user runs the whole flow in two client workspaces. */
describe('the whole content flow, in two workspaces', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let globex: TenantRecord;
  let agency: Agent;
  let approverOf: Map<string, Agent>;

  beforeAll(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme');
    globex = await makeTenant(t.platform, 'globex');
    const agencyUser = await makeUser(t.platform, { name: 'Avery Agency' });
    await addMember(t.platform, agencyUser, acme, 'admin');
    await addMember(t.platform, agencyUser, globex, 'admin');
    agency = await signIn(app, agencyUser.email);
    approverOf = new Map();
    for (const tenant of [acme, globex]) {
      const client = await makeUser(t.platform, { name: `${tenant.slug} approver` });
      await addMember(t.platform, client, tenant, 'approver');
      approverOf.set(tenant.slug, await signIn(app, client.email));
    }
  });
  afterAll(() => t.cleanup());

  it.each(['acme', 'globex'])('runs create -> submit -> approve (by the client) -> schedule -> published in %s, touching only that workspace', async (slug) => {
    const tenant = slug === 'acme' ? acme : globex;
    const other = slug === 'acme' ? globex : acme;
    const otherBefore = await tenantContent(t.platform, other);

    const created = await postForm(agency, `/t/${slug}/items`, { title: `${slug} launch`, body: 'Copy', channel: 'blog', tags: 'launch' });
    expect(created.status).toBe(303);
    const base = created.headers.location as string;
    expect((await postForm(agency, `${base}/submit`, {})).status).toBe(303);
    // The author may not approve their own item (default rules); the client's approver does.
    expect((await postForm(agency, `${base}/approve`, {})).status).toBe(403);
    expect((await postForm(approverOf.get(slug)!, `${base}/approve`, {})).status).toBe(303);
    const at = Date.parse(`${toDateTimeLocal(Date.now() + DAY)}:00Z`);
    expect((await postForm(agency, `${base}/schedule`, { publish_at: toDateTimeLocal(at) })).status).toBe(303);

    await new PublishScheduler(t.platform, { now: () => at + 1 }).tick();

    const content = await tenantContent(t.platform, tenant);
    const item = (content.items as Array<{ title: string; status: string }>).find((i) => i.title === `${slug} launch`);
    expect(item?.status).toBe('published');
    const steps = (content.history as Array<{ action: string; actor_name: string }>).map((h) => `${h.action} by ${h.actor_name}`);
    expect(steps).toEqual([
      'create by Avery Agency',
      'submit by Avery Agency',
      `approve by ${slug} approver`,
      'schedule by Avery Agency',
      'publish by scheduler',
    ]);
    expect(await tenantContent(t.platform, other)).toEqual(otherBefore);
    expect((await agency.get(`/t/${other.slug}/items`)).text).not.toContain(`${slug} launch`);
  });
});
