import type { Request } from 'express';

/**
 * A secret made by a POST (an API token, a webhook's signing secret) is shown once, on the page
 * the POST redirects to, so a refresh makes nothing again: it waits in the session until that
 * page takes it, and only the page of the same `scope` (the account, one workspace) does.
 */
export function showOnce(req: Request, kind: string, scope: string, value: unknown): void {
  req.session.shownOnce = { kind, scope, value };
}

export function takeShownOnce<T>(req: Request, kind: string, scope: string): T | undefined {
  const waiting = req.session?.shownOnce as { kind?: string; scope?: string; value?: T } | undefined;
  if (waiting?.kind !== kind) return undefined;
  delete req.session.shownOnce;
  return waiting.scope === scope ? waiting.value : undefined;
}
