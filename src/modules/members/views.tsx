import type { ComponentChildren } from 'preact';
import type { ViewContext } from '../../platform/views/context.js';
import { KEPT, REMOVED } from '../owndata/consequences.js';
import { Checkbox, ErrorSummary, Form, Select, Submit, TextArea, TextField, type FormState } from '../../platform/views/forms.js';
import { formatDateTime, languages } from '../../platform/i18n/index.js';
import { MissingLegalPages, withLink } from '../legal/views.js';
import type { LegalSlug } from '../legal/service.js';
import type { SignOnProvider } from '../../platform/config.js';
import type { accountFor, accountList, memberDirectory, openInvitations, pendingJoinRequests } from './service.js';
import type { SignOnLink } from '../sso/service.js';
import { ScrollRegion } from '../../platform/views/scroll-region.js';

export type Option = { value: string; label: string; group?: string };

/** The organisation select with its "andere" choice and free-text name. */
export function OrganisationFields({ ctx, form, options }: { ctx: ViewContext; form: FormState; options: Option[] }) {
  const { t } = ctx;
  return (
    <>
      <Select ctx={ctx} form={form} name="organisation" label={t('fields.organisation')} required placeholder={t('fields.organisationChoose')}
        options={[...options, { value: 'andere', label: t('fields.organisationOtherOption'), group: t('kinds.andere') }]} />
      <TextField ctx={ctx} form={form} name="organisationOther" label={t('fields.organisationOther')} maxLength={200}
        hint={t('fields.organisationOtherHint')} />
    </>
  );
}

export function JoinPage({ ctx, form, options, signOnProvider }: { ctx: ViewContext; form: FormState; options: Option[]; signOnProvider?: string }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('join.title')}</h1>
      <p class="lead">{t('join.intro', { community: ctx.communityName, region: ctx.regionName })}</p>
      {signOnProvider && <p role="status">{t('sso.joinNotice', { provider: signOnProvider })}</p>}
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action="/mitmachen">
        <TextField ctx={ctx} form={form} name="name" label={t('fields.name')} required maxLength={120} autocomplete="name" />
        <TextField ctx={ctx} form={form} name="email" type="email" label={t('fields.email')} required maxLength={254} autocomplete="email" />
        <OrganisationFields ctx={ctx} form={form} options={options} />
        <TextField ctx={ctx} form={form} name="jobFunction" label={t('fields.jobFunction')} hint={t('fields.jobFunctionHint')} required maxLength={120} autocomplete="organization-title" />
        <TextArea ctx={ctx} form={form} name="message" label={t('fields.message')} hint={t('fields.messageHint')} maxLength={2000} />
        <Checkbox ctx={ctx} form={form} name="consent" label={withLink(t('legalGate.consent'), '/datenschutz')} required />
        <Submit label={t('join.submit')} />
      </Form>
    </>
  );
}

/** In place of the join form until the imprint and the privacy notice are published. */
export function JoinClosedPage({ ctx, missing }: { ctx: ViewContext; missing: LegalSlug[] }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('join.title')}</h1>
      <p class="lead">{t('legalGate.closed')}</p>
      {ctx.can('legal.edit') && <MissingLegalPages ctx={ctx} missing={missing} />}
    </>
  );
}

export function JoinThanks({ ctx }: { ctx: ViewContext }) {
  return (<><h1>{ctx.t('join.thanksTitle')}</h1><p class="lead" role="status">{ctx.t('join.thanks')}</p></>);
}

export function SignInPage({ ctx, form, next, failed, providers = [], passwordSignIn = true }: {
  ctx: ViewContext; form: FormState; next: string; failed: boolean | 'deactivated'; providers?: SignOnProvider[]; passwordSignIn?: boolean;
}) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('auth.signInTitle')}</h1>
      {failed && <div class="error-summary" role="alert" tabIndex={-1}><p>{t(failed === 'deactivated' ? 'accountAdmin.signInDeactivated' : 'auth.invalid')}</p></div>}
      <SignOnButtons ctx={ctx} providers={providers} next={next} />
      {passwordSignIn ? (
        <>
          {providers.length > 0 && <p>{t('sso.orPassword')}</p>}
          <Form ctx={ctx} action="/anmelden">
            <input type="hidden" name="weiter" value={next} />
            <TextField ctx={ctx} form={form} name="email" type="email" label={t('fields.email')} required autocomplete="username" />
            <TextField ctx={ctx} form={form} name="password" type="password" label={t('fields.password')} required autocomplete="current-password" />
            <Submit label={t('auth.signInSubmit')} />
          </Form>
          <p><a href="/passwort-vergessen">{t('auth.forgot')}</a></p>
        </>
      ) : <p>{t('sso.passwordOff')}</p>}
    </>
  );
}

export function ForgotPage({ ctx, form, sent }: { ctx: ViewContext; form: FormState; sent: boolean }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('auth.forgotTitle')}</h1>
      {sent ? <p class="lead" role="status">{t('auth.forgotSent', { hours: 2 })}</p> : (
        <>
          <p class="lead">{t('auth.forgotIntro')}</p>
          <ErrorSummary ctx={ctx} form={form} />
          <Form ctx={ctx} action="/passwort-vergessen">
            <TextField ctx={ctx} form={form} name="email" type="email" label={t('fields.email')} required autocomplete="email" />
            <Submit label={t('auth.forgotSubmit')} />
          </Form>
        </>
      )}
    </>
  );
}

export function SetPasswordPage({ ctx, form, email, token }: { ctx: ViewContext; form: FormState; email: string; token: string }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('auth.setPasswordTitle')}</h1>
      <p class="lead">{t('auth.setPasswordIntro', { email })}</p>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action={`/passwort-setzen/${token}`}>
        <input type="text" name="username" value={email} autocomplete="username" hidden aria-hidden="true" tabIndex={-1} readOnly />
        <TextField ctx={ctx} form={form} name="password" type="password" label={t('fields.password')} hint={t('accountSecurity.passwordHint')} required autocomplete="new-password" />
        <TextField ctx={ctx} form={form} name="passwordRepeat" type="password" label={t('fields.passwordRepeat')} required autocomplete="new-password" />
        <Submit label={t('auth.setPasswordSubmit')} />
      </Form>
    </>
  );
}

/**
 * The profile form; children: further sections of the page (the account's password, address, second factor);
 * signOnLinks: the account's links to sign-in services, null where single sign-on is not in use.
 */
export function ProfilePage({ ctx, form, children, signOnLinks = null }: { ctx: ViewContext; form: FormState; children?: ComponentChildren; signOnLinks?: SignOnLink[] | null }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('profile.title')}</h1>
      <p>{t('profile.organisation', { name: ctx.user?.organisationName ?? '' })} · {ctx.user?.email}</p>
      <p><a href="/profil/tokens">{t('profile.tokensLink')}</a></p>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action="/profil">
        <TextField ctx={ctx} form={form} name="name" label={t('fields.name')} required maxLength={120} autocomplete="name" />
        <TextField ctx={ctx} form={form} name="jobFunction" label={t('fields.jobFunction')} hint={t('fields.jobFunctionHint')} maxLength={120} />
        <TextField ctx={ctx} form={form} name="expertise" label={t('fields.expertise')} hint={t('fields.expertiseHint')} maxLength={500} />
        <Checkbox ctx={ctx} form={form} name="notifyEmail" label={t('fields.notifyEmail')} />
        <Select ctx={ctx} form={form} name="language" label={t('memberLanguage.field')} hint={t('memberLanguage.hint')} required
          options={languages.map((lang) => ({ value: lang, label: t(`memberLanguage.options.${lang}`) }))} />
        <Submit label={t('common.save')} />
      </Form>
      {signOnLinks && <ProfileSignOnLinks ctx={ctx} links={signOnLinks} />}
      {children}
      <section aria-labelledby="own-data">
        <h2 id="own-data">{t('ownData.profileSection')}</h2>
        <p>{t('ownData.exportHint')}</p>
        <ul class="link-list">
          <li><a href="/profil/daten.json" download>{t('ownData.exportLink')}</a></li>
          <li><a href="/profil/konto-loeschen">{t('ownData.deleteLink')}</a></li>
        </ul>
      </section>
    </>
  );
}

export function DirectoryPage({ ctx, rows }: { ctx: ViewContext; rows: Awaited<ReturnType<typeof memberDirectory>> }) {
  const { t } = ctx;
  const orgs = new Set(rows.map((r) => r.organisation_slug)).size;
  return (
    <>
      <h1>{t('directory.title')}</h1>
      <p class="lead">{t('directory.intro', { count: rows.length, organisations: t('reflow.organisations', { count: orgs }) })}</p>
      {rows.length === 0 ? <p>{t('directory.empty')}</p> : (
        <table class="table">
          <caption class="visually-hidden">{t('directory.title')}</caption>
          <thead><tr>
            <th scope="col">{t('directory.colName')}</th><th scope="col">{t('directory.colFunction')}</th>
            <th scope="col">{t('directory.colOrganisation')}</th><th scope="col">{t('directory.colExpertise')}</th>
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">{r.name}</th>
                <td>{r.job_function || t('common.none')}</td>
                <td><a href={`/organisationen/${r.organisation_slug}`}>{r.organisation_name}</a></td>
                <td>{r.expertise.length ? r.expertise.join(', ') : t('common.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

type PendingRow = Awaited<ReturnType<typeof pendingJoinRequests>>[number];

/** How long something has been waiting, in whole days: "seit heute", "seit 3 Tagen". */
export function waitingSince(ctx: ViewContext, iso: string, now = Date.now()): string {
  const days = Math.max(0, Math.floor((now - Date.parse(iso)) / 86_400_000));
  return days === 0 ? ctx.t('accountAdmin.ageToday') : ctx.t('accountAdmin.ageDays', { count: days });
}

type InvitationRow = Awaited<ReturnType<typeof openInvitations>>[number];

function OpenInvitations({ ctx, rows }: { ctx: ViewContext; rows: InvitationRow[] }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="open-invitations">
      <h2 id="open-invitations">{t('accountAdmin.openTitle')}</h2>
      {rows.length === 0 ? <p>{t('accountAdmin.openEmpty')}</p> : (
        <>
          <p>{t('accountAdmin.openIntro')}</p>
          <table class="table">
            <caption class="visually-hidden">{t('accountAdmin.openTitle')}</caption>
            <thead><tr><th scope="col">{t('directory.colName')}</th><th scope="col">{t('fields.email')}</th><th scope="col">{t('directory.colOrganisation')}</th><th scope="col">{t('accountAdmin.colInvited')}</th><th scope="col">{t('accountAdmin.invitationTitle')}</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <th scope="row"><a href={`/verwaltung/konten/${r.id}`}>{r.name}</a></th>
                  <td>{r.email}</td>
                  <td>{r.organisation_name}</td>
                  <td><time datetime={r.invited_at ?? r.created_at}>{waitingSince(ctx, r.invited_at ?? r.created_at)}</time></td>
                  <td>
                    <Form ctx={ctx} action={`/verwaltung/konten/${r.id}/einladung`} class="inline-form">
                      <input type="hidden" name="zurueck" value="anfragen" />
                      <button type="submit" class="button-small">{t('accountAdmin.resendInvitation')}<span class="visually-hidden">: {r.name}</span></button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

export function JoinQueuePage({ ctx, rows, forms, invitations }: { ctx: ViewContext; rows: PendingRow[]; forms: Record<number, FormState>; invitations: InvitationRow[] }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('admin.requestsTitle')}</h1>
      {Object.entries(forms).map(([id, form]) => <ErrorSummary ctx={ctx} form={form} idPrefix={`r${id}-`} />)}
      {rows.length === 0 ? <p>{t('admin.requestsEmpty')}</p> : rows.map((r) => {
        const form = forms[r.id] ?? { values: {}, errors: {} };
        return (
          <section class="card" aria-labelledby={`req-${r.id}`}>
            <h2 id={`req-${r.id}`}>{r.name}</h2>
            <dl class="facts">
              <dt>{t('fields.email')}</dt><dd>{r.email}</dd>
              <dt>{t('fields.organisation')}</dt><dd>{r.organisation_name ?? `${r.organisation_other} (${t('kinds.andere')})`}</dd>
              <dt>{t('fields.jobFunction')}</dt><dd>{r.job_function}</dd>
              <dt>{t('admin.colRequested')}</dt><dd>{formatDateTime(r.created_at, ctx.lang)} (<time datetime={r.created_at}>{waitingSince(ctx, r.created_at)}</time>)</dd>
            </dl>
            {r.message && <blockquote class="prewrap">{r.message}</blockquote>}
            <Form ctx={ctx} action={`/verwaltung/anfragen/${r.id}/annehmen`} class="inline-actions">
              <button type="submit" class="button">{t('admin.approve')}<span class="visually-hidden">: {r.name}</span></button>
            </Form>
            <Form ctx={ctx} action={`/verwaltung/anfragen/${r.id}/ablehnen`}>
              <TextArea ctx={ctx} form={form} idPrefix={`r${r.id}-`} name="reason" label={`${t('fields.reason')} (${r.name})`} hint={t('fields.reasonHint')} rows={2} maxLength={2000} />
              <button type="submit" class="button button-secondary">{t('admin.reject')}<span class="visually-hidden">: {r.name}</span></button>
            </Form>
          </section>
        );
      })}
      <OpenInvitations ctx={ctx} rows={invitations} />
    </>
  );
}

export function InvitePage({ ctx, form, options }: { ctx: ViewContext; form: FormState; options: Option[] }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('admin.inviteTitle')}</h1>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action="/verwaltung/einladen">
        <TextField ctx={ctx} form={form} name="name" label={t('fields.name')} required maxLength={120} />
        <TextField ctx={ctx} form={form} name="email" type="email" label={t('fields.email')} required maxLength={254} />
        <OrganisationFields ctx={ctx} form={form} options={options} />
        <TextField ctx={ctx} form={form} name="jobFunction" label={t('fields.jobFunction')} maxLength={120} />
        <Select ctx={ctx} form={{ ...form, values: { role: 'member', ...form.values } }} name="role" label={t('fields.role')} required
          options={(['member', 'moderator', 'admin'] as const).map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        <Submit label={t('admin.inviteSubmit')} />
      </Form>
    </>
  );
}

/** signOnLinks: every account's links to sign-in services; null where single sign-on is not in use. */
export function AccountsPage({ ctx, rows, error, signOnLinks = null }: {
  ctx: ViewContext; rows: Awaited<ReturnType<typeof accountList>>; error?: { userId: number; message: string }; signOnLinks?: SignOnLink[] | null;
}) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('admin.usersTitle')}</h1>
      {error && <div class="error-summary" role="alert" tabIndex={-1}><p>{error.message}</p></div>}
      <ScrollRegion label={t('reflow.scrollTable', { name: t('admin.usersTitle') })}><table class="table">
        <caption class="visually-hidden">{t('admin.usersTitle')}</caption>
        <thead><tr><th scope="col">{t('directory.colName')}</th><th scope="col">{t('fields.email')}</th><th scope="col">{t('directory.colOrganisation')}</th><th scope="col">{t('accountAdmin.colStatus')}</th><th scope="col">{t('fields.role')}</th>{signOnLinks && <th scope="col">{t('sso.adminColumn')}</th>}</tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row"><a href={`/verwaltung/konten/${r.id}`} aria-label={t('accountAdmin.manageLabel', { name: r.name })}>{r.name}</a></th>
              <td>{r.email}</td>
              <td>{r.organisation_name}</td>
              <td>{t(`accountAdmin.status.${r.status}`)}</td>
              <td>
                <Form ctx={ctx} action={`/verwaltung/konten/${r.id}/rolle`} class="inline-form">
                  <label for={`role-${r.id}`} class="visually-hidden">{t('fields.role')} {r.name}</label>
                  <select id={`role-${r.id}`} name="role">
                    {(['member', 'moderator', 'admin'] as const).map((role) => <option value={role} selected={r.role === role}>{t(`roles.${role}`)}</option>)}
                  </select>
                  <button type="submit" class="button-small">{t('common.save')}<span class="visually-hidden">: {r.name}</span></button>
                </Form>
              </td>
              {signOnLinks && <td><AdminSignOnLinks ctx={ctx} userId={r.id} userName={r.name} links={signOnLinks.filter((l) => l.user_id === r.id)} /></td>}
            </tr>
          ))}
        </tbody>
      </table></ScrollRegion>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Single sign-on on the members' pages

/** The buttons of the sign-in page: plain links, one per provider. */
export function SignOnButtons({ ctx, providers, next }: { ctx: ViewContext; providers: SignOnProvider[]; next: string }) {
  if (providers.length === 0) return null;
  const query = next !== '/' ? `?weiter=${encodeURIComponent(next)}` : '';
  return (
    <ul class="link-list sso-buttons">
      {providers.map((p) => <li><a class="button" href={`/anmelden/sso/${p.id}${query}`}>{ctx.t('sso.signInWith', { name: p.name })}</a></li>)}
    </ul>
  );
}

/** After signing out: offers to end the session at the provider too. */
export function SignedOutPage({ ctx, providerName, url }: { ctx: ViewContext; providerName: string; url: string }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('sso.signedOutTitle')}</h1>
      <p class="lead" role="status">{t('sso.signedOut')}</p>
      <p>{t('sso.providerStillSignedIn', { provider: providerName })}</p>
      <ul class="link-list">
        <li><a class="button" href={url}>{t('sso.providerSignOut', { provider: providerName })}</a></li>
        <li><a href="/">{t('sso.toHome')}</a></li>
      </ul>
    </>
  );
}

/** The links of one's own account, on the profile. */
export function ProfileSignOnLinks({ ctx, links }: { ctx: ViewContext; links: SignOnLink[] }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="sso-links">
      <h2 id="sso-links">{t('sso.profileHeading')}</h2>
      {links.length === 0 ? <p>{t('sso.profileNone')}</p> : (
        <ul>{links.map((l) => <li>{t('sso.profileLinked', { provider: l.providerName, email: l.email, date: formatDateTime(l.created_at, ctx.lang) })}</li>)}</ul>
      )}
    </section>
  );
}

/** The links of one account in the administrators' account list, each with a button that removes it. */
export function AdminSignOnLinks({ ctx, userId, userName, links }: { ctx: ViewContext; userId: number; userName: string; links: SignOnLink[] }) {
  const { t } = ctx;
  if (links.length === 0) return <>{t('common.none')}</>;
  return (
    <>
      {links.map((l) => (
        <Form ctx={ctx} action={`/verwaltung/konten/${userId}/sso/${l.provider}/entfernen`} class="inline-form">
          <span>{l.providerName} ({l.email})</span>{' '}
          <button type="submit" class="button-small">{t('sso.adminUnlink')}<span class="visually-hidden">: {userName}, {l.providerName}</span></button>
        </Form>
      ))}
    </>
  );
}

/** One account: its status, organisation, invitation, and deletion. */
export function AccountPage({ ctx, account, options, forms }: {
  ctx: ViewContext; account: Awaited<ReturnType<typeof accountFor>>; options: Option[];
  forms: { status?: FormState; organisation?: FormState; invitation?: FormState; deletion?: FormState };
}) {
  const { t } = ctx;
  const base = `/verwaltung/konten/${account.id}`;
  const empty = { values: {}, errors: {} };
  return (
    <>
      <h1>{t('accountAdmin.accountTitle', { name: account.name })}</h1>
      {Object.entries(forms).map(([key, form]) => form && <ErrorSummary ctx={ctx} form={form} idPrefix={`${key}-`} />)}
      <dl class="facts">
        <dt>{t('fields.email')}</dt><dd>{account.email}</dd>
        <dt>{t('directory.colOrganisation')}</dt><dd>{account.organisation_name}</dd>
        <dt>{t('fields.role')}</dt><dd>{t(`roles.${account.role}`)}</dd>
        <dt>{t('accountAdmin.colStatus')}</dt><dd>{t(`accountAdmin.status.${account.status}`)}</dd>
        <dt>{t('accountAdmin.since')}</dt><dd>{formatDateTime(account.created_at, ctx.lang)}</dd>
      </dl>

      <section aria-labelledby="account-status">
        <h2 id="account-status">{t('accountAdmin.activeTitle')}</h2>
        {account.status === 'deactivated' ? (
          <Form ctx={ctx} action={`${base}/reaktivieren`}><Submit label={t('accountAdmin.reactivate')} /></Form>
        ) : (
          <>
            <p class="hint">{t('accountAdmin.deactivateHint')}</p>
            <Form ctx={ctx} action={`${base}/deaktivieren`}><Submit label={t('accountAdmin.deactivate')} /></Form>
          </>
        )}
      </section>

      <section aria-labelledby="account-organisation">
        <h2 id="account-organisation">{t('accountAdmin.organisationTitle')}</h2>
        <Form ctx={ctx} action={`${base}/organisation`}>
          <Select ctx={ctx} form={forms.organisation ?? { values: { organisation: String(account.organisation_id) }, errors: {} }} idPrefix="organisation-"
            name="organisation" label={t('fields.organisation')} required
            options={[...options, { value: 'andere', label: t('fields.organisationOtherOption'), group: t('kinds.andere') }]} />
          <TextField ctx={ctx} form={forms.organisation ?? empty} idPrefix="organisation-" name="organisationOther" label={t('fields.organisationOther')} maxLength={200}
            hint={t('fields.organisationOtherHint')} />
          <Submit label={t('accountAdmin.organisationSubmit')} />
        </Form>
      </section>

      {account.status === 'invited' && (
        <section aria-labelledby="account-invitation">
          <h2 id="account-invitation">{t('accountAdmin.invitationTitle')}</h2>
          <p class="hint">{t('accountAdmin.invitationHint')}</p>
          <Form ctx={ctx} action={`${base}/einladung`}><Submit label={t('accountAdmin.resendInvitation')} /></Form>
        </section>
      )}

      <section aria-labelledby="account-deletion">
        <h2 id="account-deletion">{t('accountAdmin.deleteTitle')}</h2>
        <p>{t('accountAdmin.deleteIntro')}</p>
        <h3>{t('ownData.removedTitle')}</h3>
        <ul>{REMOVED.map((k) => <li>{t(`ownData.removedItems.${k}`)}</li>)}</ul>
        <h3>{t('ownData.keptTitle')}</h3>
        <ul>{KEPT.map((k) => <li>{t(`ownData.keptItems.${k}`)}</li>)}</ul>
        <Form ctx={ctx} action={`${base}/loeschen`}>
          <Checkbox ctx={ctx} form={forms.deletion ?? empty} idPrefix="deletion-" name="confirm" label={t('accountAdmin.deleteConfirm', { name: account.name })} required />
          <Submit label={t('accountAdmin.deleteSubmit')} />
        </Form>
      </section>
    </>
  );
}
