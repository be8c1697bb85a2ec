import type { ViewContext } from '../../platform/views/context.js';
import { Checkbox, ErrorSummary, Form, Submit, TextField, type FormState } from '../../platform/views/forms.js';
import type { TwoFactorSetup, TwoFactorStatus } from './two-factor-service.js';

/** The secret in groups of four, easier to type into an app by hand. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)!.join(' ');

/** The setup: scan the QR code or type the secret, then confirm with a code from the app. */
export function TwoFactorSetupPage({ ctx, setup, form, required }: { ctx: ViewContext; setup: TwoFactorSetup; form: FormState; required: boolean }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('twoFactor.title')}</h1>
      {required && <p class="notice" role="status">{t('twoFactor.requiredNotice')}</p>}
      <p class="lead">{t('twoFactor.setupIntro')}</p>
      <ErrorSummary ctx={ctx} form={form} />
      <h2>{t('twoFactor.scanTitle')}</h2>
      <p>{t('twoFactor.scanText')}</p>
      <figure class="qr-code">
        {/* The SVG comes from the qrcode package: paths and attributes only, no scripts or inline styles. */}
        <div role="img" aria-label={t('twoFactor.qrLabel')} dangerouslySetInnerHTML={{ __html: setup.qrSvg }} />
      </figure>
      <p>{t('twoFactor.manualText')}</p>
      <p>{t('twoFactor.secretLabel')}: <code class="secret" id="two-factor-secret">{grouped(setup.secret)}</code></p>
      <h2>{t('twoFactor.confirmTitle')}</h2>
      <Form ctx={ctx} action="/profil/zwei-faktor">
        <TextField ctx={ctx} form={form} name="code" label={t('twoFactor.codeLabel')} hint={t('twoFactor.codeHint')} required maxLength={40} autocomplete="one-time-code" />
        <Submit label={t('twoFactor.confirmSubmit')} />
      </Form>
    </>
  );
}

/** The recovery codes, shown this once after setup. */
export function RecoveryCodesPage({ ctx, codes, renewed = false }: { ctx: ViewContext; codes: string[]; renewed?: boolean }) {
  const { t } = ctx;
  return (
    <>
      <h1>{renewed ? t('twoFactor.renewedTitle') : t('twoFactor.enabledTitle')}</h1>
      <p class="lead" role="status">{renewed ? t('twoFactor.renewedText') : t('twoFactor.enabledText')}</p>
      <section class="card" aria-labelledby="recovery-title">
        <h2 id="recovery-title">{t('twoFactor.recoveryTitle')}</h2>
        <p>{t('twoFactor.recoveryOnce')}</p>
        <ul class="recovery-codes">{codes.map((code) => <li><code>{code}</code></li>)}</ul>
      </section>
      <p><a class="button" href="/profil">{t('twoFactor.continue')}</a></p>
    </>
  );
}

/** Two-factor sign-in is on: how many recovery codes are left, new ones, and the form to turn it off. */
export function TwoFactorEnabledPage({ ctx, status, disableForm, renewForm, required }: { ctx: ViewContext; status: TwoFactorStatus; disableForm: FormState; renewForm: FormState; required: boolean }) {
  const { t } = ctx;
  const username = <input type="text" name="username" value={ctx.user?.email ?? ''} autocomplete="username" hidden aria-hidden="true" tabIndex={-1} readOnly />;
  const fields = (form: FormState, idPrefix: string) => (
    <>
      {username}
      <TextField ctx={ctx} form={form} idPrefix={idPrefix} name="currentPassword" type="password" label={t('accountChange.currentPassword')} required autocomplete="current-password" />
      <TextField ctx={ctx} form={form} idPrefix={idPrefix} name="code" label={t('twoFactor.codeLabel')} hint={t('twoFactor.codeOrRecoveryHint')} required maxLength={40} autocomplete="one-time-code" />
    </>
  );
  return (
    <>
      <h1>{t('twoFactor.title')}</h1>
      <p class="lead">{t('twoFactor.statusOn')}</p>
      <h2>{t('twoFactor.renewTitle')}</h2>
      <p>{t('twoFactor.recoveryLeft', { count: status.recoveryCodesLeft })} {t('twoFactor.renewText')}</p>
      <ErrorSummary ctx={ctx} form={renewForm} idPrefix="rc-" />
      <Form ctx={ctx} action="/profil/zwei-faktor/neue-codes">
        {fields(renewForm, 'rc-')}
        <Submit label={t('twoFactor.renewSubmit')} />
      </Form>
      <h2>{t('twoFactor.disableTitle')}</h2>
      {required ? <p>{t('twoFactor.requiredCannotDisable')}</p> : (
        <>
          <p>{t('twoFactor.disableText')}</p>
          <ErrorSummary ctx={ctx} form={disableForm} idPrefix="off-" />
          <Form ctx={ctx} action="/profil/zwei-faktor/ausschalten">
            {fields(disableForm, 'off-')}
            <Submit label={t('twoFactor.disableSubmit')} />
          </Form>
        </>
      )}
    </>
  );
}

/** The second step of signing in. */
export function SecondStepPage({ ctx, form }: { ctx: ViewContext; form: FormState }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('twoFactor.signInTitle')}</h1>
      <p class="lead">{t('twoFactor.signInIntro')}</p>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action="/anmelden/code">
        <TextField ctx={ctx} form={form} name="code" label={t('twoFactor.codeLabel')} hint={t('twoFactor.codeOrRecoveryHint')} required maxLength={40} autocomplete="one-time-code" />
        <Submit label={t('twoFactor.signInSubmit')} />
      </Form>
      <p><a href="/anmelden">{t('twoFactor.signInAgain')}</a></p>
    </>
  );
}

/** The administration's setting: two-factor sign-in required for administrators and moderators. */
export function RequirementPage({ ctx, required }: { ctx: ViewContext; required: boolean }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('twoFactor.adminTitle')}</h1>
      <p class="lead">{t('twoFactor.adminIntro')}</p>
      <Form ctx={ctx} action="/verwaltung/sicherheit">
        <Checkbox ctx={ctx} form={{ values: {}, errors: {} }} name="required" label={t('twoFactor.adminRequire')} hint={t('twoFactor.adminRequireHint')} checked={required} />
        <Submit label={t('common.save')} />
      </Form>
    </>
  );
}
