import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConfirmationRequired, isConfirmed } from '../confirmation.js';
import { ConfirmPage } from '../views/confirm.js';
import type { FormState } from '../views/forms.js';
import { handleForm } from './form-route.js';

/**
 * Runs a form action that may need a confirmation: the action is told whether the form was confirmed; when
 * it asks for a confirmation, the confirmation page is shown (nothing has changed) with a button that sends
 * the same form again, confirmed, and a link back. Refusals (FormError) show the form again as handleForm does.
 */
export function handleConfirmedForm(
  request: FastifyRequest,
  reply: FastifyReply,
  back: string,
  action: (values: Record<string, string>, confirmed: boolean) => Promise<FastifyReply | void>,
  showAgain: (form: FormState) => Promise<FastifyReply> | FastifyReply,
): Promise<FastifyReply | void> {
  return handleForm(request, reply, async (values) => {
    try {
      return await action(values, isConfirmed(values));
    } catch (err) {
      if (!(err instanceof ConfirmationRequired)) throw err;
      return reply.page(request.t(err.question.key, err.question.vars ?? {}),
        <ConfirmPage ctx={reply.view()} request={err} action={request.url} values={values} back={back} />);
    }
  }, showAgain);
}
