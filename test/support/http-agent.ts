import request from 'supertest';
import type { Express } from 'express';
import { TEST_PASSWORD } from './factories';

export type Agent = ReturnType<typeof request.agent>;

/** Reads the CSRF token from a page's first form. */
export async function csrfFrom(agent: Agent, path: string): Promise<string> {
  const page = await agent.get(path);
  const match = /name="_csrf" value="([^"]+)"/.exec(page.text);
  if (!match) throw new Error(`no CSRF token on ${path} (status ${page.status})`);
  return match[1];
}

/** POSTs a form the way a browser would: with the CSRF token of a page of the same session. */
export async function postForm(agent: Agent, path: string, body: Record<string, string>, tokenPage = '/tenants') {
  const _csrf = await csrfFrom(agent, tokenPage);
  return agent
    .post(path)
    .type('form')
    .send({ ...body, _csrf });
}

/** Signs in on an in-process app, or on a server process at its address (`http://127.0.0.1:<port>`). */
export async function signIn(app: Express | string, email: string, password = TEST_PASSWORD): Promise<Agent> {
  const agent = request.agent(app);
  const res = await postForm(agent, '/login', { email, password }, '/login');
  if (res.status !== 302) throw new Error(`sign-in failed for ${email}: ${res.status}`);
  return agent;
}
