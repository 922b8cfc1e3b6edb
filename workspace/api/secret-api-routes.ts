import { z } from 'zod';
import { SecretBox } from '../../core/crypto/secret-box';
import { runIdempotent } from '../../core/http/idempotent';
import { noQuery, parseInput, parseQuery } from '../../core/http/parse-input';
import type { RouteSpec, TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { WorkspaceServices } from '../workspace-services';
import { SecretRepository, type SecretSummary } from '../secrets/secret-repository';
import { deleteSecret, saveSecret, secretOf, SECRETS_PER_TENANT } from '../secrets/manage-secrets';
import { secretBodySchema } from '../secrets/secret-schemas';
import { idempotencyScope } from './item-api-routes';

const TAGS = ['Settings'];

/** A secret as the API shows one: never its value, only the settings page's masked hint. */
export const secretSchema = z.object({
  name: z.string(),
  hint: z.string().describe('The masked hint the settings page shows (sk-…abcd, or •••• for a short value); never the value'),
  updated_at: z.string().describe('When its value was last set (ISO 8601, UTC)'),
});

function secretJson(secret: SecretSummary) {
  return { name: secret.name, hint: secret.hint, updated_at: new Date(secret.updated_at).toISOString() };
}

const secretParams = z.object({ slug: z.string(), name: z.string().describe('The secret’s name') });

/** Writes as on the settings page: tenant.settings.edit (owners and admins). */
const EDIT = { permission: 'tenant.settings.edit', answers: 'json' } as const satisfies Partial<RouteSpec>;

/**
 * The workspace's secrets over the REST API: listed and read (names and masked hints, never a
 * value) with tenant.settings.view as on the settings page; added, replaced and deleted with
 * tenant.settings.edit by the page's commands, with their rules and audit records (names only).
 */
export function secretApiRoutes(table: TenantRouteTable, services: Pick<WorkspaceServices, 'config' | 'recentDeletions'>): void {
  const box = new SecretBox(services.config.secretsKey);

  table.get(
    '/secrets',
    {
      permission: 'tenant.settings.view',
      answers: 'json',
      doc: {
        summary: 'List secrets',
        description: 'Names and masked hints, by name; a value is never shown.',
        tags: TAGS,
        query: noQuery,
        responses: { 200: { description: 'Every secret of the workspace', schema: z.object({ data: z.array(secretSchema) }) } },
      },
    },
    (ctx, req, res) => {
      parseQuery(noQuery, req.query);
      res.json({ data: new SecretRepository(ctx.db).list().map(secretJson) });
    },
  );

  table.get(
    '/secrets/:name',
    {
      permission: 'tenant.settings.view',
      answers: 'json',
      doc: {
        summary: 'Read a secret’s name and hint',
        tags: TAGS,
        params: secretParams,
        query: noQuery,
        responses: { 200: { description: 'The secret, without its value', schema: z.object({ data: secretSchema }) } },
      },
    },
    (ctx, req, res) => {
      parseQuery(noQuery, req.query);
      res.json({ data: secretJson(secretOf(ctx, String(req.params.name))) });
    },
  );

  table.post(
    '/secrets',
    {
      ...EDIT,
      doc: {
        summary: 'Add or replace a secret',
        description: `A new name answers 201, a name the workspace has already 200 with its value replaced. A workspace holds at most ${SECRETS_PER_TENANT} secrets (400 naming \`name\` past it). The value is encrypted and never answered, logged or recorded.`,
        tags: TAGS,
        body: secretBodySchema,
        idempotent: true,
        responses: {
          201: { description: 'The secret added, without its value', schema: z.object({ data: secretSchema }) },
          200: { description: 'The secret replaced, without its value', schema: z.object({ data: secretSchema }) },
        },
      },
    },
    (ctx, req, res) =>
      runIdempotent(idempotencyScope(ctx, req, services.config), req, res, () => {
        const { secret, replaced } = saveSecret(ctx, box, parseInput(secretBodySchema, req.body), 'name');
        res
          .status(replaced ? 200 : 201)
          .location(`${req.baseUrl}/secrets/${encodeURIComponent(secret.name)}`)
          .json({ data: secretJson(secret) });
      }),
  );

  table.post(
    '/secrets/:name/delete',
    {
      ...EDIT,
      doc: {
        summary: 'Delete a secret',
        description:
          'For good: its value cannot be recovered. The same deletion sent again by the same caller within seconds is answered as done (200), deleting nothing more.',
        tags: TAGS,
        params: secretParams,
        idempotent: true,
        responses: { 200: { description: 'The secret deleted', schema: z.object({ data: z.object({ name: z.string(), deleted: z.literal(true) }) }) } },
      },
    },
    (ctx, req, res) =>
      runIdempotent(idempotencyScope(ctx, req, services.config), req, res, () => {
        const secret = deleteSecret(ctx, services, String(req.params.name));
        res.json({ data: { name: secret.name, deleted: true } });
      }),
  );
}
