import type { Db, Tx } from '../../platform/db/database.js';
import { nowIso } from '../../platform/clock.js';

export async function findLink(db: Db | Tx, provider: string, subject: string) {
  return db.selectFrom('sso_links').select(['id', 'user_id']).where('provider', '=', provider).where('subject', '=', subject).executeTakeFirst();
}

export async function findLinkOfUser(db: Db | Tx, userId: number, provider: string) {
  return db.selectFrom('sso_links').select(['id', 'subject']).where('user_id', '=', userId).where('provider', '=', provider).executeTakeFirst();
}

export async function insertLink(db: Db | Tx, link: { user_id: number; provider: string; subject: string; email: string }) {
  const now = nowIso();
  await db.insertInto('sso_links').values({ ...link, created_at: now, last_used_at: now }).execute();
}

export async function touchLink(db: Db | Tx, id: number) {
  await db.updateTable('sso_links').set({ last_used_at: nowIso() }).where('id', '=', id).execute();
}

export async function listLinksOf(db: Db | Tx, userIds: number[] | null) {
  if (userIds !== null && userIds.length === 0) return [];
  return db.selectFrom('sso_links').select(['user_id', 'provider', 'email', 'created_at', 'last_used_at'])
    .$if(userIds !== null, (qb) => qb.where('user_id', 'in', userIds!))
    .orderBy('user_id').orderBy('provider').execute();
}

/** Removes a link; false when there was none. */
export async function deleteLink(db: Db | Tx, userId: number, provider: string): Promise<boolean> {
  const result = await db.deleteFrom('sso_links').where('user_id', '=', userId).where('provider', '=', provider).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
