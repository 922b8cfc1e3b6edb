import { CliContext } from '../../../core/cli/cli-io';
import { ownerInvitationJson, printOwnerInvitation } from '../../../control-plane/cli/owner-invitation-lines';
import { captureStream } from '../../support/cli-runner';

const expiresAt = Date.UTC(2025, 2, 8, 9, 30, 45);
const invitation = { id: 'inv-1', token: 'secret-token', url: 'http://localhost:3000/invitations/abc', expiresAt, email: 'owner@acme.test', mailed: true };

describe("an owner invitation's lines", () => {
  it('give its expiry in ISO in JSON', () => {
    expect(ownerInvitationJson(invitation)).toEqual({
      email: 'owner@acme.test',
      url: 'http://localhost:3000/invitations/abc',
      expires_at: '2025-03-08T09:30:45.000Z',
      mailed: true,
    });
  });

  it('say its expiry to a person as every other CLI line and page does: day, minute, UTC', () => {
    const stdout = captureStream();
    printOwnerInvitation(new CliContext({ env: {}, stdout, stderr: captureStream() }), ownerInvitationJson(invitation));

    expect(stdout.text().split('\n')[0]).toBe('Owner invitation for owner@acme.test, expires 2025-03-08 09:30 UTC (mailed).');
  });
});
