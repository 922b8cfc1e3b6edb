import { z } from 'zod';
import type { ApiCatalogue } from '../../core/http/api-operation';
import { switchBodySchema } from '../tenants/switch-tenant';

const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), isSuperAdmin: z.boolean() });
const contextSchema = z.object({
  user: userSchema,
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
  role: z.object({ key: z.string(), name: z.string() }).nullable(),
  permissions: z.array(z.string()),
});
const description = 'For scripts in the pages: a signed-in session only (API tokens are not accepted here); errors are `{ "error": { "code", "message" } }`.';

/** The cookie-authenticated context API (control-plane/routes/context-api-routes.ts), as the document lists it. */
export function documentContextApi(catalogue: Pick<ApiCatalogue, 'add'>): void {
  catalogue.add('get', '/context', {
    summary: 'Who am I, and in which workspace',
    description: `${description} Hands out the session's CSRF token in the x-csrf-token header.`,
    tags: ['Session context'],
    legacyErrors: true,
    responses: { 200: { description: 'The context', schema: contextSchema } },
  });
  catalogue.add('get', '/tenants', {
    summary: 'The workspaces I may open',
    description,
    tags: ['Session context'],
    legacyErrors: true,
    responses: {
      200: {
        description: 'By name',
        schema: z.object({
          tenants: z.array(
            z.object({
              id: z.string(),
              slug: z.string(),
              name: z.string(),
              role: z.object({ key: z.string(), name: z.string() }),
              current: z.boolean(),
              default: z.boolean(),
            }),
          ),
        }),
      },
    },
  });
  catalogue.add('post', '/context/switch', {
    summary: 'Switch the session to another workspace',
    description: `${description} Needs the x-csrf-token header.`,
    tags: ['Session context'],
    legacyErrors: true,
    body: switchBodySchema,
    responses: { 200: { description: 'The new context', schema: contextSchema } },
  });
}
