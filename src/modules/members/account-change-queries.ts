import type { Db, Tx } from '../../platform/db/database.js';
import { nowIso } from '../../platform/clock.js';

export async function retireOpenEmailChanges(db: Db | Tx, userId: number): Promise<void> {
  await db.updateTable('email_changes').set({ used_at: nowIso() }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
}

export async function insertEmailChange(db: Db | Tx, row: { user_id: number; new_email: string; token_hash: string; expires_at: string }): Promise<void> {
  await db.insertInto('email_changes').values({ ...row, used_at: null, created_at: nowIso() }).execute();
}

export async function findUsableEmailChange(db: Db | Tx, hash: string) {
  return db.selectFrom('email_changes').innerJoin('users', 'users.id', 'email_changes.user_id')
    .select(['email_changes.id', 'email_changes.user_id', 'email_changes.new_email', 'users.email as old_email', 'users.name', 'users.language'])
    .where('email_changes.token_hash', '=', hash).where('email_changes.used_at', 'is', null).where('email_changes.expires_at', '>', nowIso())
    .where('users.active', '=', 1)
    .executeTakeFirst();
}

/** Marks the change used; false when it was used (or expired) meanwhile, so a link works exactly once. */
export async function consumeEmailChange(db: Tx, id: number): Promise<boolean> {
  const now = nowIso();
  const result = await db.updateTable('email_changes').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setEmail(db: Tx, userId: number, email: string): Promise<void> {
  await db.updateTable('users').set({ email, updated_at: nowIso() }).where('id', '=', userId).execute();
}
