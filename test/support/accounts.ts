import type { Platform } from '../../app/create-platform';
import { csrfFrom, type Agent } from './http-agent';

/** Rows of the `sessions` table that belong to the user (signed-in sessions). */
export function sessionCount(platform: Platform, userId: string): number {
  return (platform.db.connection().prepare('select count(*) as n from sessions where user_id = ?').get(userId) as { n: number }).n;
}

/** Every row of the control plane's user-facing tables, to prove a refused request changed nothing. */
export function accountsSnapshot(platform: Platform) {
  const all = (sql: string) => platform.db.connection().prepare(sql).all();
  return {
    users: all('select id, email, name, password_hash, status, is_super_admin from users order by id'),
    memberships: all('select user_id, tenant_id, role_id, status from memberships order by id'),
    sessions: all('select sid, user_id from sessions order by sid'),
    grants: all('select * from access_grants order by id'),
    resets: all('select * from password_resets order by id'),
  };
}

/** POSTs a form with a CSRF token taken from a page of the same session. */
export async function submitFrom(agent: Agent, tokenPage: string, path: string, body: Record<string, string> = {}) {
  const _csrf = await csrfFrom(agent, tokenPage);
  return agent
    .post(path)
    .type('form')
    .send({ ...body, _csrf });
}

/** The field names a refused form lists (views/partials/form-errors.ejs). */
export function fieldsOf(html: string): string[] {
  return [...html.matchAll(/<li><strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
}
