import { z } from 'zod';
import type { Router } from 'express';
import { onlyKnownFields } from '../../core/http/parse-input';
import { runIdempotentAsync } from '../../core/http/idempotent';
import type { ApiCatalogue } from '../../core/http/api-operation';
import type { ControlPlane } from '../control-plane';
import { addOwner, addOwnerSchema, type AddedOwner } from '../lifecycle/add-owner';
import { operatorOf } from '../lifecycle/operator';
import { tenantBySlugOrId } from '../routes/admin-tenant-param';
import { adminDoc as doc, adminKeyScope, isoTime as iso, requireAdmin } from './admin-api-access';
import { tenantJson, tenantParams, tenantSchema } from './admin-tenant-json';

const ownerBody = addOwnerSchema.strict();
const addedSchema = z.object({
  data: tenantSchema,
  owner_added: z.string().optional().describe('The address of the existing account that is now an owner'),
  previous_role: z.string().nullable().optional().describe('With owner_added: the role it held there before (a member promoted), null for a new member'),
  already_owner: z.literal(true).optional().describe('With owner_added: the account was an owner already; nothing was changed'),
  invitation: z
    .object({
      id: z.string(),
      email: z.string(),
      url: z.string().optional().describe('The invitation link, in this answer only: absent from the answer to the same call sent again moments after'),
      expires_at: z.string(),
      mailed: z.boolean().optional().describe('Whether the mail went out; absent, as `url`, from the answer to the same call sent again'),
    })
    .optional()
    .describe('For an address with no account: the owner invitation'),
  invitation_repeated: z
    .literal(true)
    .optional()
    .describe(
      'The same address was sent an owner invitation by the same token moments ago: that one stands, nothing was sent again, and its link is only in its own answer',
    ),
});

function addedJson(added: AddedOwner) {
  const { invitation, repeatedInvitation } = added;
  return {
    data: tenantJson(added.tenant),
    ...(added.ownerAdded ? { owner_added: added.ownerAdded, previous_role: added.previousRole ?? null } : {}),
    ...(added.alreadyOwner ? { already_owner: true as const } : {}),
    ...(invitation
      ? { invitation: { id: invitation.id, email: invitation.email, url: invitation.url, expires_at: iso(invitation.expiresAt), mailed: invitation.mailed } }
      : {}),
    ...(repeatedInvitation
      ? {
          invitation: { id: repeatedInvitation.id, email: repeatedInvitation.email, expires_at: iso(repeatedInvitation.expiresAt) },
          invitation_repeated: true as const,
        }
      : {}),
  };
}

/** An invitation was made (or stands): 201; an existing account made owner: 200. */
const statusOf = (added: AddedOwner) => (added.invitation || added.invitationRepeated ? 201 : 200);

/**
 * `POST /api/v1/admin/tenants/:id/owners`: the console's Add owner, through its command (add-owner.ts)
 * with its rules, repeat and audit records. The answer is stored with the invitation it writes (not
 * yet mailed), then replaced once mailed: a retry with the key never sends a second link.
 */
export function addAdminOwnerRoutes(router: Router, platform: ControlPlane, catalogue: Pick<ApiCatalogue, 'add'>): void {
  const scope = adminKeyScope(platform);
  catalogue.add(
    'post',
    '/tenants/:id/owners',
    doc(
      {
        summary: 'Add an owner to a tenant',
        description:
          "As the console's Add owner: an existing active account becomes an owner at once (a member keeps their membership with the owner role; a new member counts against the plan's members limit), answered 200; an owner already is answered as done. Another address gets an owner invitation, mailed, its link in this answer only (201); a pending invitation of that address is replaced, so only the new link works. The same address sent again by the same token moments after is answered with the invitation the first call made, without its link, and nothing is sent again. An active, suspended or damaged tenant only (409 otherwise).",
        scope: 'admin.tenants',
        params: tenantParams,
        body: ownerBody,
        idempotent: true,
        responses: {
          200: { description: 'An existing account, now an owner', schema: addedSchema },
          201: { description: 'An owner invitation', schema: addedSchema },
        },
      },
      'Admin',
    ),
  );
  router.post('/tenants/:id/owners', requireAdmin(platform, 'admin.tenants'), (req, res) =>
    runIdempotentAsync(scope(req), req, res, async (answerWithEffect) => {
      const tenant = tenantBySlugOrId(platform, String(req.params.id));
      const added = await addOwner(platform, tenant.id, onlyKnownFields(ownerBody, req.body), operatorOf(req), {
        whenWritten: (written) => answerWithEffect(statusOf(written), addedJson(written)),
      });
      res.status(statusOf(added)).json(addedJson(added));
    }),
  );
}
