import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { ValidationError } from '../../core/errors/app-errors';
import { msg } from '../../core/i18n/message';
import { parseInput } from '../../core/http/parse-input';
import type { Client } from '../../core/http/client-of';
import type { SessionUser } from '../../core/http/request-types';
import { slugSchema } from '../../tenant-runtime/slug-rules';
import type { Permission } from '../../tenant-runtime/permission-catalogue';
import { auditedBy, type ActingMember } from '../audit/tenant-actor';
import { accessibleTenant } from '../tenants/accessible-tenant';
import { isDoubleSubmit } from '../../core/http/double-submit';
import { newApiToken, newTokenId } from './token-secret';
import type { ApiTokenRecord } from './api-token-repository';
import { isPlatformScope, isTokenScope, SERVICE_TOKEN_SCOPES, type TokenScope } from './token-scopes';

type AuditEntry = Parameters<ControlPlane['audit']['record']>[0];

/** Days a token lasts (0: never expires), with the label the form shows. */
export const EXPIRY_CHOICES = { '7': msg('7 days'), '30': msg('30 days'), '90': msg('90 days'), '365': msg('1 year'), '0': msg('Never') } as const;
const DAY_MS = 24 * 3600 * 1000;

const scopesField = z
  .union([z.string(), z.array(z.string())], { error: msg('is required: choose at least one') })
  .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
  .pipe(
    z
      .array(z.string().refine(isTokenScope, { error: msg('contains a scope that does not exist') }))
      .min(1, { error: msg('is required: choose at least one') })
      .max(40),
  );

const commonFields = {
  name: z
    .string({ error: msg('is required') })
    .trim()
    .min(1, { error: msg('is required') })
    .max(100, { error: msg('must be at most 100 characters') }),
  scopes: scopesField,
  expires_in_days: z.enum(Object.keys(EXPIRY_CHOICES) as ['7', '30', '90', '365', '0'], { error: msg('must be 7, 30, 90, 365 or 0 (never)') }).default('90'),
};

export const personalTokenSchema = z.object({
  ...commonFields,
  tenant: z.union([slugSchema, z.literal('')], { error: msg('is not a workspace of yours') }).default(''),
});

export const serviceTokenSchema = z.object(commonFields);

export interface CreatedToken {
  id: string;
  /** Shown once; only its hash is kept. */
  token: string;
  hint: string;
}

function expiryOf(days: string, now: number): number | null {
  return days === '0' ? null : now + Number(days) * DAY_MS;
}

/** Refuses the scopes beyond `allowed`: `reason` makes the field's message from their list. */
function scopesProblem(scopes: string[], allowed: ReadonlySet<string>, reason: (extra: string) => string): void {
  const extra = scopes.filter((s) => !allowed.has(s));
  if (extra.length) throw ValidationError.single('scopes', reason(extra.join(', ')));
}

/**
 * A personal token: it acts as the user, optionally in one workspace only. Its scopes never reach
 * beyond the user's role there (checked now for a limited token, and against the current role on
 * every request in any case); super-admin scopes only for super admins, on unlimited tokens.
 * undefined: the same token was just made (a double click), see issueToken.
 */
export function createPersonalToken(platform: ControlPlane, user: SessionUser, input: unknown, client: Client): CreatedToken | undefined {
  const parsed = parseInput(personalTokenSchema, input);
  const scopes = parsed.scopes as TokenScope[];
  const platformScopes = scopes.filter(isPlatformScope);
  if (!user.isSuperAdmin) scopesProblem(platformScopes, new Set(), (extra) => msg('includes {{scopes}}, which only super admins may hold', { scopes: extra }));
  if (parsed.tenant)
    scopesProblem(platformScopes, new Set(), (extra) => msg('includes {{scopes}}, which only a token for all workspaces may hold', { scopes: extra }));
  let tenantId: string | null = null;
  if (parsed.tenant) {
    const open = accessibleTenant(platform.access, user, platform.access.tenantBySlug(parsed.tenant));
    if (!open) throw ValidationError.single('tenant', msg('is not a workspace of yours'));
    tenantId = open.tenant.id;
    const { tenant, role } = open;
    scopesProblem(scopes, open.permissions, (extra) =>
      msg('includes {{scopes}}, which your role in {{workspace}} ({{role}}) does not have', { scopes: extra, workspace: tenant.name, role: role.name }),
    );
  }
  return issueToken(
    platform,
    { kind: 'personal', name: parsed.name, userId: user.id, createdBy: user.id, tenantId, scopes, expiresInDays: parsed.expires_in_days },
    { actorUserId: user.id, tenantId, ...client },
  );
}

/**
 * A service token of the actor's tenant: it belongs to the tenant, survives its creator leaving,
 * and holds the scopes chosen now (content work and reading only, and nothing the creator lacks).
 * undefined: the same token was just made (a double click), see issueToken.
 */
export function createServiceToken(platform: ControlPlane, actor: ActingMember, input: unknown): CreatedToken | undefined {
  const parsed = parseInput(serviceTokenSchema, input);
  const scopes = parsed.scopes as TokenScope[];
  scopesProblem(scopes, new Set<string>(SERVICE_TOKEN_SCOPES), (extra) =>
    msg('includes {{scopes}}, which a service token may not hold (content work and reading only)', { scopes: extra }),
  );
  scopesProblem(scopes, actor.permissions as ReadonlySet<Permission | string>, (extra) =>
    msg('includes {{scopes}}, which your role does not have', { scopes: extra }),
  );
  return issueToken(
    platform,
    { kind: 'service', name: parsed.name, userId: null, createdBy: actor.userId, tenantId: actor.tenantId, scopes, expiresInDays: parsed.expires_in_days },
    auditedBy(actor),
  );
}

/** What a new token holds: whose it is, where it works, what it may do, for how long. */
interface TokenToIssue {
  kind: 'personal' | 'service';
  name: string;
  userId: string | null;
  createdBy: string;
  tenantId: string | null;
  scopes: TokenScope[];
  expiresInDays: string;
}

/** Whether `made` is the token just asked for again: same owner, name, workspace, scopes and lifetime, live, and made moments ago. */
function isRepeatOf(made: ApiTokenRecord | undefined, token: TokenToIssue, expiresAt: number | null, now: number): boolean {
  if (!made || made.revoked_at !== null || !isDoubleSubmit(made.created_at, now)) return false;
  const lifetime = (record: { expires_at: number | null; created_at: number }) => (record.expires_at === null ? null : record.expires_at - record.created_at);
  return (
    made.name === token.name &&
    made.tenant_id === token.tenantId &&
    made.scopes === JSON.stringify(token.scopes) &&
    lifetime(made) === lifetime({ expires_at: expiresAt, created_at: now })
  );
}

/**
 * Stores a new token's hash with its audit record in one transaction; the secret is returned once.
 * The same token asked for again by the same person within DOUBLE_SUBMIT_MS (a double click) makes nothing and
 * returns undefined: its secret is shown by the request that made it.
 */
function issueToken(
  platform: ControlPlane,
  token: TokenToIssue,
  auditedAs: Omit<AuditEntry, 'action' | 'targetType' | 'targetId' | 'after'>,
): CreatedToken | undefined {
  const now = Date.now();
  const secret = newApiToken();
  const id = newTokenId();
  const expiresAt = expiryOf(token.expiresInDays, now);
  return platform.db.write(() => {
    if (isRepeatOf(platform.apiTokens.newestMadeBy(token.kind, token.createdBy, token.tenantId), token, expiresAt, now)) return undefined;
    platform.apiTokens.insert({
      id,
      kind: token.kind,
      name: token.name,
      user_id: token.userId,
      created_by: token.createdBy,
      tenant_id: token.tenantId,
      scopes: JSON.stringify(token.scopes),
      token_hash: secret.hash,
      hint: secret.hint,
      expires_at: expiresAt,
      created_at: now,
    });
    platform.audit.record({
      ...auditedAs,
      action: 'api_token.create',
      targetType: 'api_token',
      targetId: id,
      after: { kind: token.kind, name: token.name, hint: secret.hint, scopes: token.scopes, expiresAt },
    });
    return { id, token: secret.token, hint: secret.hint };
  });
}
