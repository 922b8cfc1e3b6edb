import type { z } from 'zod';
import { ValidationError } from '../errors/app-errors';

/** Parses untrusted input with a zod schema; failures become a 400 naming each field and its reason. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : 'input',
    message: issue.message,
  }));
  throw new ValidationError(fields);
}
