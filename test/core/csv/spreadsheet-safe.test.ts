import { fromSpreadsheet, spreadsheetSafe } from '../../../core/csv/spreadsheet-safe';

describe('spreadsheet-safe CSV cells', () => {
  it.each([
    '=1+1',
    '+1',
    '-1',
    '@SUM(A1)',
    '\tx',
    '\rx',
    '\n=1+1',
    ' =1+1',
    '  \n @x',
    '\uFF1DHYPERLINK("http://evil.example")',
    '\uFF0B1',
    '\uFF0D1',
    '\uFF201',
  ])('defuse %j, which a spreadsheet would evaluate', (value) => {
    expect(spreadsheetSafe(value)).toBe(`'${value}`);
  });

  it('leave ordinary text alone, and read nothing as empty', () => {
    expect(spreadsheetSafe('Mozilla/5.0')).toBe('Mozilla/5.0');
    expect(spreadsheetSafe('Price = 5')).toBe('Price = 5');
    expect(spreadsheetSafe(null)).toBe('');
    expect(spreadsheetSafe(undefined)).toBe('');
  });

  it.each([
    ['=1+1', "'=1+1"],
    ["'=1+1", "''=1+1"],
    ["''-x", "'''-x"],
    ["'plain", "'plain"],
    ['plain', 'plain'],
    ["' @x", "'' @x"],
    ['', ''],
  ])('write %j as %j and read it back unchanged', (value, cell) => {
    expect(spreadsheetSafe(value)).toBe(cell);
    expect(fromSpreadsheet(cell)).toBe(value);
  });

  it('read a cell without the apostrophe of a formula as it is', () => {
    expect(fromSpreadsheet('=1+1')).toBe('=1+1');
    expect(fromSpreadsheet("'")).toBe("'");
    expect(fromSpreadsheet("'tis")).toBe("'tis");
  });
});
