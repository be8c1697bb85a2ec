import { z } from 'zod';
import { FormError, type FieldErrors } from './errors.js';

/** Raw form body: every value a string (or several, for repeated fields). */
export type FormBody = Record<string, string | string[] | undefined>;

/** Trims a form value; repeated fields keep the last one. */
export function field(body: unknown, name: string): string {
  const value = (body as FormBody | undefined)?.[name];
  const one = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof one === 'string' ? one.trim() : '';
}

export const text = (max: number) => z.string().trim().min(1).max(max);
export const optionalText = (max: number) => z.string().trim().max(max).default('');
export const email = () => z.string().trim().min(1).max(254).pipe(z.email());
export const password = () => z.string().min(10).max(200);

/**
 * Validates a form with a zod schema and turns its issues into catalogue keys,
 * so every message reaches the user in their language with the field's label.
 */
export function parseForm<S extends z.ZodType>(schema: S, values: unknown, labels: Record<string, string>): z.infer<S> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? '_');
    if (fields[name]) continue;
    const label = labels[name] ?? name;
    fields[name] = issueToMessage(issue, label);
  }
  throw new FormError(fields);
}

function issueToMessage(issue: z.core.$ZodIssue, label: string): { key: string; vars?: Record<string, unknown> } {
  switch (issue.code) {
    case 'too_big':
      return { key: 'validation.tooLong', vars: { field: label, max: Number(issue.maximum) } };
    case 'too_small':
      return Number(issue.minimum) <= 1
        ? { key: 'validation.required', vars: { field: label } }
        : { key: 'validation.tooShort', vars: { field: label, min: Number(issue.minimum) } };
    case 'invalid_format':
      return issue.format === 'email' ? { key: 'validation.email' } : { key: 'validation.required', vars: { field: label } };
    case 'invalid_value':
    case 'invalid_union':
      return { key: 'validation.choose', vars: { field: label } };
    case 'custom':
      return { key: issue.message, vars: { field: label } };
    default:
      return { key: 'validation.required', vars: { field: label } };
  }
}

/**
 * Runs every check of a form, also after one has failed, and throws one FormError with all the problems found (the
 * first for each field), so that the summary lists them at once instead of one per attempt.
 */
export async function checkEach(...checks: (() => unknown)[]): Promise<void> {
  const fields: FieldErrors = {};
  for (const check of checks) {
    try {
      await check();
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      for (const [name, e] of Object.entries(err.fields)) fields[name] ??= e;
    }
  }
  if (Object.keys(fields).length > 0) throw new FormError(fields);
}
