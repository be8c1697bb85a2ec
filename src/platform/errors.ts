/** The one error type: a stable code, an HTTP status and a message key of the i18n catalogue. */
export class AppError extends Error {
  /** Response headers that belong to the refusal (e.g. Retry-After). */
  headers: Record<string, string> | undefined;

  constructor(
    readonly code: string,
    readonly statusCode: number,
    readonly messageKey: string,
    readonly titleKey: string = 'errors.badRequestTitle',
    readonly vars: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'AppError';
  }
}

export const notFound = () => new AppError('NOT_FOUND', 404, 'errors.notFound', 'errors.notFoundTitle');
export const forbidden = () => new AppError('FORBIDDEN', 403, 'errors.forbidden', 'errors.forbiddenTitle');
/**
 * Too many attempts: 429 with Retry-After, and a message (a plural key taking count) that says in how many
 * minutes to try again.
 */
export function tooManyAttempts(messageKey: string, retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const error = new AppError('RATE_LIMITED', 429, messageKey, 'errors.rateLimitedTitle', { count: Math.ceil(seconds / 60) });
  error.headers = { 'retry-after': String(seconds) };
  return error;
}

export const signInRequired = () => new AppError('SIGN_IN_REQUIRED', 401, 'errors.signInRequired', 'errors.forbiddenTitle');

/** Field-level validation failure: field name → i18n key and its variables. */
export type FieldErrors = Record<string, { key: string; vars?: Record<string, unknown> }>;

/** Thrown by a service when input breaks a rule; the route shows the form again with 422. */
export class FormError extends Error {
  constructor(readonly fields: FieldErrors) {
    super('FORM_INVALID');
    this.name = 'FormError';
  }
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

/** A numeric id from the URL; anything else is a page that does not exist. */
export function idParam(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw notFound();
  return Number(value);
}
