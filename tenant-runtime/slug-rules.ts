import { z } from 'zod';

/** Words a tenant may not take: they name product routes, files or special device names. */
export const RESERVED_SLUGS = new Set([
  'admin',
  'api',
  'app',
  'assets',
  'auth',
  'aux',
  'con',
  'data',
  'docs',
  'help',
  'invitations',
  'invite',
  'login',
  'logout',
  'me',
  'account',
  'new',
  'nul',
  'platform',
  'prn',
  'public',
  'root',
  'settings',
  'setup',
  'signup',
  'static',
  'status',
  'support',
  'system',
  'tenant',
  'tenants',
  'www',
  'constructor',
  'prototype',
  'metrics',
  'healthz',
  'password',
]);

/**
 * Also refused: the other device names Windows reserves (`com1`-`com9`, `lpt1`-`lpt9`), and
 * anything shaped like a generated id (`t`, `u` or `i` and 24 hex digits), so a slug can never
 * be mistaken for, or probe with, another tenant's or user's id.
 */
const RESERVED_PATTERN = /^(?:com[0-9]|lpt[0-9]|[tui][0-9a-f]{24})$/;

function isReserved(slug: string): boolean {
  return RESERVED_SLUGS.has(slug) || RESERVED_PATTERN.test(slug);
}

/**
 * Lowercase ASCII letters and digits in groups joined by single hyphens, 3-40 characters.
 * Anything else (dots, slashes, percent signs, unicode look-alikes, control characters) fails.
 */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const slugSchema = z
  // Missing is "required"; a number or a list in a JSON body is said to be the wrong type, not missing.
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
  .min(3, { error: 'must be 3-40 characters' })
  .max(40, { error: 'must be 3-40 characters' })
  .regex(SLUG_PATTERN, { error: 'may use lowercase letters, digits and single hyphens, and must start and end with a letter or digit' })
  .refine((slug) => !isReserved(slug), { error: 'is a reserved word' });

/** Cheap check for the request path: no allocation of zod issues for the common case. */
export function isWellFormedSlug(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 3 && value.length <= 40 && SLUG_PATTERN.test(value) && !isReserved(value);
}
