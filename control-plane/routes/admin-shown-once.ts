import type { Request, RequestHandler, Response } from 'express';
import { showOnce, takeShownOnce } from '../../core/http/shown-once';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import type { CreatedTenant } from '../tenants/create-tenant';
import type { AddedOwner } from '../lifecycle/add-owner';
import { tenantOfParam, tenantPagePath } from './admin-tenant-param';

/**
 * The console pages that show an invitation link once, after the POST that made it (a tenant
 * created or provisioned again, an owner invited): the POST keeps what the page shows in the
 * session and answers 303 to `<tenant page>/<page>`, so a refresh sends no form again. That
 * page takes it; once taken (a refresh, the back button) it leads to the tenant's own page.
 */
export type ShownOncePage = 'created' | 'owner-invited';

/** What the page after a creation or a provisioning retry shows. */
export interface CreatedPage {
  title: string;
  tenant: { name: string; slug: string; schema_version: string | null };
  ownerAdded?: string;
  /** `mailed` unset when no mail was sent (an import). */
  invitation?: { email: string; mailed?: boolean; url: string; expiresAt: number };
}

/** What the page after an owner invitation shows. */
export interface OwnerInvitedPage {
  tenant: { name: string; slug: string };
  invitation: { email: string; mailed: boolean; url: string; expiresAt: number };
}

export function createdPage(title: string, { tenant, ownerAdded, invitation }: CreatedTenant): CreatedPage {
  return {
    title,
    tenant: { name: tenant.name, slug: tenant.slug, schema_version: tenant.schema_version },
    ownerAdded,
    invitation: invitation && { email: invitation.email, mailed: invitation.mailed, url: invitation.url, expiresAt: invitation.expiresAt },
  };
}

export function ownerInvitedPage({ tenant, invitation }: AddedOwner & { invitation: NonNullable<AddedOwner['invitation']> }): OwnerInvitedPage {
  const { email, mailed, url, expiresAt } = invitation;
  return { tenant: { name: tenant.name, slug: tenant.slug }, invitation: { email, mailed, url, expiresAt } };
}

export function redirectToShownOnce(req: Request, res: Response, tenant: TenantRecord, page: ShownOncePage, shown: CreatedPage | OwnerInvitedPage): void {
  showOnce(req, `tenant-${page}`, tenant.id, shown);
  res.redirect(303, `${tenantPagePath(tenant)}/${page}`);
}

/** The GET of `<tenant page>/<page>`: renders what waits for it, or leads to the tenant's page. */
export function shownOncePage<T extends CreatedPage | OwnerInvitedPage>(
  platform: ControlPlane,
  page: ShownOncePage,
  render: (res: Response, tenant: TenantRecord, shown: T) => void,
): RequestHandler {
  return (req, res) => {
    const tenant = tenantOfParam(platform, req);
    const shown = takeShownOnce<T>(req, `tenant-${page}`, tenant.id);
    if (!shown) return res.redirect(303, tenantPagePath(tenant));
    render(res, tenant, shown);
  };
}
