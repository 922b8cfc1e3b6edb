import { itemFields, itemFilterSchema, scheduleTimeField, splitTags } from '../../../workspace/items/item-schemas';
import { zonedClock } from '../../../core/time/zoned-clock';
import { msg } from '../../../core/i18n/message';
import { itemCreateSchema, itemListQuerySchema } from '../../../workspace/api/item-api-schemas';

const issueOf = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) => result.error?.issues[0]?.message;

describe('item fields', () => {
  it('says a planned time inside the hour the clocks skip does not exist in the zone, rather than that it is no time', () => {
    const field = scheduleTimeField(zonedClock('Europe/Paris'));
    const zone = 'Europe/Paris';
    expect(issueOf(field.safeParse('2031-03-30T02:30'))).toBe(
      msg('does not exist in {{zone}}: the clocks go forward over it (choose a time after the change)', { zone }),
    );
    expect(issueOf(field.safeParse('2031-03-30T25:30'))).toBe(msg('is not a date and time (use YYYY-MM-DD HH:MM, in {{zone}})', { zone }));
    expect(field.parse('2031-03-30T03:30')).toBe(Date.UTC(2031, 2, 30, 1, 30));
  });

  it('compares tags as the same text however it was typed: accents typed apart, full-width letters, a dotted capital I', () => {
    expect(splitTags('Café, cafe\u0301, ＡＢＣ, abc, İstanbul')).toEqual(['café', 'abc', 'i̇stanbul']);
    expect(itemCreateSchema.parse({ title: 'T', tags: ['Café', 'cafe\u0301', 'ＡＢＣ', 'abc'] }).tags).toEqual(['café', 'abc']);
    expect(itemFilterSchema.parse({ tag: 'ＣＡＦＥ\u0301' }).tag).toBe('café');
  });

  it('refuses a title that shows nothing (zero-width characters alone) as a missing one', () => {
    for (const title of ['\u200b', '\u200b\u200c\u200d\u2060', '\ufeff ']) expect(issueOf(itemFields.title.safeParse(title))).toBe('is required');
    expect(itemFields.title.parse('\u{1F468}\u200d\u{1F469}\u200d\u{1F467} family')).toBe('\u{1F468}\u200d\u{1F469}\u200d\u{1F467} family');
  });

  it("tells an unknown status by the field's own message, and a field sent twice that it is to be sent once", () => {
    expect(issueOf(itemFilterSchema.safeParse({ status: 'nope' }))).toBe('must be one of the statuses');
    expect(issueOf(itemFilterSchema.safeParse({ channel: ['a', 'b'] }))).toBe('must be given once, as text');
    expect(issueOf(itemListQuerySchema.safeParse({ cursor: ['a', 'b'] }))).toBe('is not a cursor from a previous page');
    expect(issueOf(itemFields.tags.safeParse(['a', 'b']))).toBe('must be given once, as text');
    expect(issueOf(itemCreateSchema.safeParse({ title: 'T', body: null }))).toBe('must be given once, as text');
  });
});
