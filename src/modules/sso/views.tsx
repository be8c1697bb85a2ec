import type { SignOnProvider } from '../../platform/config.js';
import type { ViewContext } from '../../platform/views/context.js';

/** Why a sign-in through a provider failed, with the ways on. */
export function SignOnFailedPage({ ctx, message, provider, passwordSignIn }: { ctx: ViewContext; message: string; provider: SignOnProvider; passwordSignIn: boolean }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('sso.failedTitle')}</h1>
      <div class="error-summary" role="alert" tabIndex={-1}><p>{message}</p></div>
      <ul class="link-list">
        <li><a href={`/anmelden/sso/${provider.id}`}>{t('sso.tryAgain', { provider: provider.name })}</a></li>
        {passwordSignIn && <li><a href="/anmelden">{t('sso.usePassword')}</a></li>}
      </ul>
    </>
  );
}

