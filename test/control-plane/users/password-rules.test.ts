import { nameSchema, passwordSchema } from '../../../control-plane/users/password-rules';
import { roleInputSchema } from '../../../control-plane/roles/role-schemas';
import { settingsInputSchema } from '../../../workspace/settings/settings-schemas';
import { planNameSchema } from '../../../control-plane/plans/plan-schemas';

/** The names people and workspaces are shown by: a person's, a workspace's, a role's, a workspace's display name. */
const NAME_FIELDS: Array<[string, (name: string) => string | undefined]> = [
  ['a person or workspace name', (name) => nameSchema.safeParse(name).error?.issues[0]?.message],
  ['a role name', (name) => roleInputSchema.safeParse({ name, permissions: [] }).error?.issues.find((i) => i.path[0] === 'name')?.message],
  ['a display name', (name) => settingsInputSchema.safeParse({ display_name: name }).error?.issues.find((i) => i.path[0] === 'display_name')?.message],
  ['a plan name', (name) => planNameSchema.safeParse(name).error?.issues[0]?.message],
];

describe('names', () => {
  it.each(NAME_FIELDS)('refuses %s that shows nothing as a missing one', (_label, issue) => {
    for (const name of ['\u200b', '\u200b\u2060\ufeff', '\u3164', '\u2800', '\u115f\u1160']) expect(issue(name)).toBe('is required');
  });

  it.each(NAME_FIELDS)('refuses %s with a direction override that makes it read as another', (_label, issue) => {
    expect(issue('Acme \u202eevil')).toBe('must not contain text-direction controls');
  });

  it.each(NAME_FIELDS)('refuses %s holding a control character, C1 ones (a terminal escape, a next line) included', (_label, issue) => {
    for (const name of ['Acme\u001b[2J', 'Acme\nCorp', 'Acme\u009b2J', 'Acme\u0085Corp']) expect(issue(name)).toBe('must not contain control characters');
  });

  it.each(NAME_FIELDS)('takes %s written right to left, with its marks', (_label, issue) => {
    expect(issue('\u05e9\u05dc\u05d5\u05dd \u200fAcme')).toBeUndefined();
  });
});

describe('passwords', () => {
  const issue = (password: string) => passwordSchema.safeParse(password).error?.issues[0]?.message;

  it('counts the characters of the password as it is checked at sign-in: twelve letters typed as parts that join into four are too short', () => {
    // Conjoining jamo (an initial, a vowel and a final each) join into one syllable: the account would open with 각각각각.
    expect(issue('\u1100\u1161\u11a8'.repeat(4))).toMatch(/^must be at least {{count}} characters/);
    expect(issue('e\u0301'.repeat(6))).toMatch(/^must be at least {{count}} characters/);
  });

  it('takes twelve characters whether they are typed composed or decomposed', () => {
    expect(issue('\u00e9'.repeat(12))).toBeUndefined();
    expect(issue('e\u0301'.repeat(12))).toBeUndefined();
    expect(issue('short')).toMatch(/^must be at least {{count}} characters/);
    expect(issue('x'.repeat(129))).toMatch(/^must be at most {{count}} characters/);
  });
});
