import { focusFirstInvalid } from '../../../core/http/focus-first-invalid';

describe('the focus of a refused form', () => {
  it('moves from a field that has it on a fresh form to the first invalid one', () => {
    const page = [
      '<input id="email" name="email" autocomplete="username" autofocus>',
      '<input id="password" name="password" type="password"\n  aria-invalid="true" aria-describedby="password-error">',
      '<select id="role_id" name="role_id" aria-invalid="true">',
    ].join('\n');

    const focused = [...focusFirstInvalid(page).matchAll(/<(?:input|select)\b[^>]*>/g)].map(([tag]) => tag).filter((tag) => tag.includes('autofocus'));

    expect(focused).toEqual(['<input id="password" name="password" type="password"\n  aria-invalid="true" aria-describedby="password-error" autofocus>']);
  });

  it('keeps one autofocus on an invalid field that already had it', () => {
    const page = '<input id="password" autofocus aria-invalid="true"><textarea id="note" aria-invalid="true"></textarea>';

    expect(focusFirstInvalid(page)).toBe('<input id="password" aria-invalid="true" autofocus><textarea id="note" aria-invalid="true"></textarea>');
  });

  it('leaves a page with no invalid field, and the words of its text, as they are', () => {
    const page = '<p>Set autofocus on aria-invalid="true" fields.</p><input id="email" autofocus>';

    expect(focusFirstInvalid(page)).toBe(page);
  });
});
