import type { Config, SignOnOrganisationRule, SignOnProvider } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, isUniqueViolation } from '../../platform/errors.js';
import type { Lang } from '../../platform/i18n/index.js';
import { accountByEmail, accountById, createAccountWithoutPassword, type SignOnAccount } from '../members/service.js';
import { findOrganisationByReference } from '../organisations/service.js';
import type { SignOnIdentity } from './oidc.js';
import * as q from './queries.js';

export interface SignOnDeps {
  db: Db;
  config: Pick<Config, 'signOnProviders' | 'signOnOrganisations'>;
}

/** What a sign-in through a provider leads to. */
export type SignOnOutcome =
  | { kind: 'signedIn'; account: SignOnAccount; created: boolean; linked: boolean }
  /** No organisation of the region admits the person: they may ask to join, with name and address filled in. */
  | { kind: 'join'; name: string; email: string }
  /** The account exists but is switched off. */
  | { kind: 'deactivated' }
  /** The provider did not confirm the address (or named none): no account is created or linked with it. */
  | { kind: 'unverified' }
  /** The account is linked to another person at this provider already. */
  | { kind: 'linkedElsewhere' };

/** How far the provider's clock may be behind ours when it says it authenticated the person just now. */
const CLOCK_TOLERANCE_MS = 30_000;

/**
 * When the person signed in, for steps that need a recent sign-in: the provider's time of authentication (auth_time)
 * when it names one, else the moment of return. When a fresh authentication was asked for, only an auth_time from
 * after that request counts; otherwise the time is the provider's old one (or unknown) and `freshConfirmed` is false.
 */
export function signInTime(identity: Pick<SignOnIdentity, 'authenticatedAt'>, pending: { startedAt: number; freshAuthentication?: boolean },
  now = Date.now()): { signedInAt: number | null; freshConfirmed: boolean } {
  const at = identity.authenticatedAt === null ? null : Math.min(identity.authenticatedAt, now);
  if (!pending.freshAuthentication) return { signedInAt: at ?? now, freshConfirmed: true };
  const confirmed = at !== null && at >= pending.startedAt - CLOCK_TOLERANCE_MS;
  return { signedInAt: at, freshConfirmed: confirmed };
}

export function providerById(config: Pick<Config, 'signOnProviders'>, id: string): SignOnProvider | undefined {
  return config.signOnProviders.find((p) => p.id === id);
}

/**
 * Checks at start-up that every organisation the sign-on table names exists, so that a typo stops the start
 * instead of sending people to the join queue.
 */
export async function checkSignOnOrganisations(db: Db, rules: SignOnOrganisationRule[]): Promise<void> {
  const unknown: string[] = [];
  for (const rule of rules) if (!(await findOrganisationByReference(db, rule.organisation))) unknown.push(rule.organisation);
  if (unknown.length > 0) {
    throw new Error(`OIDC_ORGANISATIONS names organisations that do not exist (use slug, AGS or name): ${[...new Set(unknown)].join(', ')}`);
  }
}

/**
 * The organisation that admits a person: a rule on a claim first (e.g. the Entra tenant), then the domain of a
 * verified address. Only a verified address counts, so no one enters by typing an address at their provider.
 */
async function admittingOrganisation(db: Db, rules: SignOnOrganisationRule[], identity: SignOnIdentity): Promise<number | null> {
  const claimValues = (claim: string) => [identity.claims[claim]].flat().filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean').map(String);
  const claimRule = rules.find((r) => r.kind === 'claim' && claimValues(r.claim).includes(r.value));
  const domain = identity.email && identity.emailVerified ? identity.email.slice(identity.email.lastIndexOf('@') + 1) : null;
  const rule = claimRule ?? rules.find((r) => r.kind === 'domain' && r.domain === domain);
  if (!rule) return null;
  return (await findOrganisationByReference(db, rule.organisation))?.id ?? null;
}

function displayName(identity: SignOnIdentity): string {
  return (identity.name ?? identity.email!.slice(0, identity.email!.indexOf('@'))).slice(0, 120);
}

/**
 * Decides who signs in. A known subject signs in to its account. Otherwise a verified address is required: it links
 * the account with that address, or creates a member account in the organisation the sign-on table names for the
 * person, or (no organisation) leads to the join form. Linking and creating happen in one transaction.
 */
export async function signOn(deps: SignOnDeps, provider: SignOnProvider, identity: SignOnIdentity, lang: Lang): Promise<SignOnOutcome> {
  try {
    return await decide(deps, provider, identity, lang);
  } catch (err) {
    // A simultaneous first sign-in of the same person created the account or link first: now it is known.
    if (!isUniqueViolation(err)) throw err;
    return decide(deps, provider, identity, lang);
  }
}

async function decide(deps: SignOnDeps, provider: SignOnProvider, identity: SignOnIdentity, lang: Lang): Promise<SignOnOutcome> {
  const { db } = deps;
  const link = await q.findLink(db, provider.id, identity.subject);
  if (link) {
    const account = await accountById(db, link.user_id);
    if (!account?.active) return { kind: 'deactivated' };
    await q.touchLink(db, link.id);
    return { kind: 'signedIn', account, created: false, linked: false };
  }
  if (!identity.email || !identity.emailVerified) return { kind: 'unverified' };
  const email = identity.email;
  const existing = await accountByEmail(db, email);
  if (existing) {
    if (!existing.active) return { kind: 'deactivated' };
    if (await q.findLinkOfUser(db, existing.id, provider.id)) return { kind: 'linkedElsewhere' };
    await db.transaction().execute(async (trx) => {
      await q.insertLink(trx, { user_id: existing.id, provider: provider.id, subject: identity.subject, email });
      await recordAudit(trx, { actorId: existing.id, action: 'sso.linked', targetType: 'user', targetId: existing.id, details: { provider: provider.id, email } });
    });
    return { kind: 'signedIn', account: existing, created: false, linked: true };
  }
  const organisationId = await admittingOrganisation(db, deps.config.signOnOrganisations, identity);
  if (organisationId === null) return { kind: 'join', name: displayName(identity), email };
  const account = await db.transaction().execute(async (trx) => {
    const created = await createAccountWithoutPassword(trx, { email, name: displayName(identity), organisationId, language: lang });
    await q.insertLink(trx, { user_id: created.id, provider: provider.id, subject: identity.subject, email });
    await recordAudit(trx, { actorId: created.id, action: 'sso.account_created', targetType: 'user', targetId: created.id, details: { provider: provider.id, email } });
    return created;
  });
  return { kind: 'signedIn', account, created: true, linked: true };
}

/** The links of some accounts (all when null), with the provider's display name. */
export async function linksOf(deps: { db: Db; config: Pick<Config, 'signOnProviders'> }, userIds: number[] | null) {
  const rows = await q.listLinksOf(deps.db, userIds);
  return rows.map((r) => ({ ...r, providerName: providerById(deps.config, r.provider)?.name ?? r.provider }));
}

export type SignOnLink = Awaited<ReturnType<typeof linksOf>>[number];

/** An administrator removes a link: the next sign-in through that provider links again only by a verified address. */
export async function unlink(deps: SignOnDeps, userId: number, provider: string, actorId: number): Promise<{ name: string; providerName: string }> {
  return deps.db.transaction().execute(async (trx) => {
    const account = await accountById(trx, userId);
    if (!account || !(await q.deleteLink(trx, userId, provider))) throw new AppError('NOT_FOUND', 404, 'errors.notFound', 'errors.notFoundTitle');
    await recordAudit(trx, { actorId, action: 'sso.unlinked', targetType: 'user', targetId: userId, details: { provider } });
    return { name: account.name, providerName: providerById(deps.config, provider)?.name ?? provider };
  });
}
