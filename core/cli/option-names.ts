import { ValidationError } from '../errors/app-errors';

/** How a command names the fields of its services' input errors: a map, or a function (undefined: keep the field). */
export type OptionNames = Readonly<Record<string, string>> | ((field: string) => string | undefined);

function renamed(names: OptionNames, error: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  const nameOf = (field: string) => (typeof names === 'function' ? names(field) : Object.hasOwn(names, field) ? names[field] : undefined);
  if (!error.fields.some(({ field }) => nameOf(field) !== undefined)) return error;
  return new ValidationError(
    error.fieldTexts.map(({ field, message }) => ({ field: nameOf(field) ?? field, message })),
    error.text,
    { cause: error },
  );
}

/**
 * Runs a command's work (sync or async) with its input errors named by what the user typed.
 * The services name their fields as the pages' forms do (slug, note, q, limit_members); where
 * the command's option is called otherwise (--to, --reason, --search, --limit members) the
 * error names the option. Other fields are left as they are (and still named by their option
 * when it has the field's name).
 */
export function namingOptions<T>(names: OptionNames, work: () => T): T {
  let result: T;
  try {
    result = work();
  } catch (error) {
    throw renamed(names, error);
  }
  if (result instanceof Promise) {
    return result.catch((error: unknown) => {
      throw renamed(names, error);
    }) as T;
  }
  return result;
}
