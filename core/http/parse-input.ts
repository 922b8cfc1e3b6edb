import { z } from 'zod';
import { ValidationError, type FieldProblem } from '../errors/app-errors';
import { msg } from '../i18n/message';

/** A form's text field: one left out reads as empty (the field's own rules then say it is required). */
export const formText = () => z.string().default('');

/** A JSON body's text field: one left out is "is required", a value of another type "must be text". */
export const jsonText = () => z.string({ error: (issue) => (issue.input === undefined ? msg('is required') : msg('must be text')) });

/** A field a strict body (the REST API's) does not take: named, with those it takes, as a list names an unknown parameter. */
function unknownField(known: readonly string[] | undefined): string {
  return known ? `is not a field of this request (it takes ${known.length ? known.join(', ') : 'none'})` : 'is not a field of this request';
}

/**
 * Parses untrusted input with a zod schema; failures become a 400 naming each field and its reason.
 * A strict schema (z.strictObject, the REST API's bodies) refuses a field it does not take (a typo,
 * `titel`), each named, never silently dropped.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  // One reason per field: the first rule it broke.
  const byField = new Map<string, string>();
  for (const issue of result.error.issues) {
    // The whole input of the wrong shape (a JSON array or a bare value where fields are expected).
    if (!issue.path.length && issue.code === 'invalid_type') byField.set('body', 'must be an object of named fields');
    if (issue.code === 'unrecognized_keys') {
      const known = !issue.path.length && schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
      for (const key of issue.keys) {
        const field = [...issue.path, key.slice(0, 100)].join('.');
        if (!byField.has(field)) byField.set(field, unknownField(known));
      }
      continue;
    }
    const field = issue.path.length ? issue.path.join('.') : 'body';
    if (!byField.has(field)) byField.set(field, issue.message);
  }
  throw new ValidationError([...byField].map(([field, message]) => ({ field, message })));
}

/** The query of a list that takes no parameter (roles, usage): any parameter is refused as on the other lists. */
export const noQuery = z.object({});

/** The body of a REST operation that takes none: a field sent is refused (it takes none); `{}` or no body is fine. */
export const noBody = z.strictObject({});

/**
 * Parses an API list's query string: a parameter the list does not take (`sort`, `page` where a
 * cursor pages) or one given twice is a 400 naming it, never silently ignored (a client paging
 * with `page=2` would read the first page again and again).
 */
export function parseQuery<S extends z.ZodObject>(schema: S, query: Record<string, unknown>): z.infer<S> {
  const problems = queryProblems(Object.keys(schema.shape), query, 'list');
  if (problems.length) throw new ValidationError(problems);
  return parseInput(schema, query);
}

/** The parameters of a query string that a list (or another request) does not take, or that are given twice, each named. */
export function queryProblems(known: readonly string[], query: Record<string, unknown>, of: 'list' | 'request'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (!known.includes(name))
      problems.push({ field: name.slice(0, 100), message: `is not a parameter of this ${of} (it takes ${known.length ? known.join(', ') : 'none'})` });
    else if (Array.isArray(value)) problems.push({ field: name, message: 'may be given once' });
  }
  return problems;
}

/**
 * The REST API's body for a command that parses its input itself, with the console's forms (which
 * also carry their CSRF token): a field the command does not take is a 400 naming it, as a strict
 * schema refuses it; the body goes on as sent. Document the body as `schema.strict()`.
 */
export function onlyKnownFields(schema: z.ZodObject, body: unknown): unknown {
  return onlyFieldsNamed(Object.keys(schema.shape), body);
}

/**
 * The same for a body whose fields are named by a list (a multipart form's text fields and file):
 * a field not in `known` is a 400 naming it, with those the request takes. `alsoTaken` are fields
 * it lets pass without naming them among those it takes (the CSRF token a form may carry).
 */
export function onlyFieldsNamed(known: readonly string[], body: unknown, alsoTaken: readonly string[] = []): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const unknown = Object.keys(body).filter((name) => !known.includes(name) && !alsoTaken.includes(name));
  if (unknown.length) throw new ValidationError(unknown.map((name) => unknownFieldProblem(name, known)));
  return body;
}

/** A field a request does not take, as `onlyFieldsNamed` refuses it (a multipart file sent under another name). */
export function unknownFieldProblem(name: string, known: readonly string[]): FieldProblem {
  return { field: name.slice(0, 100), message: unknownField(known) };
}
