import type { z } from 'zod';
import { ValidationError } from '../errors/app-errors';

/** Parses untrusted input with a zod schema; failures become a 400 naming each field and its reason. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  // One reason per field: the first rule it broke.
  const byField = new Map<string, string>();
  for (const issue of result.error.issues) {
    // The whole input of the wrong shape (a JSON array or a bare value where fields are expected).
    if (!issue.path.length && issue.code === 'invalid_type') byField.set('body', 'must be an object of named fields');
    const field = issue.path.length ? issue.path.join('.') : 'body';
    if (!byField.has(field)) byField.set(field, issue.message);
  }
  throw new ValidationError([...byField].map(([field, message]) => ({ field, message })));
}
