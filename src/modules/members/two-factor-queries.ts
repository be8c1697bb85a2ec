import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import { nowIso } from '../../platform/clock.js';

const REQUIRED_KEY = 'two_factor_required';

export async function findTwoFactor(db: Db | Tx, userId: number) {
  return db.selectFrom('two_factor').select(['secret', 'enabled_at', 'last_step']).where('user_id', '=', userId).executeTakeFirst();
}

/** Whether the person signs in with a second factor; the cheap question asked on every sign-in. */
export async function hasTwoFactor(db: Db | Tx, userId: number): Promise<boolean> {
  const row = await db.selectFrom('two_factor').select('user_id').where('user_id', '=', userId).where('enabled_at', 'is not', null).executeTakeFirst();
  return row !== undefined;
}

/** Stores the secret of a setup in progress; an enabled second factor stays untouched. */
export async function savePendingSecret(db: Db | Tx, userId: number, secret: string): Promise<void> {
  await db.insertInto('two_factor').values({ user_id: userId, secret, enabled_at: null, last_step: null, created_at: nowIso() })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret, created_at: nowIso() }).where('two_factor.enabled_at', 'is', null))
    .execute();
}

/** Turns the pending setup on; false when it was enabled meanwhile (a second confirmation). */
export async function enableTwoFactor(db: Tx, userId: number, step: number): Promise<boolean> {
  const result = await db.updateTable('two_factor').set({ enabled_at: nowIso(), last_step: step })
    .where('user_id', '=', userId).where('enabled_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Claims a time step for an accepted code, in one conditional update: of two requests with the same code
 * exactly one gets it, and a code of an earlier step is refused too.
 */
export async function claimStep(db: Db | Tx, userId: number, step: number): Promise<boolean> {
  const result = await db.updateTable('two_factor').set({ last_step: step })
    .where('user_id', '=', userId).where('enabled_at', 'is not', null)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function replaceRecoveryCodes(db: Tx, userId: number, hashes: string[]): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  const now = nowIso();
  await db.insertInto('recovery_codes').values(hashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null, created_at: now }))).execute();
}

/** Spends a recovery code; false when there is no such unused code. */
export async function useRecoveryCode(db: Db | Tx, userId: number, hash: string): Promise<boolean> {
  const result = await db.updateTable('recovery_codes').set({ used_at: nowIso() })
    .where('user_id', '=', userId).where('code_hash', '=', hash).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Db | Tx, userId: number): Promise<number> {
  const row = await db.selectFrom('recovery_codes').select(sql<number>`count(*)`.as('n'))
    .where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function removeTwoFactor(db: Tx, userId: number): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db.deleteFrom('two_factor').where('user_id', '=', userId).execute();
}

export async function isRequiredForStaff(db: Db | Tx): Promise<boolean> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', REQUIRED_KEY).executeTakeFirst();
  return row?.value === '1';
}

export async function setRequiredForStaff(db: Db | Tx, required: boolean): Promise<void> {
  const value = required ? '1' : '0';
  await db.insertInto('settings').values({ key: REQUIRED_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}
