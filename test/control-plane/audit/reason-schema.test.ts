import { reasonSchema } from '../../../control-plane/audit/reason-schema';
import { suspendSchema } from '../../../control-plane/lifecycle/suspend-tenant';

/** The reasons a super admin gives (stepping in, acting as a user, suspending): kept in the audit trail, shown to members. */
const REASONS: Array<[string, (reason: string) => string | undefined, string]> = [
  [
    'stepping in or acting as a user',
    (reason) => reasonSchema.safeParse(reason).error?.issues[0]?.message,
    'is required: say why (a ticket number, what the client asked)',
  ],
  [
    'a suspension',
    (reason) => suspendSchema.safeParse({ reason }).error?.issues.find((i) => i.path[0] === 'reason')?.message,
    'is required: say why, members read it',
  ],
];

describe('reasons', () => {
  it.each(REASONS)('for %s must show something: invisible or filler characters alone are no reason', (_label, issue, required) => {
    for (const reason of ['', '\u200b\u200b', '\u3164', '\u2800 ']) expect(issue(reason)).toBe(required);
    expect(issue('Ticket #4711: the client asked')).toBeUndefined();
  });

  it.each(REASONS)('for %s refuse direction overrides that make them read as another', (_label, issue) => {
    expect(issue('Ticket \u202e1174#')).toBe('must not contain text-direction controls');
  });
});
