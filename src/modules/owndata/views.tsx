import { KEPT, REMOVED } from './consequences.js';
import { FRESH_SIGN_IN_MS, type DeletionProof } from './service.js';
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

/**
 * Where a person without a password signs in again: the provider is asked to authenticate them anew (erneut=1),
 * and its return leads back to the deletion page.
 */
const SIGN_IN_AGAIN_QUERY = '?weiter=/profil/konto-loeschen&erneut=1';

/** An account without a password and no recent sign-in: one link per provider the account is connected with. */
function SignInAgain({ ctx, providers }: { ctx: ViewContext; providers: { id: string; name: string }[] }) {
  const { t } = ctx;
  return (
    <section class="notice" aria-labelledby="sign-in-again-title">
      <h2 id="sign-in-again-title">{t('ownData.signInAgainTitle')}</h2>
      <p>{t('ownData.signInAgainHint', { minutes: FRESH_SIGN_IN_MS / 60_000 })}</p>
      {providers.length > 0
        ? <ul>{providers.map((p) => <li><a class="button" href={`/anmelden/sso/${encodeURIComponent(p.id)}${SIGN_IN_AGAIN_QUERY}`}>{t('ownData.signInAgainWith', { provider: p.name })}</a></li>)}</ul>
        : <p>{t('ownData.signInAgainNoProvider')} <a href="/passwort-vergessen">{t('ownData.signInAgainSetPassword')}</a></p>}
    </section>
  );
}

export function DeleteAccountPage({ ctx, form, proof }: { ctx: ViewContext; form: FormState; proof: DeletionProof }) {
  const { t } = ctx;
  const hasPassword = proof.kind === 'password';
  return (
    <>
      <h1>{t('ownData.deleteTitle')}</h1>
      <p class="lead">{t('ownData.deleteIntro')}</p>
      <ErrorSummary ctx={ctx} form={form} />
      <DeletionConsequences ctx={ctx} />
      <p>{t('ownData.exportFirst')} <a href="/profil/daten.json" download>{t('ownData.exportLink')}</a></p>
      {proof.kind === 'signInAgain' ? <SignInAgain ctx={ctx} providers={proof.providers} /> : <Form ctx={ctx} action="/profil/konto-loeschen">
        {hasPassword && (
          <>
            <input type="text" name="username" value={ctx.user?.email ?? ''} autocomplete="username" hidden aria-hidden="true" tabIndex={-1} readOnly />
            <TextField ctx={ctx} form={form} name="password" type="password" label={t('ownData.currentPassword')} required autocomplete="current-password" />
          </>
        )}
        <Checkbox ctx={ctx} form={form} name="confirm" label={t('ownData.confirm')} required />
        <Submit label={t('ownData.deleteSubmit')} />
      </Form>}
      <p><a href="/profil">{t('ownData.keepAccount')}</a></p>
    </>
  );
}

export function AccountDeletedPage({ ctx }: { ctx: ViewContext }) {
  return (<><h1>{ctx.t('ownData.deletedTitle')}</h1><p class="lead" role="status">{ctx.t('ownData.deleted')}</p></>);
}
