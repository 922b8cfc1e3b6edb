import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { itemSnapshot, makeItem, tenantContent } from '../../support/content';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** The hidden revision of the form posting to `action` on an item page (undefined: the form sends none). */
function revisionOf(html: string, action: string): string | undefined {
  const form = new RegExp(`<form method="post" action="${action.replace(/[/.]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  if (!form) throw new Error(`no form posting to ${action}`);
  return /name="revision" value="([^"]*)"/.exec(form[1])?.[1];
}

describe('item pages and the revision they showed', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  let owner: Agent;
  let editor: Agent;
  let editorUser: UserRecord;
  let approver: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    tenant = await makeTenant(t.platform, 'studio');
    const agents: Agent[] = [];
    for (const role of ['owner', 'editor', 'approver']) {
      const user = await makeUser(t.platform, { name: `The ${role}` });
      await addMember(t.platform, user, tenant, role);
      if (role === 'editor') editorUser = user;
      agents.push(await signIn(app, user.email));
    }
    [owner, editor, approver] = agents;
  });
  afterEach(() => t.cleanup());

  /** Opens the item page and reads the revision its form posting to `action` (the edit form by default) will send. */
  async function openedRevision(agent: Agent, id: number, action = ''): Promise<string> {
    const page = await agent.get(`/t/studio/items/${id}`);
    expect(page.status).toBe(200);
    const revision = revisionOf(page.text, `/t/studio/items/${id}${action}`);
    if (revision === undefined) throw new Error(`the form posting to ${action || 'the edit'} sends no revision`);
    return revision;
  }

  it('keeps the first of two people saving the same revision at once, and refuses the other with 409', async () => {
    const item = await makeItem(t.platform, tenant, { title: 'Spring launch', body: 'Draft copy' });
    const [ownerSaw, editorSaw] = await Promise.all([openedRevision(owner, item.id), openedRevision(editor, item.id)]);
    expect([ownerSaw, editorSaw]).toEqual(['1', '1']);

    const [byOwner, byEditor] = await Promise.all([
      postForm(owner, `/t/studio/items/${item.id}`, { title: 'Owner title', body: 'Owner copy', revision: ownerSaw }),
      postForm(editor, `/t/studio/items/${item.id}`, { title: 'Editor title', body: 'Editor copy', revision: editorSaw }),
    ]);

    expect([byOwner.status, byEditor.status].sort()).toEqual([303, 409]);
    const kept = byOwner.status === 303 ? { title: 'Owner title', body: 'Owner copy' } : { title: 'Editor title', body: 'Editor copy' };
    const after = await itemSnapshot(t.platform, tenant, item.id);
    expect(after.item).toMatchObject({ ...kept, revision: 2 });
    expect(after.history.filter((h) => (h as { action: string }).action === 'edit')).toHaveLength(1);
  });

  it('refuses an edit made on a revision that is no longer current (409), writes nothing, and shows the page again with what was typed', async () => {
    const item = await makeItem(t.platform, tenant, { title: 'Spring launch', body: 'Draft copy' });
    const editorSaw = await openedRevision(editor, item.id);
    expect((await postForm(owner, `/t/studio/items/${item.id}`, { title: 'Spring launch 2031', body: 'Draft copy', revision: '1' })).status).toBe(303);
    const before = await itemSnapshot(t.platform, tenant, item.id);

    const res = await postForm(editor, `/t/studio/items/${item.id}`, { title: 'My typed title', body: 'My typed body', tags: 'mine', revision: editorSaw });

    expect(res.status).toBe(409);
    expect(res.text).toContain('This item changed since you opened it (now revision 2): check the changes and try again.');
    expect(res.text).toContain('value="My typed title"');
    expect(res.text).toContain('>My typed body</textarea>');
    expect(res.text).toContain('value="mine"');
    expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
    // The page shown again carries the current revision: sending it again is a choice made with the changes in view.
    expect(revisionOf(res.text, `/t/studio/items/${item.id}`)).toBe('2');
    const again = await postForm(editor, `/t/studio/items/${item.id}`, { title: 'My typed title', body: 'My typed body', revision: '2' });
    expect(again.status).toBe(303);
    expect((await itemSnapshot(t.platform, tenant, item.id)).item).toMatchObject({ title: 'My typed title', revision: 3 });
  });

  it('refuses an approval given on a revision that changed since the page was opened (409): no approval, the status unchanged', async () => {
    const item = await makeItem(t.platform, tenant, { title: 'For review', status: 'in_review', createdBy: editorUser.id });
    const approverSaw = await openedRevision(approver, item.id, '/approve');
    expect(approverSaw).toBe('1');
    expect((await postForm(editor, `/t/studio/items/${item.id}`, { title: 'For review, rewritten', body: 'New copy', revision: '1' })).status).toBe(303);
    const before = await itemSnapshot(t.platform, tenant, item.id);

    const res = await postForm(approver, `/t/studio/items/${item.id}/approve`, { revision: approverSaw });

    expect(res.status).toBe(409);
    expect(res.text).toContain('This item changed since you opened it (now revision 2)');
    const after = await itemSnapshot(t.platform, tenant, item.id);
    expect(after).toEqual(before);
    expect(after.item?.status).toBe('in_review');
    expect(after.approvals).toEqual([]);
    // The page shown again offers the approval of what it now shows.
    expect(revisionOf(res.text, `/t/studio/items/${item.id}/approve`)).toBe('2');
  });

  it('refuses to ask for changes on a revision that changed since (409), keeping the note typed', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'in_review', createdBy: editorUser.id });
    const approverSaw = await openedRevision(approver, item.id, '/request-changes');
    expect((await postForm(editor, `/t/studio/items/${item.id}`, { title: 'Fixed already', body: 'New copy', revision: '1' })).status).toBe(303);
    const before = await itemSnapshot(t.platform, tenant, item.id);

    const res = await postForm(approver, `/t/studio/items/${item.id}/request-changes`, { note: 'Shorter title, please.', revision: approverSaw });

    expect(res.status).toBe(409);
    expect(res.text).toContain('>Shorter title, please.</textarea>');
    expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
  });

  it('keeps the revision when the form is saved unchanged, its body sent back with the CRLF line ends a browser sends', async () => {
    const item = await makeItem(t.platform, tenant, { title: 'Two lines', body: 'First line\nSecond line' });
    const before = await itemSnapshot(t.platform, tenant, item.id);
    const res = await postForm(editor, `/t/studio/items/${item.id}`, {
      title: 'Two lines',
      body: 'First line\r\nSecond line',
      channel: '',
      tags: '',
      revision: '1',
    });
    expect(res.status).toBe(303);
    expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
  });

  it('takes a body at its limit with its line ends sent as CRLF, and stores them as LF', async () => {
    const item = await makeItem(t.platform, tenant);
    const lines = Array.from({ length: 1000 }, () => 'x'.repeat(19)).join('\r\n');
    const res = await postForm(editor, `/t/studio/items/${item.id}`, { title: 'Long', body: `${lines}x`, revision: '1' });
    expect(res.status).toBe(303);
    const body = (await itemSnapshot(t.platform, tenant, item.id)).item?.body as string;
    expect(body).toHaveLength(20000);
    expect(body).not.toContain('\r');
  });

  it('stores a comment and a note asking for changes with LF line ends', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'in_review' });
    expect((await postForm(owner, `/t/studio/items/${item.id}/comments`, { comment: 'One\r\ntwo' })).status).toBe(303);
    expect((await postForm(approver, `/t/studio/items/${item.id}/request-changes`, { note: 'Shorter\r\ntitle', revision: '1' })).status).toBe(303);
    const after = await itemSnapshot(t.platform, tenant, item.id);
    expect(after.comments.map((c) => (c as { body: string }).body)).toEqual(['One\ntwo']);
    expect(after.history.map((h) => (h as { note: string | null }).note)).toContain('Shorter\ntitle');
  });

  it('sends the revision with the edit form and the steps that judge the content, not with archiving', async () => {
    const review = await makeItem(t.platform, tenant, { status: 'in_review' });
    const reviewPage = (await owner.get(`/t/studio/items/${review.id}`)).text;
    for (const action of ['', '/approve', '/request-changes']) expect(revisionOf(reviewPage, `/t/studio/items/${review.id}${action}`)).toBe('1');
    expect(revisionOf(reviewPage, `/t/studio/items/${review.id}/archive`)).toBeUndefined();
    const approved = await makeItem(t.platform, tenant, { status: 'approved' });
    const approvedPage = (await owner.get(`/t/studio/items/${approved.id}`)).text;
    for (const action of ['/schedule', '/publish']) expect(revisionOf(approvedPage, `/t/studio/items/${approved.id}${action}`)).toBe('1');
  });

  it('answers 400 naming the field for a revision that is not a number, and writes nothing', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'in_review' });
    const before = await itemSnapshot(t.platform, tenant, item.id);
    const edit = await postForm(owner, `/t/studio/items/${item.id}`, { title: 'Changed', body: '', revision: 'latest' });
    expect(edit.status).toBe(400);
    expect(edit.text).toContain('<strong>Revision</strong>');
    expect((await postForm(approver, `/t/studio/items/${item.id}/approve`, { revision: '0' })).status).toBe(400);
    expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
  });

  it('answers 404 to a member of one workspace posting a revision to another workspace’s item, and changes nothing there', async () => {
    const bravo = await makeTenant(t.platform, 'bravo');
    await makeItem(t.platform, bravo, { title: 'bravo first', status: 'in_review' });
    const secret = await makeItem(t.platform, bravo, { title: 'bravo secret', status: 'in_review' });
    const before = await tenantContent(t.platform, bravo);
    // studio has no item of that id: bravo's id through studio's URLs, and bravo's own URLs.
    for (const path of [`/t/studio/items/${secret.id}`, `/t/bravo/items/${secret.id}`]) {
      expect((await postForm(owner, path, { title: 'Taken over', body: '', revision: '1' })).status).toBe(404);
      expect((await postForm(owner, path, { title: 'Taken over', body: '', revision: '7' })).status).toBe(404);
      expect((await postForm(owner, `${path}/approve`, { revision: '1' })).status).toBe(404);
    }
    expect(await tenantContent(t.platform, bravo)).toEqual(before);
  });

  describe('a double click on Save', () => {
    const CHANGE = { title: 'Spring launch 2031', body: 'Final copy', channel: '', tags: 'launch', revision: '1' };
    const edits = (snapshot: Awaited<ReturnType<typeof itemSnapshot>>) => snapshot.history.filter((h) => (h as { action: string }).action === 'edit');

    it('answers both sends of the same edit as a save, one after the other, with one history entry and the revision raised once', async () => {
      const item = await makeItem(t.platform, tenant, { title: 'Spring launch', body: 'Draft copy' });
      const first = await postForm(editor, `/t/studio/items/${item.id}`, CHANGE);
      const second = await postForm(editor, `/t/studio/items/${item.id}`, CHANGE);

      expect([first.status, second.status]).toEqual([303, 303]);
      expect(second.headers.location).toBe(first.headers.location);
      const after = await itemSnapshot(t.platform, tenant, item.id);
      expect(after.item).toMatchObject({ title: 'Spring launch 2031', body: 'Final copy', revision: 2 });
      expect(edits(after)).toHaveLength(1);
    });

    it('answers both sends of the same edit as a save when they arrive at once, with one history entry', async () => {
      const item = await makeItem(t.platform, tenant, { title: 'Spring launch', body: 'Draft copy' });
      const answers = await Promise.all([postForm(editor, `/t/studio/items/${item.id}`, CHANGE), postForm(editor, `/t/studio/items/${item.id}`, CHANGE)]);

      expect(answers.map((res) => res.status)).toEqual([303, 303]);
      const after = await itemSnapshot(t.platform, tenant, item.id);
      expect(after.item).toMatchObject({ title: 'Spring launch 2031', revision: 2 });
      expect(edits(after)).toHaveLength(1);
    });

    it('still refuses (409) an edit sent again on the old revision that would change a field, writing nothing', async () => {
      const item = await makeItem(t.platform, tenant, { title: 'Spring launch', body: 'Draft copy' });
      expect((await postForm(editor, `/t/studio/items/${item.id}`, CHANGE)).status).toBe(303);
      const before = await itemSnapshot(t.platform, tenant, item.id);

      const res = await postForm(editor, `/t/studio/items/${item.id}`, { ...CHANGE, tags: 'launch, spring' });

      expect(res.status).toBe(409);
      expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
    });
  });
});
