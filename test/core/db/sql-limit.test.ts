import { limitClause } from '../../../core/db/sql-limit';

describe('limitClause', () => {
  it('writes a whole number of rows into the SQL', () => {
    expect(limitClause(51)).toBe('limit 51');
    expect(limitClause(0)).toBe('limit 0');
  });

  it('refuses anything but a whole number of rows, so nothing else reaches the SQL', () => {
    for (const rows of [1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) expect(() => limitClause(rows)).toThrow(RangeError);
  });
});
