import './types.js';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import { render } from 'preact-render-to-string';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { AppError, forbidden, FormError, notFound, signInRequired, tooManyAttempts } from '../errors.js';
import { isLang, translatorFor, type Lang, type T } from '../i18n/index.js';
import { can, isKnownAction } from '../policy.js';
import { AccountLinks, Layout } from '../views/layout.js';
import type { ViewContext } from '../views/context.js';
import { bearerUser, isApiRequest, sendProblem } from './api.js';
import { headerChecker, replyHeaders } from './header-check.js';
import { loadCurrentUser } from './current-user.js';
import { DatabaseSessionStore } from './session-store.js';
import { signedInPages } from './signed-in-pages.js';
import { rememberingSigner } from './cookie-signer.js';
import { databaseRateLimitStore } from './rate-limit-store.js';
import { isSetupComplete } from './setup-state.js';
import { ACCOUNT_SLOT, COMPRESS_FROM_BYTES, CSRF_SLOT, entityTag, isFresh, PageCache, PERSONAL_MARKERS, splitAtPersonalMarkers, type PersonalParts } from './page-cache.js';
import { assetCacheControl, PUBLIC_DIR } from './assets.js';
import { answerClientError, securityHeaders } from './security-headers.js';
import { hasControlCharacters, withoutControlCharacters } from './input.js';
import { routeMatcher, sameSitePath } from './redirect.js';

export interface PlatformOptions {
  config: Config;
  db: Db;
}

const SETUP_FREE = [/^\/einrichtung$/, /^\/(?:robots\.txt|favicon\.ico)$/, /^\/static\//, /^\/healthz$/, /^\/readyz$/, /^\/metrics$/, /^\/sprache\//];

const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

async function platform(app: FastifyInstance, { config, db }: PlatformOptions) {
  const secure = config.baseUrl.startsWith('https://');
  const maxAgeMs = config.sessionMaxAgeHours * 60 * 60 * 1000;

  app.addHook('onRoute', (route) => {
    // The stylesheet and other assets are public; every other route must name its action.
    if (route.url.startsWith('/static/')) route.config = { ...route.config, action: 'public' };
    const action = route.config?.action;
    if (!action) throw new Error(`route ${route.method} ${route.url} names no policy action`);
    if (!isKnownAction(action)) throw new Error(`route ${route.method} ${route.url} names unknown action "${action}"`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') policyRoutes.push({ method, url: route.url, action });
  });
  const policyRoutes: { method: string; url: string; action: string }[] = [];
  app.decorate('policyRoutes', policyRoutes);

  // Redirect targets: same-site paths of the platform's own pages only (compiled once all routes are known).
  let ownPage: ((path: string) => boolean) | undefined;
  const localTarget = (value: unknown): string | null => {
    const path = sameSitePath(value);
    if (path === null) return null;
    ownPage ??= routeMatcher(policyRoutes.filter((r) => r.method === 'GET').map((r) => r.url));
    return ownPage(path.split(/[?#]/)[0]) ? path : null;
  };
  app.decorate('localTarget', localTarget);

  // The security headers (see security-headers.ts), first thing on every answer. A request target that is not
  // a path ("*", or the absolute form "http://host/" meant for proxies) names no page of this site.
  const headerSet = securityHeaders(secure);
  const headerList = Object.entries(headerSet);
  const applySecurityHeaders = (res: ServerResponse) => {
    for (const [name, value] of headerList) res.setHeader(name, value);
  };
  app.addHook('onRequest', async (request, reply) => {
    applySecurityHeaders(reply.raw);
    reply.header('x-request-id', request.id);
    if (!request.raw.url?.startsWith('/')) throw notFound();
    // With an https BASE_URL, TLS ends at the proxy, which must say so in X-Forwarded-Proto. Without it the session
    // cookie (Secure) would silently not be set: a form sent that way changes nothing and gets a page saying why.
    // Reading pages (and health checks straight at the instance) still works.
    if (secure && request.protocol !== 'https' && !SAFE_METHODS.includes(request.method)) {
      request.log.warn({ forwardedProto: request.headers['x-forwarded-proto'] ?? null },
        'a form arrived without X-Forwarded-Proto: https although BASE_URL is https; the reverse proxy must send it');
      throw new AppError('INSECURE_REQUEST', 400, 'operations.insecureRequest', 'operations.insecureRequestTitle', { url: config.baseUrl });
    }
  });
  // Node refuses to write a header with characters outside its grammar, and throws where no handler waits
  // (inside the session store's callback). Checked here, first of the onSend hooks, such a header becomes
  // an ordinary error of this request: logged and answered with the error page.
  const invalidHeader = headerChecker();
  app.addHook('onSend', async (request, reply, payload) => {
    const invalid = invalidHeader(replyHeaders(reply));
    if (invalid !== null) {
      reply.removeHeader(invalid.name);
      throw new Error(`response header "${invalid.name}" is not a valid header`, { cause: invalid.error });
    }
    // What the API answers and what a signed-in person downloads (CSV, calendar, files) stays out of shared caches
    // and off the disk; pages are no-store already, public feeds and assets keep their own rules.
    const type = String(reply.getHeader('content-type') ?? '');
    if (isApiRequest(request) || (request.user && !type.startsWith('text/html') && !request.url.startsWith('/static/'))) {
      reply.header('cache-control', 'private, no-store');
    }
    return payload;
  });
  // Answers everyone may keep if they ask again (public feeds and the public calendar: "no-cache" without "private")
  // get an entity tag of their content; a visitor whose copy has it gets 304 without the content. Weak, because the
  // compressed and the plain answer carry the same tag. Cached pages bring their own (page-cache.ts).
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || reply.statusCode !== 200 || reply.hasHeader('etag')) return payload;
    const cacheControl = String(reply.getHeader('cache-control') ?? '');
    if (!/\bno-cache\b/.test(cacheControl) || /\bprivate\b/.test(cacheControl)) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const etag = `W/${entityTag(payload)}`;
    reply.header('etag', etag);
    if (!isFresh(request, etag.slice(2))) return payload;
    reply.code(304);
    return '';
  });
  // One signer for the session and form-token cookies, which remembers the cookies it has checked (cookie-signer.ts).
  const cookieSigner = rememberingSigner(config.sessionSecret);
  await app.register(fastifyCookie, { secret: cookieSigner });
  // Pages, stylesheets, JSON, CSV, feeds and SVG go out compressed when the visitor accepts it (brotli first, then
  // gzip). Before the routes, which it hooks into; cached pages bring their own compressed copy (page-cache.ts).
  await app.register(fastifyCompress, {
    encodings: ['br', 'gzip'],
    threshold: COMPRESS_FROM_BYTES,
    customTypes: /^text\/(?!event-stream)|(?:\+|\/)json(?:;|$)|(?:\+|\/)xml(?:;|$)/u,
  });

  app.decorateRequest('user', null);
  app.decorateRequest('lang', 'de');
  app.decorateRequest('t', null as any);
  app.decorateRequest('unreadNotifications', null);
  app.decorateRequest('openJoinRequests', null);

  app.addHook('onRequest', async (request) => {
    const cookieLang = request.cookies.lang;
    request.lang = isLang(cookieLang) ? cookieLang : 'de';
    request.t = translatorFor(request.lang);
  });

  // A visitor without a session cookie gets a cached page before any session work is done.
  const pageCache = new PageCache(config.pageCacheBytes);
  app.decorate('pageCache', pageCache);
  app.addHook('onRequest', async (request, reply) => {
    const version = request.routeOptions.config?.pageVersion;
    if (!version || request.method !== 'GET' || request.cookies.sid) return;
    return pageCache.answerAnonymous(request, reply, await version());
  });
  // A signed-in member's cached page with one statement for session, person and unread count (signed-in-pages.ts);
  // on anything out of the ordinary the request goes on below as usual.
  app.addHook('onRequest', signedInPages(db, pageCache));

  await app.register(fastifySession, {
    secret: cookieSigner,
    cookieName: 'sid',
    saveUninitialized: false,
    rolling: false,
    store: new DatabaseSessionStore(db, maxAgeMs, (err) => app.log.error({ err }, 'session callback failed')),
    cookie: { secure, httpOnly: true, sameSite: 'lax', path: '/', maxAge: maxAgeMs },
  });
  await app.register(fastifyCsrf, {
    cookieKey: 'csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure, signed: true },
    getToken: (req: FastifyRequest) => (req.body as Record<string, string> | undefined)?._csrf ?? (req.headers['x-csrf-token'] as string | undefined)
      // An upload form carries its token in its address, so it is checked before the file is read.
      ?? (req.routeOptions.config.csrfInQuery ? (req.query as Record<string, string | undefined>)._csrf : undefined),
  });
  await app.register(fastifyFormbody, { bodyLimit: 256 * 1024 });
  await app.register(fastifyRateLimit, {
    global: false,
    store: databaseRateLimitStore(db),
    keyGenerator: (req) => `${req.routeOptions.url}|${req.ip}`,
    errorResponseBuilder: (_request, context) => tooManyAttempts('accountSecurity.retryIn', context.ttl),
  });
  // A file asked for with its content hash (assets.ts) is kept a year; under its plain address, an hour.
  // Entity tag and Last-Modified come with every file, and a browser's copy that is still current gets 304.
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR, prefix: '/static/', index: false, decorateReply: false, wildcard: true, cacheControl: false,
    setHeaders: (res: any) => {
      const url: string = res.request?.url ?? res.req?.url ?? '';
      if (typeof res.header === 'function') res.header('cache-control', assetCacheControl(url));
      else res.setHeader('cache-control', assetCacheControl(url));
    },
  });


  // Control characters (see input.ts): an address with one names no page; text input loses them.
  app.addHook('preValidation', async (request) => {
    if (hasControlCharacters(request.params)) throw notFound();
    request.query = withoutControlCharacters(request.query);
    request.body = withoutControlCharacters(request.body);
  });

  // Who is asking and whether they may use the route is decided before any request body is read, so that
  // a refused request costs no more than its headers (the body is discarded unread).
  app.addHook('onRequest', async (request, reply) => {
    // The API authenticates by bearer token only: the session cookie does not count there.
    const api = isApiRequest(request);
    const bearer = api ? await bearerUser(db, request) : null;
    if (bearer) request.user = bearer;
    const userId = api ? undefined : request.session?.get('userId');
    if (userId) {
      request.user = await loadCurrentUser(db, userId, request.session.get('sessionGeneration') ?? 0);
      if (!request.user) await request.session.destroy();
    }
    if (!(await isSetupComplete(db)) && !SETUP_FREE.some((re) => re.test(request.url.split('?')[0]))) {
      return reply.seeOther('/einrichtung');
    }
    const action = request.is404 ? 'public' : request.routeOptions.config.action ?? '';
    if (!can(request.user, action)) {
      throw request.user ? forbidden() : signInRequired();
    }
  });
  // The form token needs the parsed form, so it is checked once the body is read.
  app.addHook('preHandler', async (request, reply) => {
    // A post to an address that does not exist changes nothing: it gets the 404 page, not a CSRF refusal.
    const bearer = isApiRequest(request) && request.user !== null;
    if (!SAFE_METHODS.includes(request.method) && !bearer && !request.is404 && !request.routeOptions.config.csrfExempt) {
      await new Promise<void>((resolvePromise, reject) => {
        app.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolvePromise()));
      });
    }
  });

  const views = new WeakMap<FastifyReply, ViewContext>();
  // The page helpers of every reply; also copied onto the bare replies that Fastify's router makes for its own errors.
  const replyHelpers = {} as Pick<FastifyReply, 'view' | 'pageHtml' | 'sendHtml' | 'page' | 'seeOther' | 'seeOtherSite' | 'personalise' | 'personalParts'>;
  replyHelpers.view = function (this: FastifyReply): ViewContext {
    const cached = views.get(this);
    if (cached) return cached;
    const request = this.request;
    let token: string | undefined;
    let flash: string | null = null;
    // An error before the session was read (the database did not answer) leaves no usable session.
    if (typeof request.session?.get === 'function' && request.session.get('flash')) {
      flash = request.session.get('flash') ?? null;
      request.session.set('flash', undefined);
    }
    const ctx: ViewContext = {
      t: request.t,
      lang: request.lang,
      user: request.user,
      path: request.url.split('?')[0],
      communityName: config.communityName,
      regionName: config.regionName,
      baseUrl: config.baseUrl,
      // In a page rendered for everyone of an audience (see page-cache.ts), a stand-in filled in per answer.
      csrf: () => (ctx.shared ? PERSONAL_MARKERS.csrf : (token ??= this.generateCsrf())),
      flash,
      unreadNotifications: request.unreadNotifications,
      openJoinRequests: request.openJoinRequests,
      can: (action, thing) => can(request.user, action, thing),
    };
    views.set(this, ctx);
    return ctx;
  };
  // The header's account area differs only by language, address, being signed in and the two counts: rendered once
  // per combination, kept cut at the stand-in for the form token, which each answer fills with its own. An answer
  // from the page cache (signed-in-pages.ts) makes no view context for it: the parts are read off the request.
  const accountAreas = new Map<string, string[]>();
  replyHelpers.personalParts = function (this: FastifyReply): PersonalParts {
    const request = this.request;
    const ctx = views.get(this);
    const csrf = ctx ? ctx.csrf() : this.generateCsrf();
    const mark = request.url.indexOf('?');
    const path = mark < 0 ? request.url : request.url.slice(0, mark);
    const key = `${request.lang}|${request.user ? 1 : 0}|${request.unreadNotifications ?? 0}|${request.openJoinRequests ?? 0}|${path}`;
    let area = accountAreas.get(key);
    if (area === undefined) {
      area = render(<AccountLinks ctx={{ ...this.view(), csrf: () => PERSONAL_MARKERS.csrf }} />).split(PERSONAL_MARKERS.csrf);
      if (accountAreas.size >= 2000) accountAreas.clear();
      accountAreas.set(key, area);
    }
    return { account: area.join(csrf), csrf };
  };
  replyHelpers.personalise = function (this: FastifyReply, html: string): string {
    const parts = this.personalParts();
    return splitAtPersonalMarkers(html).map((piece) => (piece === ACCOUNT_SLOT ? parts.account : piece === CSRF_SLOT ? parts.csrf : piece)).join('');
  };
  replyHelpers.pageHtml = function (this: FastifyReply, title, body, options = {}) {
    const ctx = this.view();
    return '<!doctype html>' + render(<Layout ctx={ctx} title={title} head={options.head} description={options.description} status={options.status}>{body}</Layout>);
  };
  replyHelpers.sendHtml = function (this: FastifyReply, html, status = 200) {
    return this.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  };
  replyHelpers.page = function (this: FastifyReply, title, body, options = {}) {
    return this.sendHtml(this.pageHtml(title, body, options), options.status ?? 200);
  };
  replyHelpers.seeOther = function (this: FastifyReply, url, flash) {
    if (flash) this.request.session?.set('flash', flash);
    return this.redirect(localTarget(url) ?? '/', 303);
  };
  replyHelpers.seeOtherSite = function (this: FastifyReply, url) {
    if (!(url instanceof URL) || !['https:', 'http:'].includes(url.protocol)) throw new Error('seeOtherSite takes an http(s) URL the platform built');
    return this.redirect(url.href, 303);
  };
  for (const [name, helper] of Object.entries(replyHelpers)) app.decorateReply(name, helper as () => unknown);

  /** The language of a request whose hooks did not run (an error before them): from the cookie, else German. */
  const ensureLanguage = (request: FastifyRequest) => {
    if (typeof request.t === 'function') return;
    const lang = /(?:^|;\s*)lang=(de|en)(?:;|$)/.exec(String(request.headers.cookie ?? ''))?.[1];
    request.lang = isLang(lang) ? lang : 'de';
    request.t = translatorFor(request.lang);
  };

  app.setNotFoundHandler(async (request, reply) => {
    ensureLanguage(request);
    const t = request.t;
    if (isApiRequest(request)) return sendProblem(reply, t, null, 404, t('errors.notFoundTitle'), t('errors.notFound'));
    return reply.page(t('errors.notFoundTitle'), <ErrorBody title={t('errors.notFoundTitle')} message={t('errors.notFound')} />, { status: 404 });
  });

  /** Answers an error as the German (or English) error page, or as problem details under /api/. */
  const answerError = (error: any, request: FastifyRequest, reply: FastifyReply) => {
    ensureLanguage(request);
    const t = request.t;
    const code = typeof error?.code === 'string' ? error.code : '';
    const known = FRAMEWORK_ERRORS[code];
    let status = 500;
    let title = t('errors.serverTitle');
    let message = t('errors.server');
    if (error instanceof AppError) {
      status = error.statusCode;
      title = t(error.titleKey);
      message = t(error.messageKey, error.vars);
    } else if (code.startsWith('FST_CSRF')) {
      status = 403;
      title = t('errors.csrfTitle');
      message = t('errors.csrf');
    } else if (error instanceof FormError) {
      status = 422;
      title = t('errors.badRequestTitle');
      message = Object.values(error.fields).map((f) => t(f.key, f.vars ?? {})).join(' ');
    } else if (known) {
      [status, title, message] = [known[0], t(known[1]), t(known[2])];
    } else if (error?.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      title = t('errors.badRequestTitle');
      message = t('errors.badRequest');
    }
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code, status }, 'request refused');
    if ((status === 429 || status === 503) && error.headers) reply.headers(error.headers);
    if (isApiRequest(request)) return sendProblem(reply, t, error, status, title, message);
    try {
      return reply.page(title, <ErrorBody title={title} message={message} errorNumber={t('operations.errorNumber', { id: request.id })} />, { status });
    } catch (err) {
      // The error page itself failed (the layout): the message alone, still German, still with the headers.
      request.log.error({ err }, 'error page failed');
      return reply.status(status).type('text/plain; charset=utf-8').header('cache-control', 'no-store')
        .send(`${title}\n\n${message}\n\n${t('operations.errorNumber', { id: request.id })}`);
    }
  };

  /** Whether the database answers within 3 seconds. */
  const databaseAnswers = async (): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        sql`select 1`.execute(db),
        new Promise((_resolve, reject) => { timer = setTimeout(() => reject(new Error('database did not answer')), 3000); }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  };

  app.setErrorHandler(async (error: any, request, reply) => {
    // A page that needs an account asks an anonymous visitor to sign in first, and then comes back.
    if (error instanceof AppError && error.code === 'SIGN_IN_REQUIRED' && request.method === 'GET' && !isApiRequest(request)) {
      return reply.seeOther(`/anmelden?weiter=${encodeURIComponent(request.url)}`);
    }
    // An unexpected error while the database does not answer (stopped, restarting, network gone) is that: a 503
    // page saying so, with Retry-After, rather than the general error page.
    const unexpected = !(error instanceof AppError) && !(error instanceof FormError) && !(error?.statusCode >= 400 && error.statusCode < 500);
    if (unexpected && !(await databaseAnswers())) {
      request.log.error({ err: error }, 'database unavailable');
      const unavailable = new AppError('DATABASE_UNAVAILABLE', 503, 'operations.databaseUnavailable', 'operations.databaseUnavailableTitle');
      unavailable.headers = { 'retry-after': '30' };
      return answerError(unavailable, request, reply);
    }
    return answerError(error, request, reply);
  });

  // Errors of the router (bad percent-encoding, an overlong path segment) come before any hook: the request gets
  // its language and the headers here, then the same answer as any other error.
  app.decorate('answerFrameworkError', (error: Error, request: FastifyRequest, reply: FastifyReply) => {
    applySecurityHeaders(reply.raw);
    reply.header('x-request-id', request.id);
    if (!('page' in reply)) Object.assign(reply, replyHelpers);
    request.user ??= null;
    return answerError(error, request, reply);
  });
  // Requests that Node's parser refuses (headers or address too long, a malformed request line) never reach Fastify.
  app.decorate('answerClientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket, headerSet, translatorFor('de')));
}

/** Fastify's own refusals, in the platform's words: status, title key, message key. */
const FRAMEWORK_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_BAD_URL: [400, 'requestErrors.badUrlTitle', 'requestErrors.badUrl'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'requestErrors.uriTooLongTitle', 'requestErrors.uriTooLong'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'requestErrors.bodyTooLargeTitle', 'requestErrors.bodyTooLarge'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'requestErrors.unsupportedTypeTitle', 'requestErrors.unsupportedType'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'errors.badRequestTitle', 'requestErrors.badJson'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'errors.badRequestTitle', 'requestErrors.badJson'],
};

/** Every error page names its problem in a level-one heading, like every other page, and the request's number for support. */
function ErrorBody({ title, message, errorNumber }: { title: string; message: string; errorNumber?: string }) {
  return <><h1>{title}</h1><p class="lead">{message}</p>{errorNumber && <p class="hint">{errorNumber}</p>}</>;
}

export const platformPlugin = fp(platform, { name: 'platform', fastify: '5.x' });
