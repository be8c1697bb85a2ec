import { createHash, randomInt } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import { z } from 'zod';
import { recordAudit } from '../../platform/audit.js';
import type { Db } from '../../platform/db/database.js';
import type { Role } from '../../platform/db/schema.js';
import { AppError, FormError } from '../../platform/errors.js';
import { parseForm } from '../../platform/forms.js';
import { countHit, withdrawHit } from '../../platform/http/rate-limit-store.js';
import { requireCurrentPassword, type PasswordCheckLimit } from './account-change-service.js';
import type { MemberDeps, SignInLimits } from './service.js';
import * as q from './queries.js';
import * as tf from './two-factor-queries.js';

// RFC 6238 with the parameters every authenticator app understands: HMAC-SHA1, 6 digits, 30 seconds.
const PERIOD = 30;
const DIGITS = 6;
/** Accepted clock drift: the step before and the step after the current one. */
const WINDOW = 1;
/** Codes within this many steps (5 minutes) are recognised as expired rather than wrong, for a clearer message. */
const EXPIRED_WINDOW = 10;
export const RECOVERY_CODE_COUNT = 10;
/** Recovery codes: 16 characters of base32 (80 random bits), shown in groups of four. */
const RECOVERY_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function totpFor(secret: string, label = '', issuer = ''): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer, label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** The time step a code belongs to, or why it is not accepted. */
type CodeCheck = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'expired' };

function checkTotp(secret: string, code: string, now = Date.now()): CodeCheck {
  const totp = totpFor(secret);
  const delta = totp.validate({ token: code, timestamp: now, window: WINDOW });
  if (delta !== null) return { ok: true, step: totp.counter({ timestamp: now }) + delta };
  const far = totp.validate({ token: code, timestamp: now, window: EXPIRED_WINDOW });
  return { ok: false, reason: far === null ? 'wrong' : 'expired' };
}

/** What a person typed: six digits are a code of the app, anything else may be a recovery code. */
function normaliseCode(input: string): { kind: 'totp'; code: string } | { kind: 'recovery'; code: string } | null {
  const compact = input.replace(/[\s-]/g, '').toLowerCase();
  if (/^\d{6}$/.test(compact)) return { kind: 'totp', code: compact };
  if (/^[a-z2-7]{16}$/.test(compact)) return { kind: 'recovery', code: compact };
  return null;
}

/**
 * Recovery codes are stored as SHA-256 hashes, not with argon2 like passwords: each is 80 random bits, not
 * something a person chose, so there is no dictionary to try and a slow hash adds nothing; a fast one lets a
 * sign-in look a code up directly instead of verifying ten hashes one by one.
 */
function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < 16; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return code.match(/.{4}/g)!.join('-');
}

// ---------------------------------------------------------------------------------------------
// Status and setup

export interface TwoFactorStatus {
  /** Only accounts with a password can add a second factor to it. */
  hasPassword: boolean;
  enabled: boolean;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(db: Db, userId: number): Promise<TwoFactorStatus> {
  const user = await q.findUserById(db, userId);
  const enabled = await tf.hasTwoFactor(db, userId);
  return { hasPassword: Boolean(user?.password_hash), enabled, recoveryCodesLeft: enabled ? await tf.countUnusedRecoveryCodes(db, userId) : 0 };
}

export const hasTwoFactor = tf.hasTwoFactor;

/** What the setup page shows: the QR code (as SVG) and the same secret as text for typing it in. */
export interface TwoFactorSetup { secret: string; uri: string; qrSvg: string }

/**
 * Starts (or shows again) the setup: a new secret is kept as pending until a code from the app confirms it.
 * Showing the page again keeps the secret, so a code from an app that scanned it a moment ago still matches.
 */
export async function beginSetup(deps: MemberDeps, userId: number): Promise<TwoFactorSetup> {
  const user = await q.findUserById(deps.db, userId);
  if (!user?.password_hash) throw new AppError('NO_PASSWORD', 409, 'twoFactor.noPassword');
  const existing = await tf.findTwoFactor(deps.db, userId);
  if (existing?.enabled_at) throw new AppError('ALREADY_ENABLED', 409, 'twoFactor.alreadyEnabled');
  const secret = existing?.secret ?? new OTPAuth.Secret({ size: 20 }).base32;
  if (!existing) await tf.savePendingSecret(deps.db, userId, secret);
  const uri = totpFor(secret, user.email, deps.config.communityName).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, uri, qrSvg };
}

const codeSchema = z.object({ code: z.string().trim().min(1).max(40) });

const codeMessage = { wrong: 'twoFactor.codeWrong', expired: 'twoFactor.codeExpired', reused: 'twoFactor.codeReused' } as const;

/**
 * Confirms the setup with a code from the app; from now on the person signs in with a second factor.
 * Returns the recovery codes, in plain text this once; only their hashes are kept.
 */
export async function confirmSetup(deps: MemberDeps, userId: number, input: Record<string, string>, labels: Record<string, string>): Promise<string[]> {
  const { code } = parseForm(codeSchema, input, labels);
  const pending = await tf.findTwoFactor(deps.db, userId);
  if (!pending || pending.enabled_at) throw new AppError('ALREADY_ENABLED', 409, 'twoFactor.alreadyEnabled');
  const typed = normaliseCode(code);
  const check = typed?.kind === 'totp' ? checkTotp(pending.secret, typed.code) : { ok: false as const, reason: 'wrong' as const };
  if (!check.ok) throw new FormError({ code: { key: codeMessage[check.reason] } });
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await tf.enableTwoFactor(trx, userId, check.step))) throw new AppError('ALREADY_ENABLED', 409, 'twoFactor.alreadyEnabled');
    await tf.replaceRecoveryCodes(trx, userId, codes.map((c) => hashRecoveryCode(c.replace(/-/g, ''))));
    await recordAudit(trx, { actorId: userId, action: 'user.two_factor_enabled', targetType: 'user', targetId: userId });
  });
  return codes;
}

// ---------------------------------------------------------------------------------------------
// The second step of signing in

export type SecondFactorResult = { ok: true; usedRecoveryCode: boolean } | { ok: false; reason: 'wrong' | 'expired' | 'reused' };

/** Checks a code of the app (each time step once) or spends a recovery code. */
export async function verifySecondFactor(db: Db, userId: number, input: string): Promise<SecondFactorResult> {
  const row = await tf.findTwoFactor(db, userId);
  const typed = normaliseCode(input);
  if (!row?.enabled_at || !typed) return { ok: false, reason: 'wrong' };
  if (typed.kind === 'recovery') {
    return (await tf.useRecoveryCode(db, userId, hashRecoveryCode(typed.code))) ? { ok: true, usedRecoveryCode: true } : { ok: false, reason: 'wrong' };
  }
  const check = checkTotp(row.secret, typed.code);
  if (!check.ok) return check;
  if (!(await tf.claimStep(db, userId, check.step))) return { ok: false, reason: 'reused' };
  return { ok: true, usedRecoveryCode: false };
}

export type CodeOutcome = SecondFactorResult | { ok: false; reason: 'limited'; retryAfterMs: number };

/**
 * The second step under the same kind of limit as the password: failed codes are counted per account and per
 * client address (counted first, taken back on success), so six digits cannot be tried through.
 */
export async function verifySecondFactorWithLimits(db: Db, userId: number, input: Record<string, string>, clientAddress: string, limits: SignInLimits): Promise<CodeOutcome> {
  const counters = [
    { key: `two-factor:address:${clientAddress}`, max: limits.perAddress },
    { key: `two-factor:account:${userId}`, max: limits.perAccount },
  ].filter((c) => c.max > 0);
  const counts = await Promise.all(counters.map((c) => countHit(db, c.key, limits.windowMs)));
  const withdraw = () => Promise.all(counters.map((c, i) => withdrawHit(db, c.key, counts[i].windowStart)));
  const exceeded = counts.filter((count, i) => count.current > counters[i].max);
  if (exceeded.length > 0) {
    await withdraw();
    return { ok: false, reason: 'limited', retryAfterMs: Math.max(...exceeded.map((count) => count.ttl)) };
  }
  const result = await verifySecondFactor(db, userId, String(input.code ?? '').slice(0, 40));
  if (result.ok) await withdraw();
  return result;
}

export function codeErrorKey(reason: 'wrong' | 'expired' | 'reused'): string {
  return codeMessage[reason];
}

// ---------------------------------------------------------------------------------------------
// Turning it off

const disableSchema = z.object({ currentPassword: z.string().min(1).max(200), code: z.string().trim().min(1).max(40) });

/** Turns the second factor off: needs the current password and a code (or a recovery code); not while the role requires it. */
export async function disableTwoFactor(deps: MemberDeps, userId: number, input: Record<string, string>, labels: Record<string, string>, limit: PasswordCheckLimit): Promise<void> {
  const data = parseForm(disableSchema, input, labels);
  const user = await q.findUserById(deps.db, userId);
  if (!user) throw new AppError('NOT_FOUND', 404, 'errors.notFound', 'errors.notFoundTitle');
  if (await requiredFor(deps.db, user.role)) throw new FormError({ _: { key: 'twoFactor.requiredCannotDisable' } });
  await requireCurrentPassword(deps.db, user, data.currentPassword, limit);
  const result = await verifySecondFactor(deps.db, userId, data.code);
  if (!result.ok) throw new FormError({ code: { key: codeMessage[result.reason] } });
  await deps.db.transaction().execute(async (trx) => {
    await tf.removeTwoFactor(trx, userId);
    await recordAudit(trx, { actorId: userId, action: 'user.two_factor_disabled', targetType: 'user', targetId: userId });
  });
}

/**
 * Replaces the recovery codes with new ones (the old ones stop working), for someone who used or lost them;
 * needs the current password and a code. Returns the new codes, in plain text this once.
 */
export async function renewRecoveryCodes(deps: MemberDeps, userId: number, input: Record<string, string>, labels: Record<string, string>, limit: PasswordCheckLimit): Promise<string[]> {
  const data = parseForm(disableSchema, input, labels);
  const user = await q.findUserById(deps.db, userId);
  if (!user) throw new AppError('NOT_FOUND', 404, 'errors.notFound', 'errors.notFoundTitle');
  await requireCurrentPassword(deps.db, user, data.currentPassword, limit);
  const result = await verifySecondFactor(deps.db, userId, data.code);
  if (!result.ok) throw new FormError({ code: { key: codeMessage[result.reason] } });
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await deps.db.transaction().execute(async (trx) => {
    await tf.replaceRecoveryCodes(trx, userId, codes.map((c) => hashRecoveryCode(c.replace(/-/g, ''))));
    await recordAudit(trx, { actorId: userId, action: 'user.recovery_codes_renewed', targetType: 'user', targetId: userId });
  });
  return codes;
}

// ---------------------------------------------------------------------------------------------
// Requirement for administrators and moderators

const STAFF: Role[] = ['admin', 'moderator'];

export const isRequiredForStaff = tf.isRequiredForStaff;

async function requiredFor(db: Db, role: Role): Promise<boolean> {
  return STAFF.includes(role) && (await tf.isRequiredForStaff(db));
}

/**
 * Whether this person must set up the second factor before using anything else. An account without a password
 * (signing in elsewhere) has nothing to add a second factor to, so it is not held up.
 */
export async function mustSetUpTwoFactor(db: Db, user: { id: number; role: Role }): Promise<boolean> {
  if (!STAFF.includes(user.role)) return false;
  if (!(await tf.isRequiredForStaff(db))) return false;
  if (await tf.hasTwoFactor(db, user.id)) return false;
  return Boolean((await q.findUserById(db, user.id))?.password_hash);
}

/** An administrator turns the requirement on or off. */
export async function setRequiredForStaff(db: Db, actorId: number, input: Record<string, string>): Promise<boolean> {
  const required = input.required === '1';
  await db.transaction().execute(async (trx) => {
    await tf.setRequiredForStaff(trx, required);
    await recordAudit(trx, { actorId, action: 'settings.two_factor_required', targetType: 'setting', targetId: 'two_factor_required', details: { required } });
  });
  return required;
}
