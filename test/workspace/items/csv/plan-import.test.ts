import { inEnglish, translatorFor } from '../../../../core/i18n/translator';
import { zonedClock } from '../../../../core/time/zoned-clock';
import { createTestPlatform, type TestPlatform } from '../../../support/test-platform';
import { makeTenant } from '../../../support/factories';
import { inTenant } from '../../../support/content';
import type { TenantRecord } from '../../../../control-plane/tenants/tenant-record';
import { parseCsv } from '../../../../workspace/items/csv/parse-csv';
import { planImport } from '../../../../workspace/items/csv/plan-import';
import type { ColumnMapping } from '../../../../workspace/items/csv/column-mapping';

describe('planning an import', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  beforeAll(async () => {
    t = await createTestPlatform();
    tenant = await makeTenant(t.platform, 'studio');
  });
  afterAll(() => t.cleanup());

  const problems = (csv: string, mapping: ColumnMapping, channels: string[] = []) =>
    inTenant(t.platform, tenant, (db) =>
      planImport(
        { db, rules: { approvalsRequired: 1, allowSelfApproval: false, channels }, clock: zonedClock('Europe/Paris'), authors: () => undefined },
        parseCsv(csv),
        { mapping, onDuplicate: 'skip' },
      ),
    ).then((plan) => plan.errors);

  it("names a row's problem by the file's column the person chose for the field, never the field's internal name", async () => {
    const errors = await problems('Headline,When,Network\n,someday,radio\n', { title: 0, scheduled_at: 1, channel: 2 }, ['blog']);

    expect(errors.map(inEnglish)).toEqual([
      'line 2: column “Headline” is required',
      'line 2: column “When” is not a date and time (use YYYY-MM-DD HH:MM, in Europe/Paris)',
    ]);
    const channel = await problems('Headline,Network\nHello,radio\n', { title: 0, channel: 1 }, ['blog']);
    expect(channel.map(inEnglish)).toEqual(['line 2: column “Network” must be one of blog']);
  });

  it("names the column in the reader's language too", async () => {
    const errors = await problems('Headline,When\nHello,someday\n', { title: 0, scheduled_at: 1 });

    expect(translatorFor('fr')(errors[0])).toMatch(/^ligne 2 : colonne « When » /);
  });

  it("names a column with no header by its position, in the reader's language", async () => {
    const errors = await problems('Headline,\nHello,someday\n', { title: 0, scheduled_at: 1 });

    expect(errors.map(inEnglish)).toEqual(['line 2: column 2 is not a date and time (use YYYY-MM-DD HH:MM, in Europe/Paris)']);
    expect(translatorFor('fr')(errors[0])).toMatch(/^ligne 2 : colonne 2 /);
  });
});
