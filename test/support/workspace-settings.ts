import { postForm, type Agent } from './http-agent';

/**
 * Saves a workspace's settings page as its admin would: every field of the form, those not given
 * as a new workspace has them. Answers the response (303 when saved).
 */
export function saveWorkspaceSettings(agent: Agent, slug: string, fields: Record<string, string>) {
  const page = `/t/${slug}/settings`;
  return postForm(agent, page, { display_name: slug, accent_color: '#2f5bd3', time_zone: 'UTC', language: 'en', ...fields }, page);
}
