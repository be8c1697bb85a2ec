import type { ViewContext } from '../../platform/views/context.js';
import { ErrorSummary, Form, Submit, TextField, type FormState } from '../../platform/views/forms.js';
import type { TwoFactorStatus } from './two-factor-service.js';

/** The account sections of the profile page: password, e-mail address, two-factor sign-in. */
export function AccountSections({ ctx, status, passwordForm, emailForm }: { ctx: ViewContext; status: TwoFactorStatus; passwordForm: FormState; emailForm: FormState }) {
  const { t } = ctx;
  const username = <input type="text" name="username" value={ctx.user?.email ?? ''} autocomplete="username" hidden aria-hidden="true" tabIndex={-1} readOnly />;
  return (
    <>
      {status.hasPassword && (
        <section aria-labelledby="password-change">
          <h2 id="password-change">{t('accountChange.passwordTitle')}</h2>
          <ErrorSummary ctx={ctx} form={passwordForm} idPrefix="pw-" />
          <Form ctx={ctx} action="/profil/passwort">
            {username}
            <TextField ctx={ctx} form={passwordForm} idPrefix="pw-" name="currentPassword" type="password" label={t('accountChange.currentPassword')} required autocomplete="current-password" />
            <TextField ctx={ctx} form={passwordForm} idPrefix="pw-" name="password" type="password" label={t('accountChange.newPassword')} hint={t('accountSecurity.passwordHint')} required autocomplete="new-password" />
            <TextField ctx={ctx} form={passwordForm} idPrefix="pw-" name="passwordRepeat" type="password" label={t('accountChange.newPasswordRepeat')} required autocomplete="new-password" />
            <Submit label={t('accountChange.passwordSubmit')} />
          </Form>
        </section>
      )}
      <section aria-labelledby="email-change">
        <h2 id="email-change">{t('accountChange.emailTitle')}</h2>
        <p>{t('accountChange.emailIntro', { email: ctx.user?.email ?? '' })}</p>
        <ErrorSummary ctx={ctx} form={emailForm} idPrefix="em-" />
        <Form ctx={ctx} action="/profil/e-mail">
          <TextField ctx={ctx} form={emailForm} idPrefix="em-" name="email" type="email" label={t('accountChange.newEmail')} required maxLength={254} autocomplete="email" />
          {status.hasPassword && <TextField ctx={ctx} form={emailForm} idPrefix="em-" name="currentPassword" type="password" label={t('accountChange.currentPassword')} required autocomplete="current-password" />}
          <Submit label={t('accountChange.emailSubmit')} />
        </Form>
      </section>
      {status.hasPassword && (
        <section aria-labelledby="two-factor">
          <h2 id="two-factor">{t('twoFactor.title')}</h2>
          <p>{status.enabled ? t('twoFactor.statusOn') : t('twoFactor.statusOff')}</p>
          <p><a href="/profil/zwei-faktor">{status.enabled ? t('twoFactor.manageLink') : t('twoFactor.setupLink')}</a></p>
        </section>
      )}
    </>
  );
}

/** The page the link in the mail opens: one button confirms the new address. */
export function ConfirmEmailPage({ ctx, newEmail, token }: { ctx: ViewContext; newEmail: string; token: string }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('accountChange.confirmTitle')}</h1>
      <p class="lead">{t('accountChange.confirmIntro', { email: newEmail })}</p>
      <Form ctx={ctx} action={`/e-mail-bestaetigen/${token}`}>
        <Submit label={t('accountChange.confirmSubmit')} />
      </Form>
    </>
  );
}
