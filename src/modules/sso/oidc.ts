import * as client from 'openid-client';
import type { SignOnProvider } from '../../platform/config.js';

/**
 * The OpenID Connect protocol, all of it through openid-client: discovery, the authorization request with PKCE,
 * state and nonce, and the code exchange with the ID token's validation (issuer, audience, nonce, expiry, signature).
 * What one sign-in needs between leaving for the provider and coming back lives in the server-side session.
 */

/** What a sign-in keeps in the session while the person is at the provider. */
export interface PendingSignOn {
  provider: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Where to go after signing in (a path of the platform). */
  next: string;
  startedAt: number;
  /** The provider was asked to authenticate the person again (prompt=login, max_age=0), not to return silently. */
  freshAuthentication?: boolean;
}

/** Why a sign-in at the provider did not come back as a person: each has its own message. */
export class SignOnFailure extends Error {
  constructor(readonly reason: 'unavailable' | 'invalid' | 'cancelled' | 'state', cause?: unknown) {
    super(`sign-on failed: ${reason}`, { cause });
    this.name = 'SignOnFailure';
  }
}

const TIMEOUT_SECONDS = 10;

/** The provider's metadata is fetched once per process and kept; a failed discovery is tried again next time. */
const discovered = new Map<string, Promise<client.Configuration>>();

function cacheKey(provider: SignOnProvider): string {
  return `${provider.issuer}|${provider.clientId}`;
}

/** A failure of the network or of the provider itself, rather than of what it answered. */
function isUnreachable(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return err instanceof TypeError || code === 'OAUTH_TIMEOUT' || code === 'OAUTH_ABORT'
    || (code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' && Number((err as { cause?: { status?: number } }).cause?.status) >= 500);
}

async function configurationOf(provider: SignOnProvider): Promise<client.Configuration> {
  const key = cacheKey(provider);
  let config = discovered.get(key);
  if (!config) {
    const issuer = new URL(provider.issuer);
    // Plain http is only ever allowed for a provider on this machine (the configuration refuses anything else).
    const execute = issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [];
    config = client.discovery(issuer, provider.clientId, provider.clientSecret, undefined, { timeout: TIMEOUT_SECONDS, execute })
      .then((c) => {
        // ID tokens from the token endpoint have their signature checked too, not only their claims.
        client.enableNonRepudiationChecks(c);
        return c;
      });
    discovered.set(key, config);
    config.catch(() => discovered.delete(key));
  }
  try {
    return await config;
  } catch (err) {
    throw new SignOnFailure('unavailable', err);
  }
}

/** Forgets the discovered metadata (tests start providers on new ports). */
export function forgetDiscoveredProviders(): void {
  discovered.clear();
}

/** The address the provider sends the person back to; registered at the provider as the redirect URI. */
export function redirectUri(baseUrl: string, provider: SignOnProvider): string {
  return `${baseUrl}/anmelden/sso/${provider.id}/rueckkehr`;
}

/**
 * Starts a sign-in: the provider's authorization address and what the session keeps until the person returns.
 * With `fresh`, the provider is asked to authenticate the person again even if it has a session of its own
 * (prompt=login, and max_age=0, which also obliges it to name the time of authentication, auth_time).
 */
export async function beginSignOn(provider: SignOnProvider, baseUrl: string, next: string, fresh = false): Promise<{ url: URL; pending: PendingSignOn }> {
  const config = await configurationOf(provider);
  const pending: PendingSignOn = {
    provider: provider.id, state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier(),
    next, startedAt: Date.now(), ...(fresh ? { freshAuthentication: true } : {}),
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(baseUrl, provider),
    scope: provider.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
    ...(fresh ? { prompt: 'login', max_age: '0' } : {}),
  });
  return { url, pending };
}

/** The person as the provider vouches for them. */
export interface SignOnIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  claims: Record<string, unknown>;
  /** When the provider last authenticated the person (epoch ms, from the ID token's auth_time), if it says so. */
  authenticatedAt: number | null;
  /** Where to end the session at the provider too (RP-initiated logout), when it offers that. */
  endSessionUrl: string | null;
}

/**
 * Completes a sign-in from the address the provider sent the person back to: checks state, exchanges the code
 * (with the PKCE verifier) and validates the ID token; asks the user-info endpoint when the ID token names no address.
 */
export async function completeSignOn(provider: SignOnProvider, baseUrl: string, currentUrl: URL, pending: PendingSignOn): Promise<SignOnIdentity> {
  const config = await configurationOf(provider);
  // A return that does not belong to the sign-in this browser started (the library checks it again below).
  if (currentUrl.searchParams.get('state') !== pending.state) throw new SignOnFailure('state');
  if (currentUrl.searchParams.has('error')) throw new SignOnFailure('cancelled');
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true,
    });
  } catch (err) {
    if (isUnreachable(err)) throw new SignOnFailure('unavailable', err);
    throw new SignOnFailure('invalid', err);
  }
  const idClaims = tokens.claims();
  if (!idClaims) throw new SignOnFailure('invalid');
  let claims: Record<string, unknown> = { ...idClaims };
  if (typeof claims.email !== 'string' && config.serverMetadata().userinfo_endpoint) {
    try {
      claims = { ...(await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)), ...claims };
    } catch (err) {
      throw new SignOnFailure(isUnreachable(err) ? 'unavailable' : 'invalid', err);
    }
  }
  const verified = claims[provider.emailVerifiedClaim];
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim()
    : [claims.given_name, claims.family_name].filter((p) => typeof p === 'string' && p.trim()).join(' ') || null;
  const endSession = config.serverMetadata().end_session_endpoint && tokens.id_token
    ? client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: `${baseUrl}/` }).href
    : null;
  return {
    subject: idClaims.sub,
    email: typeof claims.email === 'string' && claims.email.includes('@') ? claims.email.trim().toLowerCase() : null,
    emailVerified: verified === true || verified === 'true',
    name,
    claims,
    authenticatedAt: typeof idClaims.auth_time === 'number' && Number.isFinite(idClaims.auth_time) ? idClaims.auth_time * 1000 : null,
    endSessionUrl: endSession,
  };
}
