import type { Response } from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { csrfFrom, signIn, type Agent } from '../support/http-agent';
import { DAY, inTenant, itemSnapshot, makeItem, setRules } from '../support/content';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { ItemRow } from '../../workspace/items/item-repository';
import { ItemHistory } from '../../workspace/items/item-history';
import { ItemComments } from '../../workspace/items/item-comments';
import { ItemApprovals } from '../../workspace/items/item-approvals';
import type { BackgroundTasks } from '../../core/jobs/background-tasks';
import { AttachmentRepository, newAttachmentId } from '../../workspace/files/attachment-repository';

/** What one request ran on the tenant's file and on the control plane (the session store's statements apart). */
interface Cost {
  tenant: number;
  session: number;
  /** Control-plane statements other than the session store's. */
  platform: number;
  tenantSql: string[];
  platformSql: string[];
}

/** The session store's statements are the ones on the control plane's `sessions` table. */
const SESSION_SQL = /\b(from|into|update)\s+sessions\b/i;
/** The session layer's one read: the session row joined with its user. */
const SESSION_WITH_USER = /^select .* from sessions s left join users u on u\.id = s\.user_id where s\.sid = \?$/s;
const ITEM_ROW_READ = /^select \* from items where id = \?$/;

/** How often the item row was read by the request. */
function itemReads(cost: Cost): number {
  return cost.tenantSql.filter((sql) => ITEM_ROW_READ.test(sql)).length;
}

/**
 * Statement budgets of the pages members use all day, counted on warm handles. A loader that
 * reads something twice, or builds what its view does not show, breaks one of these numbers.
 */
describe('statement budgets of the hot tenant pages', () => {
  let t: TestPlatform;
  let owner: Agent;
  let tenant: TenantRecord;
  let ownerId: string;
  let item: ItemRow;
  let db: TenantDatabase;
  let background: BackgroundTasks;

  /**
   * Runs one request and counts the statements it ran on both databases. What it leaves for after
   * its answer (a workflow mail's first send) is held until it is counted, then run: not the request's.
   */
  async function measure(send: () => Promise<Response>): Promise<{ res: Response; cost: Cost }> {
    const held: Array<Parameters<BackgroundTasks['run']>> = [];
    const run = jest.spyOn(background, 'run').mockImplementation((...task) => void held.push(task));
    // Every counted statement goes through prepare (cached), so the spies only note the SQL.
    const tenantPrepare = jest.spyOn(db, 'prepare');
    const platformPrepare = jest.spyOn(t.platform.db, 'prepare');
    const before = { tenant: db.statementCount, platform: t.platform.db.statementCount };
    try {
      const res = await send();
      const platformSql = platformPrepare.mock.calls.map(([sql]) => sql);
      const session = platformSql.filter((sql) => SESSION_SQL.test(sql)).length;
      const cost: Cost = {
        tenant: db.statementCount - before.tenant,
        session,
        platform: t.platform.db.statementCount - before.platform - session,
        tenantSql: tenantPrepare.mock.calls.map(([sql]) => sql),
        platformSql,
      };
      return { res, cost };
    } finally {
      tenantPrepare.mockRestore();
      platformPrepare.mockRestore();
      run.mockRestore();
      for (const task of held) background.run(...task);
      await background.idle();
    }
  }

  /** A GET of a warm page: the same page is requested once before the one counted. */
  async function measureGet(path: string) {
    expect((await owner.get(path)).status).toBe(200);
    return measure(() => owner.get(path));
  }

  /** A form POST, counted without the page its CSRF token is read from. */
  async function measurePost(path: string, body: Record<string, string>) {
    const _csrf = await csrfFrom(owner, '/tenants');
    return measure(() =>
      owner
        .post(path)
        .type('form')
        .send({ ...body, _csrf }),
    );
  }

  /**
   * A request whose session row was read by the request before, with nothing changed since, runs
   * no statement on the control plane (its one check is SQLite's data_version, not a query).
   */
  function expectControlPlaneReads(cost: Cost): void {
    expect(cost).toMatchObject({ session: 0, platform: 0 });
    expect(cost.platformSql).toEqual([]);
  }

  beforeAll(async () => {
    t = await createTestPlatform();
    const { app, background: tasks } = createApp(t.platform);
    background = tasks;
    tenant = await makeTenant(t.platform, 'studio');
    const ownerUser = await makeUser(t.platform, { name: 'Olive Owner' });
    ownerId = ownerUser.id;
    await addMember(t.platform, ownerUser, tenant, 'owner');
    const author = await makeUser(t.platform, { name: 'Ed Editor' });
    await addMember(t.platform, author, tenant, 'editor');
    const reviewer = await makeUser(t.platform, { name: 'Abe Approver' });
    await addMember(t.platform, reviewer, tenant, 'approver');
    await setRules(t.platform, tenant, { approvalsRequired: 2, channels: ['blog', 'newsletter'] });

    // An item half-way through review: tags, history, comments, one approval of two, an attachment.
    const now = Date.now();
    item = await makeItem(t.platform, tenant, {
      title: 'Spring launch',
      channel: 'blog',
      tags: ['launch', 'news', 'spring'],
      status: 'in_review',
      scheduledAt: now + 3 * DAY,
      createdBy: author.id,
    });
    for (let i = 0; i < 5; i++) {
      await makeItem(t.platform, tenant, { title: `Weekly note ${i}`, channel: 'newsletter', tags: ['news'], scheduledAt: now + (i + 1) * DAY });
    }
    await inTenant(t.platform, tenant, (tenantDb) =>
      tenantDb.write(() => {
        const editor = { id: author.id, name: author.name };
        const approver = { id: reviewer.id, name: reviewer.name };
        const history = new ItemHistory(tenantDb);
        history.record({ itemId: item.id, action: 'create', from: null, to: 'draft', actor: editor });
        history.record({ itemId: item.id, action: 'submit', from: 'draft', to: 'in_review', actor: editor });
        new ItemComments(tenantDb).add(item.id, editor, 'Ready for a look.');
        new ItemComments(tenantDb).add(item.id, approver, 'Looks good to me.');
        new ItemApprovals(tenantDb).add(item.id, item.revision, reviewer.id);
        history.record({ itemId: item.id, action: 'approve', from: 'in_review', to: 'in_review', actor: approver, note: 'Approval 1 of 2' });
        new AttachmentRepository(tenantDb).insert({
          id: newAttachmentId(),
          item_id: item.id,
          stored_name: 'brief-stored.pdf',
          original_name: 'brief.pdf',
          content_type: 'application/pdf',
          size_bytes: 2048,
          sha256: 'a'.repeat(64),
          uploaded_by: author.id,
          uploaded_by_name: author.name,
          created_at: now,
        });
      }),
    );

    owner = await signIn(app, ownerUser.email);
    // The router keeps this handle open between requests, so its counter sees every request's statements.
    const lease = await t.platform.router.acquire(tenant.id);
    db = lease.db;
    lease.release();
    // The first visit fills the branding cache and remembers the workspace as the user's last one.
    expect((await owner.get('/t/studio')).status).toBe(200);
  });
  afterAll(() => t.cleanup());

  it('shows the item page with 7 tenant statements, one per thing it shows, reading the item once', async () => {
    const { res, cost } = await measureGet(`/t/studio/items/${item.id}`);
    expect(res.text).toContain('brief.pdf');
    expect(res.text).toContain('Looks good to me.');
    expect(cost.tenant).toBe(7);
    expect(itemReads(cost)).toBe(1);
    expectControlPlaneReads(cost);
  });

  it('shows the item page with statements that keep their compiled plan: none binds its LIMIT, which SQLite plans with and so compiles again at every run', async () => {
    const { cost } = await measureGet(`/t/studio/items/${item.id}`);
    expect(cost.tenantSql.filter((sql) => /\blimit\s+\?/i.test(sql))).toEqual([]);
  });

  it('reads the session row with its user again, in one statement, once its user changed', async () => {
    expect((await owner.get('/t/studio/items')).status).toBe(200);
    t.platform.db.run('update users set name = name where id = ?', [ownerId]);
    const { res, cost } = await measure(() => owner.get('/t/studio/items'));
    expect(res.status).toBe(200);
    expect(cost).toMatchObject({ session: 1, platform: 0 });
    expect(cost.platformSql).toEqual([expect.stringMatching(SESSION_WITH_USER)]);
  });

  it('keeps the session row when the control plane changes elsewhere (another table, by this process)', async () => {
    expect((await owner.get('/t/studio/items')).status).toBe(200);
    t.platform.db.run('update tenants set name = name where id = ?', [tenant.id]);
    const { cost } = await measure(() => owner.get('/t/studio/items'));
    expectControlPlaneReads(cost);
  });

  it('lists items that fit on one page with 3 tenant statements: the page (which is their count), its tags in one query, the rules', async () => {
    const { res, cost } = await measureGet('/t/studio/items');
    expect(res.text).toContain('6 items');
    expect(cost.tenant).toBe(3);
    expectControlPlaneReads(cost);
  });

  it('reads neither a page of items nor their tags when nothing matches the filters', async () => {
    const { res, cost } = await measureGet('/t/studio/items?tag=nowhere');
    expect(res.text).toContain('No items match these filters.');
    expect(cost.tenant).toBe(2);
    expectControlPlaneReads(cost);
  });

  it('shows the dashboard with 6 tenant statements: what waits for the member (rules, to review, to rework), counts by status, the agenda, the latest activity', async () => {
    const { res, cost } = await measureGet('/t/studio');
    expect(res.text).toContain('Weekly note 0');
    expect(cost.tenantSql).toEqual([
      expect.stringMatching(/^select value from settings where key = \?/),
      expect.stringMatching(/^select i\.\* from items i\s+where i\.status = 'in_review'/),
      expect.stringMatching(/^select \* from items where status = 'changes_requested' and created_by = \?/),
      expect.stringMatching(/^select status, items as n from item_status_counts/),
      expect.stringMatching(/^select \* from items where scheduled_at >= \?/),
      expect.stringMatching(/^select h\./),
    ]);
    expectControlPlaneReads(cost);
  });

  it('takes a comment with 4 tenant statements (read the item, its newest comment to tell a double click, insert the comment, note it in the history) and builds no page', async () => {
    const { res, cost } = await measurePost(`/t/studio/items/${item.id}/comments`, { comment: 'Shipping Monday.' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/t/studio/items/${item.id}#comments`);
    expect(cost.tenantSql).toEqual([
      expect.stringMatching(ITEM_ROW_READ),
      expect.stringMatching(/^select \* from item_comments where item_id = \? order by created_at desc, id desc limit 1$/),
      expect.stringMatching(/^insert into item_comments /),
      expect.stringMatching(/^insert into item_history /),
    ]);
    expect(cost.tenant).toBe(4);
    expectControlPlaneReads(cost);
    expect((await itemSnapshot(t.platform, tenant, item.id)).comments).toContainEqual(expect.objectContaining({ body: 'Shipping Monday.' }));
  });

  it('builds the item page only when a comment is refused, and writes nothing then', async () => {
    const { res, cost } = await measurePost(`/t/studio/items/${item.id}/comments`, { comment: '   ' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="comment-error"');
    expect(res.text).toContain('brief.pdf');
    // Exactly the item page's reads: the loader ran once, and nothing was written.
    expect(cost.tenant).toBe(7);
    expect(itemReads(cost)).toBe(1);
    expect(cost.tenantSql.filter((sql) => /^(insert|update|delete)\b/.test(sql))).toEqual([]);
    expectControlPlaneReads(cost);
  });

  it("moves an item along the workflow with 3 tenant statements (and a read of the approvers' mail choices and the mail queued), reading the item once", async () => {
    const draft = await makeItem(t.platform, tenant, { title: 'Autumn teaser', channel: 'blog' });
    // The tenant's webhook endpoints are read once per open handle (none here), by the first move.
    const first = await makeItem(t.platform, tenant, { title: 'Summer teaser', channel: 'blog' });
    await measurePost(`/t/studio/items/${first.id}/submit`, {});
    const { res, cost } = await measurePost(`/t/studio/items/${draft.id}/submit`, {});
    expect(res.status).toBe(303);
    expect((await itemSnapshot(t.platform, tenant, draft.id)).item?.status).toBe('in_review');
    expect(cost.tenantSql).toEqual([
      expect.stringMatching(ITEM_ROW_READ),
      expect.stringMatching(/^update items set status = \?/),
      expect.stringMatching(/^insert into item_history /),
      // The approvers' mail choices, and the mail queued for the one to tell, in the step's transaction (it goes out after the answer).
      expect.stringMatching(/^select user_id from notification_preferences/),
      expect.stringMatching(/^insert into workflow_mails /),
    ]);
    // The session row kept from the request before, then the approvers to tell and the mail
    // dispatcher's hint (in the step's transaction), then the step's audit record.
    expect(cost).toMatchObject({ session: 0 });
    const platformSql = cost.platformSql.filter((sql) => sql !== 'select * from roles where id = ?');
    expect(platformSql).toEqual([
      expect.stringMatching(/^select m\.id as membership_id/),
      expect.stringMatching(/^insert into mail_schedule /),
      expect.stringMatching(/^insert into audit_events /),
    ]);
  });

  it('saves an edit with 8 tenant statements, reading the item once', async () => {
    const draft = await makeItem(t.platform, tenant, { title: 'Winter sale', channel: 'blog', tags: ['sale'] });
    const edit = { title: 'Winter sale, extended', body: 'Two more weeks.', channel: 'newsletter', tags: 'sale, winter' };
    const { res, cost } = await measurePost(`/t/studio/items/${draft.id}`, edit);
    expect(res.status).toBe(303);
    const saved = await itemSnapshot(t.platform, tenant, draft.id);
    expect(saved.item).toMatchObject({ title: 'Winter sale, extended', channel: 'newsletter', revision: draft.revision + 1 });
    expect(saved.tags).toEqual([{ tag: 'sale' }, { tag: 'winter' }]);
    // The rules, the item, its approvals (a new title needs no tag comparison); the update, the tags cleared and its two written, the history entry.
    expect(cost.tenant).toBe(8);
    expect(itemReads(cost)).toBe(1);
    expectControlPlaneReads(cost);
  });
});
