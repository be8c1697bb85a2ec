import { KEPT, REMOVED } from './consequences.js';
import type { ViewContext } from '../../platform/views/context.js';
import { Checkbox, ErrorSummary, Form, Submit, TextField, type FormState } from '../../platform/views/forms.js';

/** What a deletion removes and what stays, said before the person decides; shared with the administrators' page. */
export function DeletionConsequences({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  const removed = REMOVED.map((k) => t(`ownData.removedItems.${k}`));
  const kept = KEPT.map((k) => t(`ownData.keptItems.${k}`));
  return (
    <>
      <h2>{t('ownData.removedTitle')}</h2>
      <ul>{removed.map((item) => <li>{item}</li>)}</ul>
      <h2>{t('ownData.keptTitle')}</h2>
      <ul>{kept.map((item) => <li>{item}</li>)}</ul>
    </>
  );
}

export function DeleteAccountPage({ ctx, form, hasPassword }: { ctx: ViewContext; form: FormState; hasPassword: boolean }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('ownData.deleteTitle')}</h1>
      <p class="lead">{t('ownData.deleteIntro')}</p>
      <ErrorSummary ctx={ctx} form={form} />
      <DeletionConsequences ctx={ctx} />
      <p>{t('ownData.exportFirst')} <a href="/profil/daten.json" download>{t('ownData.exportLink')}</a></p>
      <Form ctx={ctx} action="/profil/konto-loeschen">
        {hasPassword && (
          <>
            <input type="text" name="username" value={ctx.user?.email ?? ''} autocomplete="username" hidden aria-hidden="true" tabIndex={-1} readOnly />
            <TextField ctx={ctx} form={form} name="password" type="password" label={t('ownData.currentPassword')} required autocomplete="current-password" />
          </>
        )}
        <Checkbox ctx={ctx} form={form} name="confirm" label={t('ownData.confirm')} required />
        <Submit label={t('ownData.deleteSubmit')} />
      </Form>
      <p><a href="/profil">{t('ownData.keepAccount')}</a></p>
    </>
  );
}

export function AccountDeletedPage({ ctx }: { ctx: ViewContext }) {
  return (<><h1>{ctx.t('ownData.deletedTitle')}</h1><p class="lead" role="status">{ctx.t('ownData.deleted')}</p></>);
}
