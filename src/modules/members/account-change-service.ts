import { z } from 'zod';
import { recordAudit } from '../../platform/audit.js';
import { HOUR, isoIn } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { AppError, FormError, isUniqueViolation, tooManyAttempts } from '../../platform/errors.js';
import { email, parseForm, password } from '../../platform/forms.js';
import { countHit, withdrawHit } from '../../platform/http/rate-limit-store.js';
import { endSessionsOf } from '../../platform/http/session-store.js';
import { formatDateTime, translatorFor } from '../../platform/i18n/index.js';
import { enqueueMail, mailText } from '../../platform/mail/outbox.js';
import { hashPassword, requireStrongPassword, verifyPassword } from '../../platform/passwords.js';
import { hashLinkToken, newLinkToken } from '../../platform/tokens.js';
import type { Labels, MemberDeps } from './service.js';
import * as q from './queries.js';
import * as ec from './account-change-queries.js';

/** How long the confirmation link for a new e-mail address works. */
export const EMAIL_CHANGE_HOURS = 24;

/** Failed checks of the current password allowed per account in a window; 0 sets no limit. */
export interface PasswordCheckLimit { perAccount: number; windowMs: number }

/**
 * Checks the current password before a change of the account, under a limit on failures per account, so that
 * someone at an unattended, signed-in computer cannot try passwords here instead of on the sign-in page.
 */
export async function requireCurrentPassword(db: Db, user: { id: number; password_hash: string | null }, typed: string, limit: PasswordCheckLimit): Promise<void> {
  const key = `current-password:account:${user.id}`;
  const count = limit.perAccount > 0 ? await countHit(db, key, limit.windowMs) : null;
  if (count && count.current > limit.perAccount) {
    await withdrawHit(db, key, count.windowStart);
    throw tooManyAttempts('accountSecurity.retryIn', count.ttl);
  }
  if (!(await verifyPassword(user.password_hash, typed))) throw new FormError({ currentPassword: { key: 'accountChange.currentPasswordWrong' } });
  if (count) await withdrawHit(db, key, count.windowStart);
}

async function findActiveUser(db: Db, userId: number) {
  const user = await q.findUserById(db, userId);
  if (!user || !user.active) throw new AppError('NOT_FOUND', 404, 'errors.notFound', 'errors.notFoundTitle');
  return user;
}

// ---------------------------------------------------------------------------------------------
// Password

const changePasswordSchema = z.object({ currentPassword: z.string().min(1).max(200), password: password(), passwordRepeat: z.string() });

/**
 * Changes the password: the current one is required and the new one follows the platform's rule. Every other
 * session of the person ends; the new session generation is returned for the session that stays signed in.
 */
export async function changePassword(deps: MemberDeps, userId: number, input: Record<string, string>, labels: Labels, limit: PasswordCheckLimit): Promise<number> {
  const data = parseForm(changePasswordSchema, input, labels);
  const user = await findActiveUser(deps.db, userId);
  await requireCurrentPassword(deps.db, user, data.currentPassword, limit);
  if (data.password !== data.passwordRepeat) throw new FormError({ passwordRepeat: { key: 'validation.passwordMismatch' } });
  requireStrongPassword(data.password, [user.email, user.name, deps.config.communityName]);
  const hash = await hashPassword(data.password);
  return deps.db.transaction().execute(async (trx) => {
    await q.setPasswordHash(trx, userId, hash);
    await q.retireOpenTokens(trx, userId, 'reset');
    const generation = await endSessionsOf(trx, userId);
    const t = translatorFor(user.language);
    await enqueueMail(trx, {
      to: user.email,
      subject: t('accountChange.passwordChangedSubject', { community: deps.config.communityName }),
      text: mailText(t, deps.config.communityName, user.name, [t('accountChange.passwordChangedBody'), `${deps.config.baseUrl}/passwort-vergessen`]),
    });
    await recordAudit(trx, { actorId: userId, action: 'user.password_changed', targetType: 'user', targetId: userId });
    return generation;
  });
}

// ---------------------------------------------------------------------------------------------
// E-mail address

const changeEmailSchema = z.object({ email: email(), currentPassword: z.string().max(200).default('') });

/**
 * Asks to change the e-mail address: a link goes to the new address, and the address changes only when it is
 * opened. An address another account has is refused at once.
 */
export async function requestEmailChange(deps: MemberDeps, userId: number, input: Record<string, string>, labels: Labels, limit: PasswordCheckLimit): Promise<{ newEmail: string }> {
  const data = parseForm(changeEmailSchema, input, labels);
  const newEmail = data.email.toLowerCase();
  const user = await findActiveUser(deps.db, userId);
  if (newEmail === user.email) throw new FormError({ email: { key: 'accountChange.sameAddress' } });
  // The password first, so that only the account's owner learns whether an address is taken. An account without
  // a password (signing in elsewhere) has none to confirm with.
  if (user.password_hash) await requireCurrentPassword(deps.db, user, data.currentPassword, limit);
  if (await q.findUserByEmail(deps.db, newEmail)) throw new FormError({ email: { key: 'accountChange.emailTaken' } });
  const { token, hash } = newLinkToken();
  const expires = isoIn(EMAIL_CHANGE_HOURS * HOUR);
  await deps.db.transaction().execute(async (trx) => {
    await ec.retireOpenEmailChanges(trx, userId);
    await ec.insertEmailChange(trx, { user_id: userId, new_email: newEmail, token_hash: hash, expires_at: expires });
    const t = translatorFor(user.language);
    const community = deps.config.communityName;
    await enqueueMail(trx, {
      to: newEmail,
      subject: t('accountChange.confirmSubject', { community }),
      text: mailText(t, community, user.name, [
        t('accountChange.confirmBody', { email: newEmail, until: formatDateTime(expires, user.language) }),
        `${deps.config.baseUrl}/e-mail-bestaetigen/${token}`, '', t('accountChange.confirmIgnore'),
      ]),
    });
    await recordAudit(trx, { actorId: userId, action: 'user.email_change_requested', targetType: 'user', targetId: userId, details: { to: newEmail } });
  });
  return { newEmail };
}

export async function findEmailChange(db: Db, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  return ec.findUsableEmailChange(db, hashLinkToken(token));
}

const linkInvalid = () => new AppError('LINK_INVALID', 410, 'auth.linkInvalid', 'auth.linkInvalidTitle');
const takenMeanwhile = () => new AppError('EMAIL_TAKEN', 409, 'accountChange.emailTakenNow', 'accountChange.confirmTitle');

/** Opens the link: the address changes now, the link is spent, and the old address is told. */
export async function confirmEmailChange(deps: MemberDeps, token: string): Promise<{ userId: number; newEmail: string }> {
  const found = await findEmailChange(deps.db, token);
  if (!found) throw linkInvalid();
  try {
    return await deps.db.transaction().execute(async (trx) => {
      if (!(await ec.consumeEmailChange(trx, found.id))) throw linkInvalid();
      const holder = await q.findUserByEmail(trx, found.new_email);
      if (holder && holder.id !== found.user_id) throw takenMeanwhile();
      await ec.setEmail(trx, found.user_id, found.new_email);
      const t = translatorFor(found.language);
      const community = deps.config.communityName;
      await enqueueMail(trx, {
        to: found.old_email,
        subject: t('accountChange.changedSubject', { community }),
        text: mailText(t, community, found.name, [t('accountChange.changedBody', { email: found.new_email }), `${deps.config.baseUrl}/passwort-vergessen`]),
      });
      await recordAudit(trx, { actorId: found.user_id, action: 'user.email_changed', targetType: 'user', targetId: found.user_id, details: { from: found.old_email, to: found.new_email } });
      return { userId: found.user_id, newEmail: found.new_email };
    });
  } catch (err) {
    // Another account took the address between the check and the update.
    if (isUniqueViolation(err)) throw takenMeanwhile();
    throw err;
  }
}
