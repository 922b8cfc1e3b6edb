import * as OTPAuth from 'otpauth';
import type { Platform } from '../../app/create-platform';
import { csrfFrom, type Agent } from './http-agent';
import { TEST_PASSWORD } from './factories';

/** The code an authenticator app shows for the key, at a time (now by default). */
export function codeFor(key: string, timestamp = Date.now()): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(key) }).generate({ timestamp });
}

/** The code of the next time step: not yet accepted (within the one-step window). */
export const nextCodeFor = (key: string) => codeFor(key, Date.now() + 30_000);

/** As if time steps had passed: no step accepted yet, so a code of now is new again. */
export function forgetAcceptedSteps(platform: Platform, userId: string): void {
  platform.db.run('update two_step_keys set last_step = 0 where user_id = ?', [userId]);
}

/** The key the enrolment page shows as text (spaces removed). */
export function keyOnPage(html: string): string {
  const match = /<code class="two-step-key">([A-Z2-7 ]+)<\/code>/.exec(html);
  if (!match) throw new Error('no key on the page');
  return match[1].replace(/ /g, '');
}

export const recoveryCodesOnPage = (html: string): string[] => [...html.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);

/** Turns two-step sign-in on for the signed-in agent, as a person does from the account page. */
export async function turnOnTwoStep(agent: Agent, password = TEST_PASSWORD): Promise<{ key: string; recoveryCodes: string[] }> {
  // The token first: a request takes the agent's cookies when it is made.
  const _csrf = await csrfFrom(agent, '/account');
  const start = await agent.post('/account/two-step/start').type('form').send({ _csrf });
  if (start.status !== 303) throw new Error(`turning on failed: ${start.status}`);
  const page = await agent.get('/account/two-step/enrol');
  const key = keyOnPage(page.text);
  const done = await agent
    .post('/account/two-step/enable')
    .type('form')
    .send({ two_step_password: password, two_step_code: codeFor(key), _csrf });
  if (done.status !== 200) throw new Error(`enabling failed: ${done.status} ${done.text.slice(0, 300)}`);
  return { key, recoveryCodes: recoveryCodesOnPage(done.text) };
}
