import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config, SignOnProvider } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { idParam, notFound } from '../../platform/errors.js';
import { startSession } from '../../platform/http/session-start.js';
import { beginSignOn, completeSignOn, SignOnFailure } from './oidc.js';
import './policy.js';
import * as sso from './service.js';
import * as v from './views.js';

/** A sign-in left at the provider for longer than this has to start again. */
const PENDING_MAX_MS = 10 * 60 * 1000;

const STATUS: Record<string, number> = { unavailable: 503, state: 400, invalid: 400, cancelled: 400, unverified: 403, deactivated: 403, linkedElsewhere: 409 };

export async function signOnRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  const deps: sso.SignOnDeps = { db, config };
  const providerOf = (id: string): SignOnProvider => sso.providerById(config, id) ?? (() => { throw notFound(); })();

  /** Nothing changed: says why, offers to try again and (if it is on) the password form. */
  const failed = (request: FastifyRequest, reply: FastifyReply, provider: SignOnProvider, reason: string) => {
    const { t } = request;
    const message = [t(`sso.${reason}`, { provider: provider.name }), reason === 'unavailable' && config.passwordSignIn ? t('sso.passwordStillPossible') : '']
      .filter(Boolean).join(' ');
    return reply.page(t('sso.failedTitle'), <v.SignOnFailedPage ctx={reply.view()} message={message} provider={provider} passwordSignIn={config.passwordSignIn} />,
      { status: STATUS[reason] ?? 400 });
  };

  // Each start stores a session: limited per client address like failed password sign-ins (RATE_LIMIT_SIGN_IN_ADDRESS).
  const startLimit = config.rateLimits.signInAddress > 0 ? { rateLimit: { max: config.rateLimits.signInAddress, timeWindow: 15 * 60 * 1000 } } : {};
  app.get<{ Params: { provider: string }; Querystring: { weiter?: string; erneut?: string } }>('/anmelden/sso/:provider', { config: { action: 'sso.signIn', ...startLimit } }, async (request, reply) => {
    const provider = providerOf(request.params.provider);
    try {
      // erneut=1: the provider must authenticate the person again (before a step that needs proof of presence).
      const { url, pending } = await beginSignOn(provider, config.baseUrl, app.localTarget(request.query.weiter) ?? '/', request.query.erneut === '1');
      request.session.set('ssoPending', pending);
      return reply.seeOtherSite(url);
    } catch (err) {
      if (!(err instanceof SignOnFailure)) throw err;
      request.log.warn({ err, provider: provider.id }, 'sign-on provider unavailable');
      return failed(request, reply, provider, err.reason);
    }
  });

  app.get<{ Params: { provider: string } }>('/anmelden/sso/:provider/rueckkehr', { config: { action: 'sso.signIn' } }, async (request, reply) => {
    const provider = providerOf(request.params.provider);
    // Each sign-in started can be completed once, in the browser that started it, within a few minutes.
    const pending = request.session.get('ssoPending');
    request.session.set('ssoPending', undefined);
    if (!pending || pending.provider !== provider.id || Date.now() - pending.startedAt > PENDING_MAX_MS) return failed(request, reply, provider, 'state');
    let identity;
    try {
      identity = await completeSignOn(provider, config.baseUrl, new URL(request.url, config.baseUrl), pending);
    } catch (err) {
      if (!(err instanceof SignOnFailure)) throw err;
      request.log.warn({ err, provider: provider.id, reason: err.reason }, 'sign-on refused');
      return failed(request, reply, provider, err.reason);
    }
    const outcome = await sso.signOn(deps, provider, identity, request.lang);
    if (outcome.kind === 'join') {
      request.session.set('ssoJoin', { name: outcome.name, email: outcome.email, providerName: provider.name });
      return reply.seeOther('/mitmachen');
    }
    if (outcome.kind !== 'signedIn') return failed(request, reply, provider, outcome.kind);
    const { signedInAt, freshConfirmed } = sso.signInTime(identity, pending);
    await startSession(request, reply, outcome.account, signedInAt);
    if (identity.endSessionUrl) request.session.set('ssoSignOut', { providerName: provider.name, url: identity.endSessionUrl });
    const t = request.t;
    const flash = !freshConfirmed ? t('ssoReauth.notConfirmed', { provider: provider.name })
      : outcome.created ? t('sso.accountCreated', { provider: provider.name }) : outcome.linked ? t('sso.accountLinked', { provider: provider.name }) : undefined;
    return reply.seeOther(pending.next, flash);
  });

  app.post<{ Params: { id: string; provider: string } }>('/verwaltung/konten/:id/sso/:provider/entfernen', { config: { action: 'sso.unlink' } }, async (request, reply) => {
    const { name, providerName } = await sso.unlink(deps, idParam(request.params.id), request.params.provider, request.user!.id);
    return reply.seeOther('/verwaltung/konten', request.t('sso.adminUnlinked', { name, provider: providerName }));
  });
}
