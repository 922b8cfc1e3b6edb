import { msg } from '../../../core/i18n/message';
import { parse } from 'csv-parse/sync';
import { ValidationError } from '../../../core/errors/app-errors';

export const MAX_CSV_BYTES = 1_000_000;
export const MAX_CSV_ROWS = 5000;

export interface CsvRow {
  /** The line of the file where the record starts (the header is line 1). */
  line: number;
  values: string[];
}

export interface ParsedCsv {
  headers: string[];
  rows: CsvRow[];
}

/** Comma, semicolon or tab: whichever the header line uses most (spreadsheets differ by locale). */
function guessDelimiter(text: string): string {
  const first = text.slice(0, text.search(/[\r\n]|$/)).replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => [d, first.split(d).length - 1] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/**
 * The size the limit applies to: a CRLF counts as one byte, as an LF does. The CSV travels from
 * step to step in a form's text box, and a browser sends a text box's line ends back as CRLF:
 * a file within the limit at the first step stays within it at the next ones.
 */
function sizeOf(text: string): number {
  let crlf = 0;
  for (let at = text.indexOf('\r\n'); at !== -1; at = text.indexOf('\r\n', at + 2)) crlf++;
  return Buffer.byteLength(text) - crlf;
}

/**
 * Reads pasted or uploaded CSV (csv-parse). Empty lines are kept by the parser so that every
 * record's starting line can be worked out from where the previous one ended, then dropped.
 * Problems are a 400 on the `csv` field.
 */
export function parseCsv(text: string): ParsedCsv {
  if (!text.trim()) throw ValidationError.single('csv', msg('is required: paste CSV text or choose a file'));
  if (sizeOf(text) > MAX_CSV_BYTES) throw ValidationError.single('csv', msg('must be at most {{count}} MB', { count: MAX_CSV_BYTES / 1_000_000 }));
  if (text.includes('\u0000')) throw ValidationError.single('csv', msg('must be text: it holds a NUL character'));
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // Every common line ending, even mixed in one file (pasted text often is).
    records = parse(text, {
      bom: true,
      delimiter: guessDelimiter(text),
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: false,
      info: true,
    }) as unknown as typeof records;
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    throw ValidationError.single(
      'csv',
      e.lines
        ? msg('could not be read (line {{line}}): {{reason}}', { line: e.lines, reason: String(e.message ?? err).replace(/^.*?:\s*/, '') })
        : msg('could not be read: {{reason}}', { reason: String(e.message ?? err).replace(/^.*?:\s*/, '') }),
    );
  }
  let nextLine = 1;
  const nonEmpty: CsvRow[] = [];
  for (const { record, info } of records) {
    const line = nextLine;
    nextLine = info.lines + 1;
    if (record.every((v) => v.trim() === '')) continue;
    nonEmpty.push({ line, values: record });
  }
  const [header, ...rows] = nonEmpty;
  if (!header) throw ValidationError.single('csv', msg('is required: paste CSV text or choose a file'));
  if (!rows.length) throw ValidationError.single('csv', msg('has a header line but no rows'));
  if (rows.length > MAX_CSV_ROWS)
    throw ValidationError.single('csv', msg('has {{rows}} rows; at most {{max}} can be imported at once', { rows: rows.length, max: MAX_CSV_ROWS }));
  // A column with no name keeps an empty header: the pages name it by its position, in the reader's language.
  const headers = header.values.map((h) => h.trim());
  return { headers, rows };
}
