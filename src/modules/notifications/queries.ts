import { sql, type Insertable } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import type { DigestCadence, MailFrequency, NotificationKind, NotificationsTable } from '../../platform/db/schema.js';

/** The people among these ids who still have an active account, with their mail address. */
export async function activeRecipients(db: Db | Tx, userIds: number[]) {
  if (userIds.length === 0) return [];
  return db.selectFrom('users').select(['id', 'email', 'name', 'notify_email', 'language'])
    .where('id', 'in', userIds).where('active', '=', 1).orderBy('id').execute();
}

/** The ids of every active member. */
export async function activeMemberIds(db: Db | Tx): Promise<number[]> {
  const rows = await db.selectFrom('users').select('id').where('active', '=', 1).orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** The ids of the active members of these organisations. */
export async function activeMembersOf(db: Db | Tx, organisationIds: number[]): Promise<number[]> {
  if (organisationIds.length === 0) return [];
  const rows = await db.selectFrom('users').select('id').where('organisation_id', 'in', organisationIds).where('active', '=', 1).orderBy('id').execute();
  return rows.map((r) => r.id);
}

export async function preferenceRows(db: Db | Tx, userIds: number[]) {
  if (userIds.length === 0) return [];
  return db.selectFrom('notification_preferences').select(['user_id', 'kind', 'frequency']).where('user_id', 'in', userIds).execute();
}

/** Inserts notifications; those whose (person, dedupe key) exists already are skipped and not returned. */
export async function insertNotifications(db: Db | Tx, rows: Insertable<NotificationsTable>[]) {
  if (rows.length === 0) return [];
  return db.insertInto('notifications').values(rows)
    .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
    .returning(['id', 'user_id']).execute();
}

export async function markMailed(db: Db | Tx, ids: number[], at: string, digestId: number | null = null) {
  if (ids.length === 0) return;
  await db.updateTable('notifications').set({ mailed_at: at, digest_id: digestId }).where('id', 'in', ids).execute();
}

export async function countUnread(db: Db, userId: number): Promise<number> {
  const row = await db.selectFrom('notifications').select(sql<number>`count(*)`.as('n'))
    .where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countAll(db: Db, userId: number): Promise<number> {
  const row = await db.selectFrom('notifications').select(sql<number>`count(*)`.as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listNotifications(db: Db, userId: number, limit: number, offset: number) {
  return db.selectFrom('notifications').select(['id', 'kind', 'message_key', 'params', 'url', 'created_at', 'read_at'])
    .where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).offset(offset).execute();
}

export async function isRecipient(db: Db, userId: number, id: number): Promise<boolean> {
  const row = await db.selectFrom('notifications').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** Marks one notification of this person as read; someone else's id changes nothing. */
export async function markRead(db: Db, userId: number, id: number, at: string): Promise<number> {
  const res = await db.updateTable('notifications').set({ read_at: at })
    .where('id', '=', id).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function markAllRead(db: Db, userId: number, at: string): Promise<number> {
  const res = await db.updateTable('notifications').set({ read_at: at })
    .where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function setPreference(db: Db | Tx, userId: number, kind: NotificationKind, frequency: MailFrequency, at: string) {
  await db.insertInto('notification_preferences').values({ user_id: userId, kind, frequency, updated_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ frequency, updated_at: at })).execute();
}

/** Who has something a digest could take: neither read nor mailed, and older than the period's start. */
export async function unmailedKinds(db: Db, before: string) {
  return db.selectFrom('notifications').select(['user_id', 'kind']).distinct()
    .where('read_at', 'is', null).where('mailed_at', 'is', null).where('created_at', '<', before)
    .orderBy('user_id').orderBy('kind').execute();
}

/** Records that this person's digest for the period is being sent; null when another run did it first. */
export async function claimDigest(db: Tx, userId: number, cadence: DigestCadence, period: string, at: string): Promise<number | null> {
  const row = await db.insertInto('notification_digests').values({ user_id: userId, cadence, period, item_count: 0, created_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'cadence', 'period']).doNothing())
    .returning('id').executeTakeFirst();
  return row?.id ?? null;
}

export async function setDigestCount(db: Tx, digestId: number, count: number) {
  await db.updateTable('notification_digests').set({ item_count: count }).where('id', '=', digestId).execute();
}

export async function deleteDigest(db: Tx, digestId: number) {
  await db.deleteFrom('notification_digests').where('id', '=', digestId).execute();
}

export async function digestItems(db: Tx, userId: number, kinds: NotificationKind[], before: string) {
  return db.selectFrom('notifications').select(['id', 'kind', 'message_key', 'params', 'url', 'created_at'])
    .where('user_id', '=', userId).where('kind', 'in', kinds)
    .where('read_at', 'is', null).where('mailed_at', 'is', null).where('created_at', '<', before)
    .orderBy('id').execute();
}

/** The people whose digest of this cadence and period has gone out already. */
export async function digestsSent(db: Db, cadence: DigestCadence, period: string): Promise<number[]> {
  const rows = await db.selectFrom('notification_digests').select('user_id').where('cadence', '=', cadence).where('period', '=', period).execute();
  return rows.map((r) => r.user_id);
}

/** Claims an occasion (e.g. "meeting-reminder:12"); false when it was claimed before, also by another instance at once. */
export async function claimOccasion(db: Tx, occasion: string, at: string): Promise<boolean> {
  const row = await db.insertInto('notification_occasions').values({ occasion, created_at: at })
    .onConflict((oc) => oc.column('occasion').doNothing())
    .returning('occasion').executeTakeFirst();
  return row !== undefined;
}

/** The active administrators and moderators. */
export async function activeStaffIds(db: Db | Tx, roles: ('admin' | 'moderator')[]): Promise<number[]> {
  const rows = await db.selectFrom('users').select('id').where('role', 'in', roles).where('active', '=', 1).orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** The organisations whose members got a notification with this dedupe key, by name. */
export async function organisationsNotified(db: Db | Tx, dedupeKey: string): Promise<string[]> {
  const rows = await db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select('o.name').distinct().where('n.dedupe_key', '=', dedupeKey).execute();
  return rows.map((r) => r.name).sort((a, b) => a.localeCompare(b, 'de'));
}
