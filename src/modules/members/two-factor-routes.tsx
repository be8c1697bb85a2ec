import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.js';
import { tooManyAttempts } from '../../platform/errors.js';
import { formValues, handleForm } from '../../platform/http/form-route.js';
import type { T } from '../../platform/i18n/index.js';
import { emptyForm, type FormState } from '../../platform/views/forms.js';
import type { MemberDeps, SignInLimits } from './service.js';
import { pendingSecondStep, signInAs } from './sign-in-session.js';
import * as twoFactor from './two-factor-service.js';
import * as v from './two-factor-views.js';

interface Options {
  deps: MemberDeps;
  labels: (t: T) => Record<string, string>;
  limits: SignInLimits;
}

const SETUP_PATH = '/profil/zwei-faktor';

/** A refused code is not shown again: the next attempt needs the app's next code anyway. */
const withoutCode = (form: FormState): FormState => ({ ...form, values: { ...form.values, code: '' } });

/** Setting up and turning off two-factor sign-in, its second sign-in step, and the administration's requirement. */
export function twoFactorRoutes(app: FastifyInstance, { deps, labels, limits }: Options): void {
  const { db } = deps;
  const limit = { perAccount: limits.perAccount, windowMs: limits.windowMs };

  // Setup and status ------------------------------------------------------------------------------
  /** The setup, or (when it is on) the page with new recovery codes and turning off; a refused form comes back filled in. */
  const showSetup = async (request: FastifyRequest, reply: FastifyReply, refused: { disable?: FormState; renew?: FormState; setup?: FormState } = {}) => {
    const user = request.user!;
    const status = await twoFactor.twoFactorStatus(db, user.id);
    if (status.enabled) {
      const staffRequired = ['admin', 'moderator'].includes(user.role) && (await twoFactor.isRequiredForStaff(db));
      return reply.page(request.t('twoFactor.title'), <v.TwoFactorEnabledPage ctx={reply.view()} status={status} required={staffRequired}
        disableForm={refused.disable ?? emptyForm()} renewForm={refused.renew ?? emptyForm()} />, { status: reply.statusCode });
    }
    const setup = await twoFactor.beginSetup(deps, user.id);
    const required = await twoFactor.mustSetUpTwoFactor(db, user);
    return reply.page(request.t('twoFactor.title'), <v.TwoFactorSetupPage ctx={reply.view()} setup={setup} form={refused.setup ?? emptyForm()} required={required} />, { status: reply.statusCode });
  };
  app.get(SETUP_PATH, { config: { action: 'profile.edit' } }, (request, reply) => showSetup(request, reply));
  // Recovery codes are shown in the answer itself, not after a redirect: they are never stored in plain text, not even in the session.
  app.post(SETUP_PATH, { config: { action: 'profile.edit' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const codes = await twoFactor.confirmSetup(deps, request.user!.id, values, labels(request.t));
      return reply.page(request.t('twoFactor.enabledTitle'), <v.RecoveryCodesPage ctx={reply.view()} codes={codes} />);
    }, (form) => showSetup(request, reply, { setup: withoutCode(form) })));
  app.post(`${SETUP_PATH}/neue-codes`, { config: { action: 'profile.edit' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const codes = await twoFactor.renewRecoveryCodes(deps, request.user!.id, values, labels(request.t), limit);
      return reply.page(request.t('twoFactor.renewedTitle'), <v.RecoveryCodesPage ctx={reply.view()} codes={codes} renewed />);
    }, (form) => showSetup(request, reply, { renew: withoutCode(form) })));
  app.post(`${SETUP_PATH}/ausschalten`, { config: { action: 'profile.edit' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      await twoFactor.disableTwoFactor(deps, request.user!.id, values, labels(request.t), limit);
      return reply.seeOther('/profil', request.t('twoFactor.disabled'));
    }, (form) => showSetup(request, reply, { disable: withoutCode(form) })));

  // The second step of signing in ----------------------------------------------------------------
  const showStep = (request: FastifyRequest, reply: FastifyReply, form: FormState) =>
    reply.page(request.t('twoFactor.signInTitle'), <v.SecondStepPage ctx={reply.view()} form={form} />, { status: reply.statusCode });
  app.get('/anmelden/code', { config: { action: 'account.twoFactorStep' } }, (request, reply) =>
    (pendingSecondStep(request) ? showStep(request, reply, emptyForm()) : reply.seeOther('/anmelden')));
  app.post('/anmelden/code', { config: { action: 'account.twoFactorStep' } }, async (request, reply) => {
    const pending = pendingSecondStep(request);
    if (!pending) return reply.seeOther('/anmelden', request.t('twoFactor.stepExpired'));
    const values = formValues(request);
    const outcome = await twoFactor.verifySecondFactorWithLimits(db, pending.userId, values, request.ip, limits);
    if (!outcome.ok && outcome.reason === 'limited') throw tooManyAttempts('accountSecurity.signInLimited', outcome.retryAfterMs);
    if (!outcome.ok) {
      reply.status(422);
      return showStep(request, reply, { values: { code: '' }, errors: { code: { key: twoFactor.codeErrorKey(outcome.reason) } } });
    }
    await signInAs(request, reply, { id: pending.userId, language: pending.language, sessionGeneration: pending.sessionGeneration });
    if (outcome.usedRecoveryCode) {
      const left = (await twoFactor.twoFactorStatus(db, pending.userId)).recoveryCodesLeft;
      return reply.seeOther(pending.next, request.t('twoFactor.recoveryUsed', { count: left }));
    }
    return reply.seeOther(pending.next);
  });

  // The administration's requirement --------------------------------------------------------------
  app.get('/verwaltung/sicherheit', { config: { action: 'twoFactor.require' } }, async (request, reply) =>
    reply.page(request.t('twoFactor.adminTitle'), <v.RequirementPage ctx={reply.view()} required={await twoFactor.isRequiredForStaff(db)} />));
  app.post('/verwaltung/sicherheit', { config: { action: 'twoFactor.require' } }, async (request, reply) => {
    const required = await twoFactor.setRequiredForStaff(db, request.user!.id, formValues(request));
    return reply.seeOther('/verwaltung/sicherheit', request.t(required ? 'twoFactor.adminRequiredOn' : 'twoFactor.adminRequiredOff'));
  });
}

/** Pages a person who must set up two-factor sign-in may still reach: the setup itself, signing out, the basics. */
const OPEN_WHILE_SETTING_UP = new Set([SETUP_PATH, '/abmelden', '/sprache/:lang', '/static/*', '/healthz', '/impressum', '/datenschutz']);

/**
 * When the administration requires two-factor sign-in for administrators and moderators, one of them who has
 * not set it up is led to the setup from every other page. The API (bearer tokens) is not affected.
 */
export function requireTwoFactorSetup(db: Db) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = request.user;
    if (!user || user.role === 'member') return;
    const route = request.routeOptions.url;
    if (!route || OPEN_WHILE_SETTING_UP.has(route) || route.startsWith('/api/')) return;
    if (!(await twoFactor.mustSetUpTwoFactor(db, user))) return;
    return reply.seeOther(SETUP_PATH);
  };
}
