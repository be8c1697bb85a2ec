import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import type { Server } from 'node:http';
import Provider, { type Configuration } from 'oidc-provider';
import { freePort } from './browser.js';

/**
 * A real OpenID provider (oidc-provider) for tests, in this process on 127.0.0.1 and a free port. The platform's
 * side is the real openid-client: only the provider is under the test's control. It can
 * - sign in the next person without a login page (signInAs), or show its own login and consent pages (for a browser),
 * - keep its own session in a browser's cookies (ProviderBrowser), so that a later authorization can return silently,
 * - issue one defective ID token (expired, for another audience, with a wrong nonce, altered after signing, or one
 *   whose time of authentication is old or missing, as from a provider that ignores prompt=login),
 * - be stopped and started again (a provider that is down).
 */

export interface TestPerson {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  /** Further claims, e.g. tid (the Entra tenant) for organisation rules. */
  [claim: string]: unknown;
}

export type IdTokenDefect = 'expired' | 'wrongAudience' | 'wrongNonce' | 'tamperedSignature' | 'staleAuthTime' | 'withoutAuthTime';

/** A browser's cookies at the provider: passed to authorize() again, the provider's session carries over. */
export type ProviderBrowser = Map<string, string>;

/** Where following an authorization address ends: back at the platform, or on a page of the provider (its login). */
export type ProviderVisit = { returnedTo: URL } | { shown: URL; status: number; body: string };

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The environment that registers this provider with the platform (OIDC_PROVIDERS and OIDC_<ID>_*). */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Starts (or starts again) the provider, sending people back to the platform at this address. */
  start(platformBaseUrl: string): Promise<void>;
  /** Stops it: the provider is down until start() is called again. */
  stop(): Promise<void>;
  /** The next authorization that asks for a login is answered as this person, without a login page (authenticated at that time). */
  signInAs(person: TestPerson, options?: { authenticatedAt?: number }): void;
  /** People who sign in on the provider's own login page (by their sub as login name, any password). */
  addPerson(person: TestPerson): void;
  /** The next ID token from the token endpoint has this defect. */
  spoilNextIdToken(defect: IdTokenDefect): void;
  /** Follows the platform's redirect to the provider until the provider sends the browser back; returns that address. */
  authorize(authorizationUrl: string, browser?: ProviderBrowser): Promise<URL>;
  /** Follows the redirect like authorize(), but also reports a page the provider shows instead of sending the browser back. */
  visit(authorizationUrl: string, browser?: ProviderBrowser): Promise<ProviderVisit>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * Creates a provider for the platform at id `test` (button "Anmelden mit <name>"); its port is fixed now, so the
 * platform can be configured before the provider runs.
 */
export async function createOidcProvider(options: { id?: string; name?: string } = {}): Promise<TestOidcProvider> {
  const id = options.id ?? 'test';
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'ki-community';
  const clientSecret = 'test-client-secret-0123456789abcdef';
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const signingKey = createPrivateKey({ key: jwk as any, format: 'jwk' });

  const people = new Map<string, TestPerson>();
  let autoSignIn: { person: TestPerson; authenticatedAt?: number } | null = null;
  let defect: IdTokenDefect | null = null;
  let server: Server | null = null;

  /** Applies the defect to an ID token; all but the altered signature are signed again with the provider's key. */
  const spoil = (idToken: string, kind: IdTokenDefect): string => {
    const [header, payload, signature] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const now = Math.floor(Date.now() / 1000);
    if (kind === 'tamperedSignature') {
      // Someone in between makes the token name another address; the signature no longer fits.
      return `${header}.${b64url(JSON.stringify({ ...claims, email: 'chefin@olpe.de' }))}.${signature}`;
    }
    const { auth_time: _authTime, ...withoutAuthTime } = claims;
    const changed = kind === 'expired' ? { ...claims, iat: now - 7200, exp: now - 3600 }
      : kind === 'wrongAudience' ? { ...claims, aud: 'another-application', azp: 'another-application' }
        : kind === 'staleAuthTime' ? { ...claims, auth_time: now - 3600 }
          : kind === 'withoutAuthTime' ? withoutAuthTime
            : { ...claims, nonce: 'a-nonce-from-another-sign-in' };
    const input = `${header}.${b64url(JSON.stringify(changed))}`;
    return `${input}.${b64url(sign('sha256', Buffer.from(input), signingKey))}`;
  };

  const build = (platformBaseUrl: string) => {
    const configuration: Configuration = {
      clients: [{
        client_id: clientId, client_secret: clientSecret,
        redirect_uris: [`${platformBaseUrl}/anmelden/sso/${id}/rueckkehr`],
        post_logout_redirect_uris: [`${platformBaseUrl}/`],
        response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_post',
        // Like Keycloak: every ID token names the time of authentication (auth_time), not only when max_age asks for it.
        require_auth_time: true,
      }],
      jwks: { keys: [jwk as any] },
      cookies: { keys: ['test-cookie-key-for-the-provider-only'] },
      pkce: { required: () => true, methods: ['S256'] },
      claims: { openid: ['sub', 'tid'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'] },
      // Like Keycloak and Entra ID: the ID token carries the claims of the requested scopes.
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
      findAccount: async (_ctx, sub) => {
        const person = people.get(sub) ?? { sub, email: `${sub}@example.org`, email_verified: true };
        return { accountId: sub, claims: async () => ({ ...person, sub }) };
      },
    };
    const provider = new Provider(issuer, configuration);
    provider.use(async (ctx, next) => {
      if (ctx.method === 'GET' && ctx.path.startsWith('/interaction/') && autoSignIn) {
        const { person, authenticatedAt } = autoSignIn;
        autoSignIn = null;
        people.set(person.sub, person);
        const details = await provider.interactionDetails(ctx.req, ctx.res);
        const grant = new provider.Grant({ accountId: person.sub, clientId: String(details.params.client_id) });
        grant.addOIDCScope(String(details.params.scope));
        const grantId = await grant.save();
        const target = await provider.interactionResult(ctx.req, ctx.res, {
          login: { accountId: person.sub, ...(authenticatedAt !== undefined ? { ts: Math.floor(authenticatedAt / 1000) } : {}) }, consent: { grantId },
        }, { mergeWithLastSubmission: false });
        ctx.status = 303;
        ctx.redirect(target);
        return;
      }
      await next();
      if (ctx.method === 'POST' && ctx.path === '/token' && defect && ctx.status === 200) {
        const body = ctx.body as { id_token?: string };
        if (body.id_token) ctx.body = { ...body, id_token: spoil(body.id_token, defect) };
        defect = null;
      }
    });
    return provider;
  };

  async function visit(authorizationUrl: string, cookies: ProviderBrowser = new Map()): Promise<ProviderVisit> {
    let url = new URL(authorizationUrl);
    for (let hop = 0; hop < 10; hop++) {
      if (url.origin !== issuer) return { returnedTo: url };
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair.indexOf('=');
        cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
      const location = res.headers.get('location');
      if (!location) return { shown: url, status: res.status, body: await res.text() };
      url = new URL(location, url);
    }
    throw new Error('the provider redirected too often');
  }

  return {
    issuer, clientId, clientSecret,
    env: (extra = {}) => ({
      OIDC_PROVIDERS: id,
      [`OIDC_${id.toUpperCase()}_ISSUER`]: issuer,
      [`OIDC_${id.toUpperCase()}_CLIENT_ID`]: clientId,
      [`OIDC_${id.toUpperCase()}_CLIENT_SECRET`]: clientSecret,
      [`OIDC_${id.toUpperCase()}_NAME`]: options.name ?? 'Testdienst',
      ...extra,
    }),
    async start(platformBaseUrl) {
      if (server) return;
      const provider = build(platformBaseUrl);
      server = await new Promise<Server>((resolve, reject) => {
        const s = provider.listen(port, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
      });
    },
    async stop() {
      const s = server;
      server = null;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    signInAs(person, options = {}) {
      autoSignIn = { person, authenticatedAt: options.authenticatedAt };
    },
    addPerson(person) {
      people.set(person.sub, person);
    },
    spoilNextIdToken(kind) {
      defect = kind;
    },
    visit,
    async authorize(authorizationUrl, browser) {
      const outcome = await visit(authorizationUrl, browser);
      if ('returnedTo' in outcome) return outcome.returnedTo;
      throw new Error(`the provider answered ${outcome.shown.pathname} with ${outcome.status} and no redirect: ${outcome.body.slice(0, 300)}`);
    },
  };
}
