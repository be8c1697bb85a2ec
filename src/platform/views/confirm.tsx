import type { ConfirmationRequired } from '../confirmation.js';
import { CONFIRM_VALUE } from '../confirmation.js';
import type { ViewContext } from './context.js';
import { Form } from './forms.js';

/**
 * The second page of a step that cannot be undone: what will happen, a button that takes the step (sending
 * the form again, confirmed) and a way back that changes nothing. Works without JavaScript.
 */
export function ConfirmPage({ ctx, request, action, values, back }: {
  ctx: ViewContext; request: ConfirmationRequired; action: string; values: Record<string, string>; back: string;
}) {
  const { t } = ctx;
  return (
    <>
      <h1>{t(request.question.key, request.question.vars ?? {})}</h1>
      <div class="confirmation" role="region" aria-labelledby="confirm-what">
        <h2 id="confirm-what">{t('communityNotices.confirm.whatHappens')}</h2>
        <ul>{request.consequences.map((c) => <li>{t(c.key, c.vars ?? {})}</li>)}</ul>
      </div>
      <Form ctx={ctx} action={action}>
        {Object.entries(values).filter(([name]) => name !== 'confirm').map(([name, value]) => <input type="hidden" name={name} value={value} />)}
        <input type="hidden" name="confirm" value={CONFIRM_VALUE} />
        <div class="actions">
          <button type="submit" class="button">{t(request.button.key, request.button.vars ?? {})}</button>
          {' '}<a href={back}>{t('communityNotices.confirm.cancel')}</a>
        </div>
      </Form>
    </>
  );
}
