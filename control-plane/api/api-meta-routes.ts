import { Router } from 'express';
import { z } from 'zod';
import { UnauthenticatedError } from '../../core/errors/app-errors';
import type { ApiCatalogue } from '../../core/http/api-operation';
import type { ControlPlane } from '../control-plane';

const meSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), super_admin: z.boolean() }).nullable().describe('null for a service token'),
  token: z
    .object({
      id: z.string(),
      kind: z.enum(['personal', 'service']),
      name: z.string(),
      scopes: z.array(z.string()),
      tenant: z.string().nullable(),
      expires_at: z.string().nullable(),
    })
    .nullable()
    .describe('null for a signed-in session'),
});

/** `GET /api/v1/me` (who is asking) and `GET /api/v1/openapi.json` (the document, public like the docs page). */
export function apiMetaRoutes(platform: ControlPlane, document: () => unknown, catalogue: Pick<ApiCatalogue, 'add'>): Router {
  const router = Router();

  catalogue.add('get', '/me', {
    summary: 'Who is asking: the user, and the token with its scopes',
    tags: ['Meta'],
    responses: { 200: { description: 'The caller', schema: meSchema } },
  });
  router.get('/me', (req, res) => {
    if (!req.user) throw new UnauthenticatedError();
    res.set('Cache-Control', 'no-store');
    const token = req.apiToken;
    const record = token ? platform.apiTokens.findById(token.tokenId) : undefined;
    res.json({
      user: token?.kind === 'service' ? null : { id: req.user.id, email: req.user.email, name: req.user.name, super_admin: req.user.isSuperAdmin },
      token: token
        ? {
            id: token.tokenId,
            kind: token.kind,
            name: token.name,
            scopes: [...token.scopes].sort(),
            tenant: token.tenantId ? (platform.tenants.findById(token.tenantId)?.slug ?? null) : null,
            expires_at: record?.expires_at ? new Date(record.expires_at).toISOString() : null,
          }
        : null,
    });
  });

  catalogue.add('get', '/openapi.json', {
    summary: 'This document (OpenAPI 3.1)',
    tags: ['Meta'],
    responses: { 200: { description: 'The OpenAPI document' } },
  });
  router.get('/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'no-cache').json(document());
  });

  return router;
}
