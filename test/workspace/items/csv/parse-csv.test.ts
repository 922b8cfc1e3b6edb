import { parseCsv, MAX_CSV_ROWS } from '../../../../workspace/items/csv/parse-csv';
import { guessMapping } from '../../../../workspace/items/csv/column-mapping';
import { ValidationError } from '../../../../core/errors/app-errors';

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return `${err.fields[0].field}: ${err.fields[0].message}`;
    throw err;
  }
  throw new Error('no error');
}

describe('reading CSV', () => {
  it('numbers each row by the line it starts on, across blank lines and quoted line breaks', () => {
    const csv = 'title,body\r\nFirst,"two\nlines"\r\n\r\nSecond,plain\n';
    expect(parseCsv(csv)).toEqual({
      headers: ['title', 'body'],
      rows: [
        { line: 2, values: ['First', 'two\nlines'] },
        { line: 5, values: ['Second', 'plain'] },
      ],
    });
  });

  it('reads semicolon and tab separated files and strips a byte-order mark', () => {
    expect(parseCsv('\uFEFFtitle;tags\nA;"x, y"\n').rows[0].values).toEqual(['A', 'x, y']);
    expect(parseCsv('title\tbody\nA\tb\n').rows[0].values).toEqual(['A', 'b']);
  });

  it('keeps the header of an unnamed column empty, for the pages to name by its position in their reader’s language', () => {
    expect(parseCsv('title, ,x\na,b,c').headers).toEqual(['title', '', 'x']);
  });

  it.each([
    ['nothing', '', 'csv: is required'],
    ['a header only', 'title,body\n', 'csv: has a header line but no rows'],
    ['an unclosed quote', 'title\n"open\n', 'csv: could not be read (line 2)'],
  ])('refuses %s on the csv field', (_label, text, expected) => {
    expect(problem(() => parseCsv(text))).toContain(expected);
  });

  it(`refuses more than ${MAX_CSV_ROWS} rows`, () => {
    const text = 'title\n' + Array.from({ length: MAX_CSV_ROWS + 1 }, (_, i) => `t${i}`).join('\n');
    expect(problem(() => parseCsv(text))).toContain(`at most ${MAX_CSV_ROWS}`);
  });

  it('guesses the column mapping from common header names', () => {
    expect(guessMapping(['Headline', 'Content', 'Network', 'Labels', 'Publish at', 'extra'])).toEqual({
      title: 0,
      body: 1,
      channel: 2,
      tags: 3,
      scheduled_at: 4,
    });
    expect(guessMapping(['a', 'b'])).toEqual({});
  });
});
