import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { handleForm } from '../../platform/http/form-route.js';
import type { T } from '../../platform/i18n/index.js';
import type { FormState } from '../../platform/views/forms.js';
import * as account from './account-change-service.js';
import { ConfirmEmailPage } from './account-views.js';
import type { ProfileForms } from './routes.js';
import type { MemberDeps, SignInLimits } from './service.js';

interface Options {
  deps: MemberDeps;
  labels: (t: T) => Record<string, string>;
  showProfile: (request: FastifyRequest, reply: FastifyReply, forms?: ProfileForms) => Promise<FastifyReply>;
  limits: SignInLimits;
}

/** Changing the password and the e-mail address from the profile page, and the link that confirms a new address. */
export function accountChangeRoutes(app: FastifyInstance, { deps, labels, showProfile, limits }: Options): void {
  const limit = { perAccount: limits.perAccount, windowMs: limits.windowMs };

  app.post('/profil/passwort', { config: { action: 'profile.edit' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const generation = await account.changePassword(deps, request.user!.id, values, labels(request.t), limit);
      // Every other session has ended; this one carries the new generation and stays signed in.
      request.session.set('sessionGeneration', generation);
      return reply.seeOther('/profil', request.t('accountChange.passwordChanged'));
    }, (form: FormState) => showProfile(request, reply, { password: form })));

  app.post('/profil/e-mail', { config: { action: 'profile.edit' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const { newEmail } = await account.requestEmailChange(deps, request.user!.id, values, labels(request.t), limit);
      return reply.seeOther('/profil', request.t('accountChange.emailSent', { email: newEmail, hours: account.EMAIL_CHANGE_HOURS }));
    }, (form: FormState) => showProfile(request, reply, { email: form })));

  const linkInvalid = (request: FastifyRequest, reply: FastifyReply) =>
    reply.page(request.t('auth.linkInvalidTitle'), <><h1>{request.t('auth.linkInvalidTitle')}</h1><p class="lead">{request.t('auth.linkInvalid')}</p></>, { status: 410 });

  // Opening the link shows a button; only the form changes the address, so a link preview changes nothing.
  app.get<{ Params: { token: string } }>('/e-mail-bestaetigen/:token', { config: { action: 'account.confirmEmail' } }, async (request, reply) => {
    const found = await account.findEmailChange(deps.db, request.params.token);
    if (!found) return linkInvalid(request, reply);
    return reply.page(request.t('accountChange.confirmTitle'), <ConfirmEmailPage ctx={reply.view()} newEmail={found.new_email} token={request.params.token} />);
  });
  app.post<{ Params: { token: string } }>('/e-mail-bestaetigen/:token', { config: { action: 'account.confirmEmail', rateLimit: { max: 30, timeWindow: limits.windowMs } } }, async (request, reply) => {
    const { newEmail } = await account.confirmEmailChange(deps, request.params.token);
    const message = request.t('accountChange.emailChanged', { email: newEmail });
    if (request.user) return reply.seeOther('/profil', message);
    return reply.page(request.t('accountChange.confirmTitle'), <><h1>{request.t('accountChange.confirmTitle')}</h1><p class="lead" role="status">{message}</p><p><a href="/anmelden">{request.t('auth.signInTitle')}</a></p></>);
  });
}
