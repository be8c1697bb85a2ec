import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { AppError, idParam, notFound, tooManyAttempts } from '../../platform/errors.js';
import { formValues, handleForm } from '../../platform/http/form-route.js';
import type { T } from '../../platform/i18n/index.js';
import { emptyForm, type FormState } from '../../platform/views/forms.js';
import { organisationOptions } from '../organisations/service.js';
import { linksOf } from '../sso/service.js';
import { setLanguageCookie } from './language.js';
import { can } from '../../platform/policy.js';
import { deleteAccountAsAdministrator } from '../owndata/service.js';
import './policy.js';
import { accountChangeRoutes } from './account-change-routes.js';
import { AccountSections } from './account-views.js';
import * as members from './service.js';
import { awaitSecondStep, signInAs } from './sign-in-session.js';
import { twoFactorRoutes } from './two-factor-routes.js';
import * as twoFactor from './two-factor-service.js';
import * as v from './views.js';

const RATE = { timeWindow: 15 * 60 * 1000 };

function labels(t: T): Record<string, string> {
  return {
    name: t('fields.name'), email: t('fields.email'), organisation: t('fields.organisation'), organisationOther: t('fields.organisationOther'),
    jobFunction: t('fields.jobFunction'), message: t('fields.message'), consent: t('fields.consent'), password: t('fields.password'),
    passwordRepeat: t('fields.passwordRepeat'), expertise: t('fields.expertise'), notifyEmail: t('fields.notifyEmail'), role: t('fields.role'),
    reason: t('fields.reason'), language: t('memberLanguage.field'), currentPassword: t('accountChange.currentPassword'),
    code: t('twoFactor.codeLabel'),
  };
}

/** The forms of the profile page; one of them comes back with what was typed when it failed. */
export interface ProfileForms { profile?: FormState; password?: FormState; email?: FormState }


export async function memberRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  const deps: members.MemberDeps = { db, config };
  const max = config.rateLimits;
  /** Only the platform's own pages are followed after sign-in. */
  const safeNext = (next: unknown): string => app.localTarget(next) ?? '/';

  const signOn = { providers: config.signOnProviders, passwordSignIn: config.passwordSignIn };
  /** Links to sign-in services, for the profile and the account list; null where single sign-on is not in use. */
  const signOnLinks = async (userIds: number[] | null) => {
    const links = await linksOf({ db, config }, userIds);
    return config.signOnProviders.length > 0 || links.length > 0 ? links : null;
  };

  // Joining ---------------------------------------------------------------------------------------
  const showJoin = async (request: FastifyRequest, reply: FastifyReply, form: FormState) =>
    reply.page(request.t('join.title'), <v.JoinPage ctx={reply.view()} form={form} options={await organisationOptions(db, request.t)}
      signOnProvider={request.session.get('ssoJoin')?.providerName} />, { status: reply.statusCode });
  /** The page in place of the form while the legal pages are missing; a stale form sent then gets it with 409. */
  const showJoinClosed = (request: FastifyRequest, reply: FastifyReply, missing: Awaited<ReturnType<typeof members.pagesKeepingJoinClosed>>, status: number) =>
    reply.page(request.t('join.title'), <v.JoinClosedPage ctx={reply.view()} missing={missing} />, { status });

  // After a sign-in through a provider whose organisation is not a member yet, name and address are filled in.
  app.get('/mitmachen', { config: { action: 'account.join' } }, async (request, reply) => {
    const missing = await members.pagesKeepingJoinClosed(db);
    if (missing.length > 0) return showJoinClosed(request, reply, missing, 200);
    const vouched = request.session.get('ssoJoin');
    return showJoin(request, reply, vouched ? emptyForm({ name: vouched.name, email: vouched.email }) : emptyForm());
  });
  app.post('/mitmachen', { config: { action: 'account.join', rateLimit: { max: max.join, ...RATE } } }, async (request, reply) => {
    const missing = await members.pagesKeepingJoinClosed(db);
    if (missing.length > 0) return showJoinClosed(request, reply, missing, 409);
    return handleForm(request, reply, async (values) => {
      await members.submitJoinRequest(deps, values, labels(request.t), request.lang);
      if (request.session.get('ssoJoin')) request.session.set('ssoJoin', undefined);
      return reply.seeOther('/mitmachen/danke');
    }, (form) => showJoin(request, reply, form));
  });
  app.get('/mitmachen/danke', { config: { action: 'account.join' } }, (request, reply) =>
    reply.page(request.t('join.thanksTitle'), <v.JoinThanks ctx={reply.view()} />));

  // Signing in and out ----------------------------------------------------------------------------
  app.get<{ Querystring: { weiter?: string } }>('/anmelden', { config: { action: 'account.signIn' } }, (request, reply) =>
    reply.page(request.t('auth.signInTitle'), <v.SignInPage ctx={reply.view()} form={emptyForm()} next={safeNext(request.query.weiter)} failed={false} {...signOn} />));
  // Limited in the service, which counts failed attempts only, per account and per client address.
  app.post('/anmelden', { config: { action: 'account.signIn' } }, async (request, reply) => {
    if (!config.passwordSignIn) throw new AppError('PASSWORD_SIGN_IN_OFF', 403, 'sso.passwordOff', 'sso.passwordOffTitle');
    const values = formValues(request);
    const outcome = await members.signInWithLimits(deps, values, request.ip, { perAccount: max.signIn, perAddress: max.signInAddress, windowMs: RATE.timeWindow });
    if (outcome.kind === 'limited') throw tooManyAttempts('accountSecurity.signInLimited', outcome.retryAfterMs);
    const user = outcome.kind === 'signedIn' ? outcome.user : null;
    if (!user) {
      return reply.page(request.t('auth.signInTitle'),
        <v.SignInPage ctx={reply.view()} form={{ values: { email: values.email ?? '' }, errors: {} }} next={safeNext(values.weiter)}
          failed={outcome.kind === 'deactivated' ? 'deactivated' : true} {...signOn} />, { status: 422 });
    }
    if (await twoFactor.hasTwoFactor(db, user.id)) {
      await awaitSecondStep(request, user, safeNext(values.weiter));
      return reply.seeOther('/anmelden/code');
    }
    await signInAs(request, reply, user);
    return reply.seeOther(safeNext(values.weiter));
  });
  // Ends the platform session; after a sign-in through a provider that can end its own session too, offers that.
  app.post('/abmelden', { config: { action: 'account.signOut' } }, async (request, reply) => {
    const atProvider = request.session.get('ssoSignOut');
    await request.session.destroy();
    if (!atProvider) return reply.seeOther('/');
    request.user = null;
    return reply.page(request.t('sso.signedOutTitle'), <v.SignedOutPage ctx={reply.view()} providerName={atProvider.providerName} url={atProvider.url} />);
  });

  // Passwords -------------------------------------------------------------------------------------
  app.get('/passwort-vergessen', { config: { action: 'account.signIn' } }, (request, reply) =>
    reply.page(request.t('auth.forgotTitle'), <v.ForgotPage ctx={reply.view()} form={emptyForm()} sent={false} />));
  app.post('/passwort-vergessen', { config: { action: 'account.signIn', rateLimit: { max: max.reset, ...RATE } } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      await members.requestPasswordReset(deps, values, labels(request.t));
      return reply.page(request.t('auth.forgotTitle'), <v.ForgotPage ctx={reply.view()} form={emptyForm()} sent />);
    }, (form) => reply.page(request.t('auth.forgotTitle'), <v.ForgotPage ctx={reply.view()} form={form} sent={false} />, { status: 422 })));

  const linkInvalid = (request: FastifyRequest, reply: FastifyReply) =>
    reply.page(request.t('auth.linkInvalidTitle'), <><h1>{request.t('auth.linkInvalidTitle')}</h1><p class="lead">{request.t('auth.linkInvalid')}</p><p><a href="/passwort-vergessen">{request.t('auth.forgot')}</a></p></>, { status: 410 });

  app.get<{ Params: { token: string } }>('/passwort-setzen/:token', { config: { action: 'account.setPassword' } }, async (request, reply) => {
    const found = await members.findLinkToken(db, request.params.token);
    if (!found) return linkInvalid(request, reply);
    return reply.page(request.t('auth.setPasswordTitle'), <v.SetPasswordPage ctx={reply.view()} form={emptyForm()} email={found.email} token={request.params.token} />);
  });
  app.post<{ Params: { token: string } }>('/passwort-setzen/:token', { config: { action: 'account.setPassword', rateLimit: { max: max.reset * 2, ...RATE } } }, async (request, reply) => {
    const found = await members.findLinkToken(db, request.params.token);
    if (!found) return linkInvalid(request, reply);
    return handleForm(request, reply, async (values) => {
      const user = await members.setPasswordWithLink(deps, request.params.token, values, labels(request.t));
      // A reset link proves only the mailbox: with a second factor on, the code is still asked for.
      if (await twoFactor.hasTwoFactor(db, user.id)) {
        await awaitSecondStep(request, user, '/profil');
        return reply.seeOther('/anmelden/code', request.t('twoFactor.passwordSetCodeNext'));
      }
      await signInAs(request, reply, user);
      // The first password, set with the invitation: a welcome with the first steps instead of the bare profile.
      return reply.seeOther(found.purpose === 'invite' ? '/willkommen' : '/profil', request.t('auth.passwordSet'));
    }, (form) => reply.page(request.t('auth.setPasswordTitle'), <v.SetPasswordPage ctx={reply.view()} form={form} email={found.email} token={request.params.token} />, { status: 422 }));
  });

  // Profile and directory -------------------------------------------------------------------------
  const showProfile = async (request: FastifyRequest, reply: FastifyReply, forms: ProfileForms = {}) => {
    const profile = await members.loadProfile(db, request.user!.id);
    if (!profile) throw notFound();
    const ctx = reply.view();
    return reply.page(request.t('profile.title'), (
      <v.ProfilePage ctx={ctx} form={forms.profile ?? emptyForm(profile)} signOnLinks={await signOnLinks([request.user!.id])}>
        <AccountSections ctx={ctx} status={await twoFactor.twoFactorStatus(db, request.user!.id)} passwordForm={forms.password ?? emptyForm()} emailForm={forms.email ?? emptyForm()} />
      </v.ProfilePage>
    ), { status: reply.statusCode });
  };
  app.get('/profil', { config: { action: 'profile.edit' } }, (request, reply) => showProfile(request, reply));
  app.post('/profil', { config: { action: 'profile.edit' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      await members.updateProfile(deps, request.user!.id, values, labels(request.t));
      return reply.seeOther('/profil', request.t('profile.saved'));
    }, (form) => showProfile(request, reply, { profile: form })));
  const limits = { perAccount: max.signIn, perAddress: max.signInAddress, windowMs: RATE.timeWindow };
  accountChangeRoutes(app, { deps, labels, showProfile, limits });
  twoFactorRoutes(app, { deps, labels, limits });

  app.get('/mitglieder', { config: { action: 'members.directory' } }, async (request, reply) =>
    reply.page(request.t('directory.title'), <v.DirectoryPage ctx={reply.view()} rows={await members.memberDirectory(db)} />));

  // Administration of members ---------------------------------------------------------------------
  const showQueue = async (request: FastifyRequest, reply: FastifyReply, forms: Record<number, FormState> = {}) =>
    reply.page(request.t('admin.requestsTitle'), <v.JoinQueuePage ctx={reply.view()} rows={await members.pendingJoinRequests(db)} forms={forms}
      invitations={await members.openInvitations(db)} />, { status: reply.statusCode });

  app.get('/verwaltung/anfragen', { config: { action: 'members.approve' } }, (request, reply) => showQueue(request, reply));
  app.post<{ Params: { id: string } }>('/verwaltung/anfragen/:id/annehmen', { config: { action: 'members.approve' } }, async (request, reply) => {
    const { name } = await members.approveJoinRequest(deps, idParam(request.params.id), request.user!.id);
    return reply.seeOther('/verwaltung/anfragen', request.t('admin.approved', { name }));
  });
  app.post<{ Params: { id: string } }>('/verwaltung/anfragen/:id/ablehnen', { config: { action: 'members.approve' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const { name } = await members.rejectJoinRequest(deps, idParam(request.params.id), request.user!.id, values, labels(request.t));
      return reply.seeOther('/verwaltung/anfragen', request.t('admin.rejected', { name }));
    }, (form) => showQueue(request, reply, { [idParam(request.params.id)]: form })));

  const showInvite = async (request: FastifyRequest, reply: FastifyReply, form: FormState) =>
    reply.page(request.t('admin.inviteTitle'), <v.InvitePage ctx={reply.view()} form={form} options={await organisationOptions(db, request.t)} />, { status: reply.statusCode });
  app.get('/verwaltung/einladen', { config: { action: 'members.invite' } }, (request, reply) => showInvite(request, reply, emptyForm()));
  app.post('/verwaltung/einladen', { config: { action: 'members.invite' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const { name } = await members.inviteMember(deps, values, labels(request.t), request.user!.id, request.lang);
      return reply.seeOther('/verwaltung/einladen', request.t('admin.invited', { name }));
    }, (form) => showInvite(request, reply, form)));

  app.get('/verwaltung/konten', { config: { action: 'members.manage' } }, async (request, reply) =>
    reply.page(request.t('admin.usersTitle'), <v.AccountsPage ctx={reply.view()} rows={await members.accountList(db)} signOnLinks={await signOnLinks(null)} />));
  app.post<{ Params: { id: string } }>('/verwaltung/konten/:id/rolle', { config: { action: 'members.manage' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const { name } = await members.changeRole(deps, idParam(request.params.id), values, labels(request.t), request.user!.id);
      return reply.seeOther('/verwaltung/konten', request.t('admin.roleSaved', { name }));
    }, async (form) => reply.page(request.t('admin.usersTitle'),
      <v.AccountsPage ctx={reply.view()} rows={await members.accountList(db)} signOnLinks={await signOnLinks(null)} error={{ userId: idParam(request.params.id), message: Object.values(form.errors).map((e) => request.t(e.key, e.vars ?? {})).join(' ') }} />, { status: 422 })));

  // One account: deactivate and reactivate, organisation, invitation, deletion -----------------------
  type AccountForms = Parameters<typeof v.AccountPage>[0]['forms'];
  const showAccount = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, forms: AccountForms = {}) => {
    const account = await members.accountFor(db, idParam(request.params.id));
    return reply.page(request.t('accountAdmin.accountTitle', { name: account.name }),
      <v.AccountPage ctx={reply.view()} account={account} options={await organisationOptions(db, request.t)} forms={forms} />, { status: reply.statusCode });
  };
  /** A form of the account page: on success back to the page with a message, on a refusal the page again with it. */
  const accountAction = (key: keyof AccountForms, run: (id: number, values: Record<string, string>) => Promise<string>, to?: (values: Record<string, string>) => string | undefined) =>
    (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) =>
      handleForm(request, reply, async (values) => {
        const id = idParam(request.params.id);
        const message = await run(id, values);
        return reply.seeOther(to?.(values) ?? `/verwaltung/konten/${id}`, message);
      }, (form) => showAccount(request, reply, { [key]: form }));

  app.get<{ Params: { id: string } }>('/verwaltung/konten/:id', { config: { action: 'members.manage' } }, (request, reply) => showAccount(request, reply));
  app.post<{ Params: { id: string } }>('/verwaltung/konten/:id/deaktivieren', { config: { action: 'members.manage' } }, (request, reply) =>
    accountAction('status', async (id) => request.t('accountAdmin.deactivated', await members.deactivateAccount(deps, id, request.user!.id)))(request, reply));
  app.post<{ Params: { id: string } }>('/verwaltung/konten/:id/reaktivieren', { config: { action: 'members.manage' } }, (request, reply) =>
    accountAction('status', async (id) => request.t('accountAdmin.reactivated', await members.reactivateAccount(deps, id, request.user!.id)))(request, reply));
  app.post<{ Params: { id: string } }>('/verwaltung/konten/:id/organisation', { config: { action: 'members.manage' } }, (request, reply) =>
    accountAction('organisation', async (id, values) => request.t('accountAdmin.organisationSaved', await members.changeOrganisation(deps, id, values, labels(request.t), request.user!.id)))(request, reply));
  app.post<{ Params: { id: string } }>('/verwaltung/konten/:id/einladung', { config: { action: 'members.manage' } }, (request, reply) =>
    accountAction('invitation', async (id) => request.t('accountAdmin.invitationResent', await members.resendInvitation(deps, id, request.user!.id)),
      // Sent from the list of open invitations, the administrator goes back to it.
      (values) => (values.zurueck === 'anfragen' ? '/verwaltung/anfragen' : undefined))(request, reply));
  app.post<{ Params: { id: string } }>('/verwaltung/konten/:id/loeschen', { config: { action: 'members.manage' } }, (request, reply) =>
    accountAction('deletion', async (id, values) => {
      await deleteAccountAsAdministrator(deps, id, request.user!.id, values, { confirm: request.t('accountAdmin.deleteTitle') });
      return request.t('accountAdmin.deleted');
    }, () => '/verwaltung/konten')(request, reply));
}

/** The number of open join requests, for the header of administrators' pages. */
export function openJoinRequestsHook(db: Db) {
  return async (request: FastifyRequest) => {
    if (request.method !== 'GET' || !request.user || !can(request.user, 'members.approve') || request.url.startsWith('/api/')) return;
    request.openJoinRequests = await members.countPendingJoinRequests(db);
  };
}
