import { z } from 'zod';
import type { Config } from '../../platform/config.js';
import type { Db, Tx } from '../../platform/db/database.js';
import type { Role } from '../../platform/db/schema.js';
import { recordAudit } from '../../platform/audit.js';
import { HOUR, isoIn } from '../../platform/clock.js';
import { AppError, FormError, isUniqueViolation } from '../../platform/errors.js';
import { checkEach, email, optionalText, parseForm, password, text } from '../../platform/forms.js';
import { formatDateTime, languages, translatorFor, type Lang, type T } from '../../platform/i18n/index.js';
import { enqueueMail, mailText } from '../../platform/mail/outbox.js';
import { notify, staffIds } from '../notifications/service.js';
import { hashPassword, requireStrongPassword, verifyPassword } from '../../platform/passwords.js';
import { hashLinkToken, newLinkToken } from '../../platform/tokens.js';
import { deleteSessionsOf, endSessionsOf } from '../../platform/http/session-store.js';
import { countHit, withdrawHit } from '../../platform/http/rate-limit-store.js';
import { missingLegalPages } from '../legal/service.js';
import type { Person } from '../../platform/personal-data.js';
import { findOrCreateOtherOrganisation, findOrganisation } from '../organisations/service.js';
import * as q from './queries.js';

export interface MemberDeps {
  db: Db;
  config: Pick<Config, 'baseUrl' | 'communityName'>;
}

export const INVITE_HOURS = 7 * 24;
export const RESET_HOURS = 2;

// ---------------------------------------------------------------------------------------------
// Organisation field shared by the join, setup and invitation forms

export const OTHER = 'andere';

const organisationChoice = {
  organisation: z.string().regex(/^(\d+|andere)$/),
  organisationOther: optionalText(200),
};

async function resolveOrganisation(db: Db | Tx, choice: { organisation: string; organisationOther: string }, labels: Labels): Promise<{ id: number | null; other: string | null }> {
  if (choice.organisation === OTHER) {
    if (!choice.organisationOther) throw new FormError({ organisationOther: { key: 'validation.otherOrganisation' } });
    return { id: null, other: choice.organisationOther };
  }
  const org = await findOrganisation(db, Number(choice.organisation));
  if (!org) throw new FormError({ organisation: { key: 'validation.choose', vars: { field: labels.organisation } } });
  return { id: org.id, other: null };
}

export type Labels = Record<string, string>;

// ---------------------------------------------------------------------------------------------
// Joining

const joinSchema = z.object({
  name: text(120),
  email: email(),
  ...organisationChoice,
  jobFunction: text(120),
  message: optionalText(2000),
  // A refinement, so the issue is 'custom' and parseForm shows this key (a literal's 'invalid_value' would read "choose from the list").
  consent: z.string().default('').refine((value) => value === '1', { message: 'validation.consent' }),
});

/**
 * The legal pages that keep the join form closed: nobody is asked for personal data before the operator has
 * published who they are (Impressum) and what happens to the data (Datenschutzerklärung). Empty: the form is open.
 */
export const pagesKeepingJoinClosed = missingLegalPages;

/**
 * Records a join request, in the language the form was filled in, and tells the administrators. An address
 * that already has an account or an open request gets a mail instead (in the language of that account or
 * request), and the visitor sees the same answer in every case, so no one learns who has asked or joined.
 */
export async function submitJoinRequest(deps: MemberDeps, input: Record<string, string>, labels: Labels, lang: Lang): Promise<void> {
  const { db, config } = deps;
  if ((await pagesKeepingJoinClosed(db)).length > 0) throw new AppError('JOIN_CLOSED', 409, 'legalGate.closed', 'legalGate.closedTitle');
  let data!: z.infer<typeof joinSchema>;
  let org!: Awaited<ReturnType<typeof resolveOrganisation>>;
  // Checked before the account lookup, so an invalid form is refused alike for every address; all problems at once.
  await checkEach(
    () => { data = parseForm(joinSchema, input, labels); },
    async () => { org = await resolveOrganisation(db, { organisation: (input.organisation ?? '').trim(), organisationOther: (input.organisationOther ?? '').trim() }, labels); },
  );
  const existing = await q.findUserByEmail(db, data.email);
  if (existing) return mailKnownAddress(deps, data, existing.language, 'account');
  const pending = await q.findPendingJoinRequestByEmail(db, data.email);
  if (pending) return mailKnownAddress(deps, data, pending.language, 'request');
  try {
    await db.transaction().execute(async (trx) => {
      const { id } = await q.insertJoinRequest(trx, {
        name: data.name, email: data.email, organisation_id: org.id, organisation_other: org.other,
        job_function: data.jobFunction, message: data.message, language: lang,
      });
      const orgName = org.other ?? (await findOrganisation(trx, org.id!))?.name ?? '';
      for (const admin of await q.listAdmins(trx)) {
        const t = translatorFor(admin.language);
        await enqueueMail(trx, {
          to: admin.email,
          subject: t('mail.joinReceivedSubject', { name: data.name }),
          text: mailText(t, deps.config.communityName, admin.name, [t('mail.joinReceivedBody', { name: data.name, organisation: orgName }), `${config.baseUrl}/verwaltung/anfragen`]),
          dedupeKey: `join-received:${id}:${admin.id}`,
        });
      }
      // In the app too, next to the badge in the header (the mail above goes in any case).
      await notify(trx, {
        userIds: await staffIds(trx, ['admin']), kind: 'join_request', messageKey: 'communityNotices.messages.joinRequest',
        params: { name: data.name, organisation: orgName }, url: '/verwaltung/anfragen', dedupeKey: `join-request:${id}`,
      });
    });
  } catch (err) {
    // A simultaneous submission for the same address landed first: this one is a second request like any other.
    if (!isUniqueViolation(err)) throw err;
    const winner = await q.findPendingJoinRequestByEmail(db, data.email);
    await mailKnownAddress(deps, data, winner?.language ?? lang, 'request');
  }
}

/** Tells an address that has an account or an open request what to do instead of asking again; at most one mail a day. */
async function mailKnownAddress(deps: MemberDeps, data: { name: string; email: string }, lang: Lang, known: 'account' | 'request'): Promise<void> {
  const { config } = deps;
  const t = translatorFor(lang);
  const address = data.email.toLowerCase();
  const [subject, body] = known === 'account'
    ? [t('mail.existingAccountSubject', { community: config.communityName }), t('mail.existingAccountBody')]
    : [t('accountSecurity.pendingRequestSubject', { community: config.communityName }), t('accountSecurity.pendingRequestBody')];
  await enqueueMail(deps.db, {
    to: address,
    subject,
    text: mailText(t, config.communityName, data.name, [body, `${config.baseUrl}/anmelden`, `${config.baseUrl}/passwort-vergessen`]),
    dedupeKey: `join-${known === 'account' ? 'existing' : 'pending'}:${address}:${new Date().toISOString().slice(0, 10)}`,
  });
}

export const pendingJoinRequests = q.listPendingJoinRequests;

/** The invitation or reset link, mailed in the person's language. */
/**
 * The invitation's text: who invites (an administrator by name and organisation, or the approval of the person's own
 * request), what the community offers in three lines, and the link.
 */
async function invitationText(trx: Tx, t: T, community: string, inviterId: number | null, approved: boolean, until: string, link: string): Promise<{ subject: string; lines: string[] }> {
  const inviter = inviterId === null ? undefined : await trx.selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['users.name', 'organisations.name as organisation']).where('users.id', '=', inviterId).executeTakeFirst();
  const opening = approved || !inviter
    ? t('onboarding.mail.inviteBodyApproved', { community })
    : t('onboarding.mail.inviteBody', { inviter: inviter.name, organisation: inviter.organisation, community });
  return {
    subject: inviter && !approved ? t('onboarding.mail.inviteSubject', { inviter: inviter.name, community }) : t('mail.inviteSubject', { community }),
    lines: [opening, '', t('onboarding.mail.whatTitle'), t('onboarding.mail.what1'), t('onboarding.mail.what2'), t('onboarding.mail.what3'), '',
      t('onboarding.mail.linkIntro', { until }), link],
  };
}

async function issueLinkMail(
  deps: MemberDeps, trx: Tx, user: { id: number; email: string; name: string; language: Lang }, purpose: 'invite' | 'reset',
  invitation: { inviterId: number | null; approved: boolean } = { inviterId: null, approved: false },
): Promise<void> {
  const { token, hash } = newLinkToken();
  const hours = purpose === 'invite' ? INVITE_HOURS : RESET_HOURS;
  const expires = isoIn(hours * HOUR);
  await q.retireOpenTokens(trx, user.id, purpose);
  await q.insertToken(trx, { user_id: user.id, purpose, token_hash: hash, expires_at: expires });
  const link = `${deps.config.baseUrl}/passwort-setzen/${token}`;
  const t = translatorFor(user.language);
  const until = formatDateTime(expires, user.language);
  const community = deps.config.communityName;
  if (purpose === 'invite') {
    const { subject, lines } = await invitationText(trx, t, community, invitation.inviterId, invitation.approved, until, link);
    await enqueueMail(trx, { to: user.email, subject, text: mailText(t, community, user.name, lines) });
    return;
  }
  await enqueueMail(trx, { to: user.email, subject: t('mail.resetSubject', { community }), text: mailText(t, deps.config.communityName, user.name, [t('mail.resetBody', { until }), link, '', t('mail.resetIgnore')]) });
}

/** Approves a request: creates the account (and a new organisation if one was named) and mails the invitation. */
export async function approveJoinRequest(deps: MemberDeps, requestId: number, actorId: number): Promise<{ name: string }> {
  try {
    return await approveInTransaction(deps, requestId, actorId);
  } catch (err) {
    // A simultaneous approval (or invitation) created the account first: answer as for a second click, not with a 500.
    if (!isUniqueViolation(err)) throw err;
    const request = await q.findJoinRequest(deps.db, requestId);
    if (request && request.status !== 'pending') throw new AppError('ALREADY_DECIDED', 409, 'admin.alreadyDecided');
    if (request && (await q.findUserByEmail(deps.db, request.email))) throw new AppError('EMAIL_TAKEN', 409, 'admin.emailTaken');
    throw err;
  }
}

function approveInTransaction(deps: MemberDeps, requestId: number, actorId: number): Promise<{ name: string }> {
  return deps.db.transaction().execute(async (trx) => {
    const request = await q.lockJoinRequest(trx, requestId);
    if (!request || request.status !== 'pending') throw new AppError('ALREADY_DECIDED', 409, 'admin.alreadyDecided');
    if (await q.findUserByEmail(trx, request.email)) throw new AppError('EMAIL_TAKEN', 409, 'admin.emailTaken');
    const organisationId = request.organisation_id ?? await findOrCreateOtherOrganisation(trx, request.organisation_other ?? '');
    const { id: userId } = await q.insertUser(trx, {
      email: request.email, name: request.name, job_function: request.job_function, role: 'member', organisation_id: organisationId, password_hash: null,
      language: request.language,
    });
    if (!(await q.decideJoinRequest(trx, requestId, { status: 'approved', decided_by: actorId, reason: null, user_id: userId }))) {
      throw new AppError('ALREADY_DECIDED', 409, 'admin.alreadyDecided');
    }
    await issueLinkMail(deps, trx, { id: userId, email: request.email, name: request.name, language: request.language }, 'invite', { inviterId: actorId, approved: true });
    await recordAudit(trx, { actorId, action: 'join.approved', targetType: 'join_request', targetId: requestId, details: { email: request.email, userId } });
    return { name: request.name };
  });
}

const rejectSchema = z.object({ reason: text(2000) });

export async function rejectJoinRequest(deps: MemberDeps, requestId: number, actorId: number, input: Record<string, string>, labels: Labels): Promise<{ name: string }> {
  const { reason } = parseForm(rejectSchema, input, labels);
  return deps.db.transaction().execute(async (trx) => {
    const request = await q.lockJoinRequest(trx, requestId);
    if (!request || !(await q.decideJoinRequest(trx, requestId, { status: 'rejected', decided_by: actorId, reason, user_id: null }))) {
      throw new AppError('ALREADY_DECIDED', 409, 'admin.alreadyDecided');
    }
    const t = translatorFor(request.language);
    await enqueueMail(trx, {
      to: request.email,
      subject: t('mail.rejectSubject', { community: deps.config.communityName }),
      text: mailText(t, deps.config.communityName, request.name, [t('mail.rejectBody'), '', reason]),
    });
    await recordAudit(trx, { actorId, action: 'join.rejected', targetType: 'join_request', targetId: requestId, details: { email: request.email, reason } });
    return { name: request.name };
  });
}

/** Deletes rejected join requests decided before the given moment (the retention period); returns how many. */
export function purgeRejectedJoinRequests(db: Db, decidedBefore: string): Promise<number> {
  return q.deleteRejectedJoinRequests(db, decidedBefore);
}

/**
 * Deletes invitation and password links that expired or were used before the given moment, and access keys
 * revoked before it; returns how many. A link past its time can no longer be used, so nothing depends on it.
 */
export async function purgeSpentLinks(db: Db, spentBefore: string): Promise<number> {
  return (await q.deleteSpentTokens(db, spentBefore)) + (await q.deleteRevokedApiTokens(db, spentBefore));
}

// ---------------------------------------------------------------------------------------------
// Invitations and first administrator

const inviteSchema = z.object({ name: text(120), email: email(), ...organisationChoice, jobFunction: optionalText(120), role: z.enum(['member', 'moderator', 'admin']) });

/**
 * An administrator invites a person directly; they receive a link to set their password, in the language
 * the administrator uses, which is also the new account's until the person chooses another.
 */
export async function inviteMember(deps: MemberDeps, input: Record<string, string>, labels: Labels, actorId: number, lang: Lang): Promise<{ name: string }> {
  let data!: z.infer<typeof inviteSchema>;
  let org!: Awaited<ReturnType<typeof resolveOrganisation>>;
  await checkEach(
    () => { data = parseForm(inviteSchema, input, labels); },
    async () => { org = await resolveOrganisation(deps.db, { organisation: (input.organisation ?? '').trim(), organisationOther: (input.organisationOther ?? '').trim() }, labels); },
  );
  try {
    return await deps.db.transaction().execute(async (trx) => {
      if (await q.findUserByEmail(trx, data.email)) throw new FormError({ email: { key: 'admin.emailTaken' } });
      const organisationId = org.id ?? await findOrCreateOtherOrganisation(trx, org.other!);
      const { id } = await q.insertUser(trx, {
        email: data.email, name: data.name, job_function: data.jobFunction, role: data.role, organisation_id: organisationId, password_hash: null, language: lang,
      });
      await issueLinkMail(deps, trx, { id, email: data.email.toLowerCase(), name: data.name, language: lang }, 'invite', { inviterId: actorId, approved: false });
      await recordAudit(trx, { actorId, action: 'user.invited', targetType: 'user', targetId: id, details: { email: data.email.toLowerCase(), role: data.role } });
      return { name: data.name };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new FormError({ email: { key: 'admin.emailTaken' } });
    throw err;
  }
}

const setupSchema = z.object({ name: text(120), email: email(), ...organisationChoice, jobFunction: optionalText(120), password: password(), passwordRepeat: z.string() });

/**
 * Creates the first administrator, with the language setup was done in. The setup flag is inserted in the
 * same transaction under a primary key, so of two simultaneous attempts exactly one succeeds; afterwards
 * setup is closed for good.
 */
export async function createFirstAdministrator(deps: MemberDeps, input: Record<string, string>, labels: Labels, lang: Lang): Promise<number | null> {
  let data!: z.infer<typeof setupSchema>;
  let org!: Awaited<ReturnType<typeof resolveOrganisation>>;
  const typed = (name: string) => (input[name] ?? '').trim();
  // Every check runs, so the summary names every problem at once.
  await checkEach(
    () => { data = parseForm(setupSchema, input, labels); },
    () => { if ((input.password ?? '') !== (input.passwordRepeat ?? '')) throw new FormError({ passwordRepeat: { key: 'validation.passwordMismatch' } }); },
    () => requireStrongPassword(input.password ?? '', [typed('email'), typed('name'), deps.config.communityName]),
    async () => { org = await resolveOrganisation(deps.db, { organisation: typed('organisation'), organisationOther: typed('organisationOther') }, labels); },
  );
  const hash = await hashPassword(data.password);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('settings').values({ key: 'setup_completed', value: new Date().toISOString() }).execute();
      const organisationId = org.id ?? await findOrCreateOtherOrganisation(trx, org.other!);
      const { id } = await q.insertUser(trx, { email: data.email, name: data.name, job_function: data.jobFunction, role: 'admin', organisation_id: organisationId, password_hash: hash, language: lang });
      await recordAudit(trx, { actorId: id, action: 'setup.completed', targetType: 'user', targetId: id });
      return id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Signing in, passwords

const signInSchema = z.object({ email: z.string().trim().max(254), password: z.string().max(200) });

/** Who signs in: the session keeps the person's session generation, so that ending their sessions ends this one too. */
export interface SignIn { id: number; language: Lang; sessionGeneration: number }

/**
 * Returns who signs in for correct credentials, or null; the same answer and time for unknown addresses.
 * A deactivated account is told so, but only to whoever knows its password.
 */
export async function authenticate(deps: MemberDeps, input: Record<string, string>): Promise<SignIn | 'deactivated' | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const user = await q.findUserByEmail(deps.db, parsed.data.email);
  const ok = await verifyPassword(user && user.deleted_at === null ? user.password_hash : null, parsed.data.password);
  if (!ok || !user) return null;
  if (!user.active) return 'deactivated';
  return { id: user.id, language: user.language, sessionGeneration: user.session_generation };
}

/** How many failed sign-ins a window allows, per account and per client address; 0 sets no limit. */
export interface SignInLimits { perAccount: number; perAddress: number; windowMs: number }

export type SignInOutcome = { kind: 'signedIn'; user: SignIn } | { kind: 'failed' } | { kind: 'deactivated' } | { kind: 'limited'; retryAfterMs: number };

/**
 * Signs in under limits on failed attempts: per account, so no one can try many passwords on one person, and
 * (much higher) per client address, so no one can try one password on many people; a town hall behind one
 * address is not locked out by a colleague. Each attempt is counted before the password is checked, so that
 * simultaneous attempts cannot slip past the limit, and taken back when it succeeds or is refused unchecked.
 */
export async function signInWithLimits(deps: MemberDeps, input: Record<string, string>, clientAddress: string, limits: SignInLimits): Promise<SignInOutcome> {
  const account = (input.email ?? '').trim().toLowerCase().slice(0, 254);
  const counters = [
    { key: `sign-in:address:${clientAddress}`, max: limits.perAddress },
    { key: `sign-in:account:${account}`, max: limits.perAccount },
  ].filter((c) => c.max > 0);
  const counts = await Promise.all(counters.map((c) => countHit(deps.db, c.key, limits.windowMs)));
  const withdraw = () => Promise.all(counters.map((c, i) => withdrawHit(deps.db, c.key, counts[i].windowStart)));
  const exceeded = counts.filter((count, i) => count.current > counters[i].max);
  if (exceeded.length > 0) {
    await withdraw();
    return { kind: 'limited', retryAfterMs: Math.max(...exceeded.map((count) => count.ttl)) };
  }
  const user = await authenticate(deps, input);
  if (!user) return { kind: 'failed' };
  if (user === 'deactivated') return { kind: 'deactivated' };
  await withdraw();
  return { kind: 'signedIn', user };
}

/** Mails a reset link if the address has an account; says nothing either way. */
export async function requestPasswordReset(deps: MemberDeps, input: Record<string, string>, labels: Labels): Promise<void> {
  const { email: address } = parseForm(z.object({ email: email() }), input, labels);
  const user = await q.findUserByEmail(deps.db, address);
  if (!user || !user.active) return;
  await deps.db.transaction().execute((trx) => issueLinkMail(deps, trx, user, 'reset'));
}

export async function findLinkToken(db: Db, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  return q.findUsableToken(db, hashLinkToken(token));
}

const newPasswordSchema = z.object({ password: password(), passwordRepeat: z.string() });

/**
 * Sets the password through a one-time link; the link is spent in the same transaction, and every session the
 * person had ends (whoever knew the old password is out). Returns who signs in with the new password.
 */
export async function setPasswordWithLink(deps: MemberDeps, token: string, input: Record<string, string>, labels: Labels): Promise<SignIn> {
  let data!: z.infer<typeof newPasswordSchema>;
  await checkEach(
    () => { data = parseForm(newPasswordSchema, input, labels); },
    () => { if ((input.password ?? '') !== (input.passwordRepeat ?? '')) throw new FormError({ passwordRepeat: { key: 'validation.passwordMismatch' } }); },
  );
  const found = await findLinkToken(deps.db, token);
  if (!found) throw new AppError('LINK_INVALID', 410, 'auth.linkInvalid', 'auth.linkInvalidTitle');
  requireStrongPassword(data.password, [found.email, found.name, deps.config.communityName]);
  const hash = await hashPassword(data.password);
  return deps.db.transaction().execute(async (trx) => {
    if (!(await q.consumeToken(trx, found.id))) throw new AppError('LINK_INVALID', 410, 'auth.linkInvalid', 'auth.linkInvalidTitle');
    await q.setPasswordHash(trx, found.user_id, hash);
    await q.retireOpenTokens(trx, found.user_id, 'reset');
    const sessionGeneration = await endSessionsOf(trx, found.user_id);
    return { id: found.user_id, language: found.language, sessionGeneration };
  });
}

// ---------------------------------------------------------------------------------------------
// Profile and directory

const MAX_TAGS = 10;
const profileSchema = z.object({
  name: text(120), jobFunction: optionalText(120), expertise: optionalText(500), notifyEmail: z.string().optional(),
  // Left out (by an older form), the stored language stays.
  language: z.enum(languages).optional(),
});

export function parseTags(raw: string): string[] {
  return [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
}

export async function loadProfile(db: Db, userId: number) {
  const user = await q.findUserById(db, userId);
  if (!user) return undefined;
  return {
    name: user.name, jobFunction: user.job_function, expertise: (JSON.parse(user.expertise) as string[]).join(', '), notifyEmail: user.notify_email ? '1' : '',
    language: user.language,
  };
}

export async function updateProfile(deps: MemberDeps, userId: number, input: Record<string, string>, labels: Labels): Promise<void> {
  const data = parseForm(profileSchema, input, labels);
  const tags = parseTags(data.expertise);
  if (tags.length > MAX_TAGS) throw new FormError({ expertise: { key: 'validation.tooManyTags', vars: { max: MAX_TAGS } } });
  if (tags.some((tag) => tag.length > 40)) throw new FormError({ expertise: { key: 'validation.tooLong', vars: { field: labels.expertise, max: 40 } } });
  await q.updateProfileRow(deps.db, userId, {
    name: data.name, job_function: data.jobFunction, expertise: JSON.stringify(tags), notify_email: data.notifyEmail === '1' ? 1 : 0,
    ...(data.language ? { language: data.language } : {}),
  });
}

/** Stores the language a member switched the interface to; their mails follow it. */
export async function setLanguage(db: Db, userId: number, lang: Lang): Promise<void> {
  await q.setLanguage(db, userId, lang);
}

export async function memberDirectory(db: Db) {
  const rows = await q.listDirectory(db);
  return rows.map((r) => ({ ...r, expertise: JSON.parse(r.expertise) as string[] }));
}

const roleSchema = z.object({ role: z.enum(['member', 'moderator', 'admin']) });

/** Changes a role; the last administrator cannot give theirs away. */
export async function changeRole(deps: MemberDeps, userId: number, input: Record<string, string>, labels: Labels, actorId: number): Promise<{ name: string }> {
  const { role } = parseForm(roleSchema, input, labels);
  return deps.db.transaction().execute(async (trx) => {
    const user = await q.findUserById(trx, userId);
    if (!user) throw new AppError('NOT_FOUND', 404, 'errors.notFound', 'errors.notFoundTitle');
    if (user.role === 'admin' && role !== 'admin' && (await q.countAdmins(trx)) <= 1) throw new FormError({ role: { key: 'admin.lastAdmin' } });
    await q.setRole(trx, userId, role as Role);
    await recordAudit(trx, { actorId, action: 'user.role_changed', targetType: 'user', targetId: userId, details: { from: user.role, to: role } });
    return { name: user.name };
  });
}

// ---------------------------------------------------------------------------------------------
// Accounts for single sign-on (the sso module decides who enters; these read and create the accounts)

/** An account as single sign-on sees it. */
export interface SignOnAccount extends SignIn { name: string; email: string; active: boolean }

function signOnAccount(user: NonNullable<Awaited<ReturnType<typeof q.findUserByEmail>>>): SignOnAccount {
  return { id: user.id, name: user.name, email: user.email, active: user.active === 1, language: user.language, sessionGeneration: user.session_generation };
}

export async function accountByEmail(db: Db | Tx, address: string): Promise<SignOnAccount | undefined> {
  const user = await q.findUserByEmail(db, address);
  return user && signOnAccount(user);
}

export async function accountById(db: Db | Tx, id: number): Promise<SignOnAccount | undefined> {
  const user = await q.findUserById(db, id);
  return user && signOnAccount(user);
}

/** Creates a member account without a password, for a person a provider vouches for; they sign in through it. */
export async function createAccountWithoutPassword(trx: Tx, person: { email: string; name: string; organisationId: number; language: Lang }): Promise<SignOnAccount> {
  const { id } = await q.insertUser(trx, {
    email: person.email, name: person.name, job_function: '', role: 'member', organisation_id: person.organisationId, password_hash: null, language: person.language,
  });
  return (await accountById(trx, id))!;
}
// Accounts for the personal-data parts

/** The person behind an account that has not been deleted, as stored now; undefined for a deleted or unknown account. */
export async function personOf(db: Db | Tx, userId: number): Promise<(Person & { passwordHash: string | null; active: boolean }) | undefined> {
  const user = await q.findUserById(db, userId);
  if (!user || user.deleted_at !== null) return undefined;
  return {
    id: user.id, name: user.name, email: user.email, jobFunction: user.job_function, expertise: JSON.parse(user.expertise) as string[],
    role: user.role, organisationId: user.organisation_id, language: user.language, passwordHash: user.password_hash, active: user.active === 1,
  };
}

/** Whether the account is the only active administrator left, who must stay. */
export async function isLastAdministrator(db: Db | Tx, userId: number): Promise<boolean> {
  const user = await q.findUserById(db, userId);
  return !!user && user.role === 'admin' && user.active === 1 && (await q.countAdmins(db)) <= 1;
}

// ---------------------------------------------------------------------------------------------
// Account administration

export type AccountStatus = 'active' | 'deactivated' | 'invited';

const statusOf = (u: { active: number; password_hash: string | null }): AccountStatus =>
  (!u.active ? 'deactivated' : u.password_hash === null ? 'invited' : 'active');

/** Every account that has not been deleted, with its status, for the administrators. */
export async function accountList(db: Db) {
  const rows = await q.listAccounts(db);
  return rows.map(({ password_hash, ...r }) => ({ ...r, status: statusOf({ active: r.active, password_hash }) }));
}

/** One account for its administration page; deleted and unknown accounts are not found. */
export async function accountFor(db: Db, userId: number) {
  const row = await q.findAccount(db, userId);
  if (!row) throw new AppError('NOT_FOUND', 404, 'errors.notFound', 'errors.notFoundTitle');
  const { password_hash, ...rest } = row;
  return { ...rest, status: statusOf({ active: row.active, password_hash }) };
}

/**
 * Deactivates an account: it cannot sign in, every session ends at once; its content stays. The last
 * administrator cannot be deactivated.
 */
export async function deactivateAccount(deps: MemberDeps, userId: number, actorId: number): Promise<{ name: string }> {
  return deps.db.transaction().execute(async (trx) => {
    const user = await q.findUserById(trx, userId);
    if (!user || user.deleted_at !== null) throw new AppError('NOT_FOUND', 404, 'errors.notFound', 'errors.notFoundTitle');
    if (await isLastAdministrator(trx, userId)) throw new FormError({ _: { key: 'accountAdmin.lastAdmin' } });
    if (user.active) {
      await q.setActive(trx, userId, 0);
      await endSessionsOf(trx, userId);
      await deleteSessionsOf(trx, userId);
      await recordAudit(trx, { actorId, action: 'account.deactivated', targetType: 'user', targetId: userId });
    }
    return { name: user.name };
  });
}

/** Lets a deactivated account sign in again. */
export async function reactivateAccount(deps: MemberDeps, userId: number, actorId: number): Promise<{ name: string }> {
  return deps.db.transaction().execute(async (trx) => {
    const user = await q.findUserById(trx, userId);
    if (!user || user.deleted_at !== null) throw new AppError('NOT_FOUND', 404, 'errors.notFound', 'errors.notFoundTitle');
    if (!user.active) {
      await q.setActive(trx, userId, 1);
      await recordAudit(trx, { actorId, action: 'account.reactivated', targetType: 'user', targetId: userId });
    }
    return { name: user.name };
  });
}

/** Moves an account to another organisation (an existing one, or a new one named under "andere"). */
export async function changeOrganisation(deps: MemberDeps, userId: number, input: Record<string, string>, labels: Labels, actorId: number): Promise<{ name: string; organisation: string }> {
  const data = parseForm(z.object(organisationChoice), input, labels);
  const org = await resolveOrganisation(deps.db, data, labels);
  return deps.db.transaction().execute(async (trx) => {
    const user = await q.findUserById(trx, userId);
    if (!user || user.deleted_at !== null) throw new AppError('NOT_FOUND', 404, 'errors.notFound', 'errors.notFoundTitle');
    const organisationId = org.id ?? await findOrCreateOtherOrganisation(trx, org.other!);
    const name = (await findOrganisation(trx, organisationId))?.name ?? '';
    if (organisationId !== user.organisation_id) {
      await q.setOrganisation(trx, userId, organisationId);
      await recordAudit(trx, { actorId, action: 'account.organisation_changed', targetType: 'user', targetId: userId, details: { from: user.organisation_id, to: organisationId } });
    }
    return { name: user.name, organisation: name };
  });
}

/** Sends a new invitation to someone who has not set a password yet; the previous link stops working. */
export async function resendInvitation(deps: MemberDeps, userId: number, actorId: number): Promise<{ name: string }> {
  return deps.db.transaction().execute(async (trx) => {
    const user = await q.findUserById(trx, userId);
    if (!user || user.deleted_at !== null || !user.active) throw new AppError('NOT_FOUND', 404, 'errors.notFound', 'errors.notFoundTitle');
    if (user.password_hash !== null) throw new FormError({ _: { key: 'accountAdmin.notInvited' } });
    await issueLinkMail(deps, trx, user, 'invite', { inviterId: actorId, approved: false });
    await recordAudit(trx, { actorId, action: 'account.invitation_resent', targetType: 'user', targetId: userId });
    return { name: user.name };
  });
}

/** Invited people who have not set a password yet, the longest waiting first. */
export const openInvitations = q.listOpenInvitations;

/** How many join requests wait for a decision: the administrators see it in the header of every page. */
export const countPendingJoinRequests = q.countPendingJoinRequests;
