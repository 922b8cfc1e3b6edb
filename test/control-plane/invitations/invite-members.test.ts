import { parseEmailList } from '../../../control-plane/invitations/invite-members';
import { ValidationError } from '../../../core/errors/app-errors';

function problem(text: string) {
  try {
    parseEmailList(text);
  } catch (error) {
    if (error instanceof ValidationError) return error.fields[0];
    throw error;
  }
  return undefined;
}

describe('the invitation email list', () => {
  it('accepts commas, semicolons, spaces and new lines, lower-cases and de-duplicates', () => {
    expect(parseEmailList('Ann@Example.com, ben@example.com;\r\ncat@example.com  ann@example.com')).toEqual([
      'ann@example.com',
      'ben@example.com',
      'cat@example.com',
    ]);
  });

  it('names the first bad address', () => {
    expect(problem('ok@example.com, not-an-address, also bad')).toEqual({
      field: 'emails',
      message: 'contains “not-an-address”, which is not a valid email address',
    });
  });

  it('requires at least one address and at most 50', () => {
    expect(problem(' ,\n ')?.message).toContain('at least one');
    expect(problem(Array.from({ length: 51 }, (_, i) => `u${i}@example.com`).join('\n'))?.message).toContain('at most 50');
  });
});
