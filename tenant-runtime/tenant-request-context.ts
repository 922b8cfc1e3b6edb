import { translatorFor } from '../core/i18n/translator';
import type { MessageParams, NestedText } from '../core/i18n/message';
import type { Language } from '../core/i18n/languages';
import type { Permission } from './permission-catalogue';
import type { TenantDatabase } from './tenant-database';
import type { AuditRecord, AuditSink } from './audit-sink';
import type { Client } from '../core/http/client-of';
import type { SessionUser } from '../core/http/request-types';
import { linkUnder } from './tenant-urls';
import type { Entitlements } from './plan-catalogue';

/** What the tenant runtime knows of a tenant: the control plane's record, reduced to what requests need. */
export interface TenantRef {
  id: string;
  slug: string;
  name: string;
  status: string;
}

/**
 * A member's role: its key, its stored name and, where the control plane knows it, the name as a
 * value inside a message (a predefined role's translated, a custom role's as written).
 */
export type ActorRole = Readonly<{ key: string; name: string; label?: string | NestedText }>;

/** A member's standing in one tenant: their role and its effective permissions. */
export interface MemberGrant {
  role: ActorRole;
  permissions: ReadonlySet<Permission>;
  /**
   * Set when the access is not a membership but a time-boxed, audited grant the gate decided on
   * (a super admin's break-glass access): why, and until when (ms since the epoch).
   */
  elevated?: Readonly<{ kind: 'break-glass'; reason: string; expiresAt: number }>;
}

/** Who really acts while a super admin impersonates the request's user. */
export interface RealActor {
  id: string;
  name: string;
  email: string;
}

/** The member acting in a tenant: who, in which tenant, with which permissions, from where. */
export interface TenantActor {
  userId: string;
  tenantId: string;
  name: string;
  email: string;
  isSuperAdmin: boolean;
  role: ActorRole;
  permissions: ReadonlySet<Permission>;
  ip: string | null;
  userAgent: string | null;
  /** Set while a super admin impersonates this user: audit records name them as the real actor. */
  realUser?: RealActor;
  /** Set when the actor is inside through a time-boxed grant rather than a membership. */
  elevated?: MemberGrant['elevated'];
  /** Set when the request came with an API token: audit records name it. */
  apiTokenId?: string;
  /**
   * Set when the request came with a service token: the member who made it, for whom it acts.
   * Per-member limits count its work against them (limit-check.ts), so more tokens give no more.
   */
  actsFor?: string;
}

/** What every page of a workspace shows of its settings (white-label). */
export interface TenantBranding {
  displayName: string;
  accentColor: string;
  language: Language;
  timeZone: string;
  /** A versioned, permission-checked URL of the logo, or null (none, or the member may not see it). */
  logoUrl: string | null;
}

/** An audit record written from inside a tenant: the tenant, the actor and the client are filled in. */
export type TenantAuditEntry = Omit<AuditRecord, 'tenantId' | 'actorUserId' | 'ip' | 'userAgent'>;

/**
 * Everything a tenant route handler is given, built once at tenant entry after membership is
 * proven: the tenant, its leased database, the actor, a URL builder and an audit writer.
 */
export interface TenantRequestContext {
  readonly tenant: TenantRef;
  readonly db: TenantDatabase;
  readonly actor: TenantActor;
  /** Read on first use (JSON answers never need it), then kept for the request. */
  readonly branding: TenantBranding;
  /** The tenant's plan limits and feature flags (read on first use from the control plane's cache). */
  readonly entitlements: Entitlements;
  /** The language this member reads the workspace in: their own choice, else the workspace's. */
  readonly language: Language;
  /** Translates a message into that language (a method: call it on the context). */
  t(text: string, params?: MessageParams): string;
  /** A link to a page of this tenant, on the same resolver the request came through (a method, as are can and audit). */
  url(path?: string): string;
  can(permission: Permission): boolean;
  /** Records a step in the control plane's audit trail once the tenant's transaction open now (if any) has committed. */
  audit(entry: TenantAuditEntry): void;
}

/** Reads a tenant's branding from its own database (wired in app/ from the workspace). */
export type BrandingSource = (ctx: Pick<TenantRequestContext, 'db' | 'tenant' | 'url' | 'can' | 'entitlements'>) => TenantBranding;

export interface ContextParts {
  tenant: TenantRef;
  grant: MemberGrant;
  user: SessionUser;
  /** The super admin impersonating `user`, if any. */
  realUser?: RealActor;
  /** The API token the request came with, if any. */
  apiTokenId?: string;
  /** The member a service token acts for (who made it), if the request came with one. */
  actsFor?: string;
  client: Client;
  db: TenantDatabase;
  base: string;
  audit: AuditSink;
  branding: BrandingSource;
  /** A tenant's entitlements, asked for this one on first use (the gate answers from its cache). */
  entitlementsOf: (tenantId: string) => Entitlements;
}

export function buildTenantContext(parts: ContextParts): TenantRequestContext {
  return new RequestTenantContext(parts);
}

/** The same request's context (its lease, its links, its client) with the tenant and the grant as the gate answers now. */
export function regrantContext(ctx: TenantRequestContext, tenant: TenantRef, grant: MemberGrant): TenantRequestContext {
  if (!(ctx instanceof RequestTenantContext)) throw new Error('a tenant context not built by buildTenantContext');
  return ctx.regranted(tenant, grant);
}

/**
 * One request's actor. The client is read when a record asks for it (core/http/client-of.ts);
 * what is the same for every request lives on the prototype, so a request pays for no closures.
 */
class RequestActor implements TenantActor {
  readonly userId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly email: string;
  readonly isSuperAdmin: boolean;
  readonly role: ActorRole;
  readonly permissions: ReadonlySet<Permission>;
  readonly realUser?: RealActor;
  readonly elevated?: MemberGrant['elevated'];
  readonly apiTokenId?: string;
  readonly actsFor?: string;

  private readonly client: Client;

  constructor(parts: ContextParts) {
    const { user, tenant, grant } = parts;
    this.client = parts.client;
    this.userId = user.id;
    this.tenantId = tenant.id;
    this.name = user.name;
    this.email = user.email;
    this.isSuperAdmin = user.isSuperAdmin;
    this.role = grant.role;
    this.permissions = grant.permissions;
    if (parts.realUser) this.realUser = { id: parts.realUser.id, name: parts.realUser.name, email: parts.realUser.email };
    if (grant.elevated) this.elevated = grant.elevated;
    if (parts.apiTokenId) this.apiTokenId = parts.apiTokenId;
    if (parts.actsFor) this.actsFor = parts.actsFor;
  }

  get ip(): string | null {
    return this.client.ip;
  }

  get userAgent(): string | null {
    return this.client.userAgent;
  }
}

/** What a tenant route is given: branding and entitlements are read on first use, then kept. */
class RequestTenantContext implements TenantRequestContext {
  readonly tenant: TenantRef;
  readonly db: TenantDatabase;
  readonly actor: TenantActor;
  private brandingRead?: TenantBranding;
  private entitlementsRead?: Entitlements;

  constructor(private readonly parts: ContextParts) {
    this.tenant = parts.tenant;
    this.db = parts.db;
    this.actor = new RequestActor(parts);
  }

  regranted(tenant: TenantRef, grant: MemberGrant): RequestTenantContext {
    return new RequestTenantContext({ ...this.parts, tenant, grant });
  }

  get branding(): TenantBranding {
    return (this.brandingRead ??= this.parts.branding(this));
  }

  get entitlements(): Entitlements {
    return (this.entitlementsRead ??= this.parts.entitlementsOf(this.tenant.id));
  }

  get language(): Language {
    return this.parts.user.language ?? this.branding.language;
  }

  t(text: string, params?: MessageParams): string {
    return translatorFor(this.language)(text, params);
  }

  url(path?: string): string {
    return linkUnder(this.parts.base, path);
  }

  can(permission: Permission): boolean {
    return this.parts.grant.permissions.has(permission);
  }

  /** Written once the tenant's change has committed: at once outside a transaction, never for one rolled back (decision 009). */
  audit(entry: TenantAuditEntry): void {
    const { parts } = this;
    const record: AuditRecord = {
      ...entry,
      tenantId: parts.tenant.id,
      actorUserId: parts.user.id,
      realActorUserId: parts.realUser?.id ?? null,
      apiTokenId: parts.apiTokenId ?? null,
      ip: parts.client.ip,
      userAgent: parts.client.userAgent,
    };
    parts.db.afterCommit(() => parts.audit.record(record));
  }
}
