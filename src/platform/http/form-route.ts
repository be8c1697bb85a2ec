import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormError } from '../errors.js';
import type { FormState } from '../views/forms.js';

/** The submitted form as plain strings, without the CSRF token. */
export function formValues(request: FastifyRequest): Record<string, string> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf') continue;
    const one = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof one === 'string') values[k] = one;
  }
  return values;
}

/**
 * Runs a form action; on a FormError shows the form again with status 422,
 * the error summary and everything the user typed (passwords excepted).
 */
export async function handleForm(
  request: FastifyRequest,
  reply: FastifyReply,
  action: (values: Record<string, string>) => Promise<FastifyReply | void>,
  showAgain: (form: FormState) => Promise<FastifyReply> | FastifyReply,
): Promise<FastifyReply | void> {
  const values = formValues(request);
  try {
    return await action(values);
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    reply.status(422);
    return showAgain({ values, errors: err.fields });
  }
}
