import type { Db, Tx } from '../../platform/db/database.js';
import type { Role, TokenPurpose } from '../../platform/db/schema.js';
import type { Lang } from '../../platform/i18n/index.js';
import { nowIso } from '../../platform/clock.js';
import { dialectOf, forUpdate } from '../../platform/db/dialect.js';

export async function findUserByEmail(db: Db | Tx, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function findUserById(db: Db | Tx, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Db | Tx, user: { email: string; name: string; job_function: string; role: Role; organisation_id: number; password_hash: string | null; language: Lang }) {
  const now = nowIso();
  return db.insertInto('users').values({ ...user, email: user.email.toLowerCase(), expertise: '[]', notify_email: 1, active: 1, created_at: now, updated_at: now })
    .returning('id').executeTakeFirstOrThrow();
}

export async function insertJoinRequest(db: Db | Tx, r: { name: string; email: string; organisation_id: number | null; organisation_other: string | null; job_function: string; message: string; language: Lang }) {
  const now = nowIso();
  return db.insertInto('join_requests').values({ ...r, email: r.email.toLowerCase(), consent_at: now, status: 'pending', created_at: now })
    .returning('id').executeTakeFirstOrThrow();
}

export async function findPendingJoinRequestByEmail(db: Db | Tx, email: string) {
  return db.selectFrom('join_requests').select(['id', 'language']).where('email', '=', email.toLowerCase()).where('status', '=', 'pending').executeTakeFirst();
}

export async function listPendingJoinRequests(db: Db) {
  return db.selectFrom('join_requests')
    .leftJoin('organisations', 'organisations.id', 'join_requests.organisation_id')
    .select(['join_requests.id', 'join_requests.name', 'join_requests.email', 'join_requests.job_function', 'join_requests.message',
      'join_requests.organisation_other', 'join_requests.created_at', 'organisations.name as organisation_name'])
    .where('join_requests.status', '=', 'pending').orderBy('join_requests.id').execute();
}

export async function findJoinRequest(db: Db | Tx, id: number) {
  return db.selectFrom('join_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Reads a request inside a decision and holds it, so a second administrator deciding at the same moment waits and then sees the first decision. */
export async function lockJoinRequest(trx: Tx, id: number) {
  return forUpdate(trx, trx.selectFrom('join_requests').selectAll().where('id', '=', id)).executeTakeFirst();
}

/** Moves a pending request to its decision; false when someone else decided it first. */
export async function decideJoinRequest(db: Tx, id: number, decision: { status: 'approved' | 'rejected'; decided_by: number; reason: string | null; user_id: number | null }): Promise<boolean> {
  const result = await db.updateTable('join_requests').set({ ...decision, decided_at: nowIso() })
    .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertToken(db: Db | Tx, t: { user_id: number; purpose: TokenPurpose; token_hash: string; expires_at: string }) {
  await db.insertInto('tokens').values({ ...t, used_at: null, created_at: nowIso() }).execute();
}

export async function retireOpenTokens(db: Db | Tx, userId: number, purpose: TokenPurpose) {
  await db.updateTable('tokens').set({ used_at: nowIso() }).where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
}

export async function findUsableToken(db: Db | Tx, hash: string) {
  return db.selectFrom('tokens').innerJoin('users', 'users.id', 'tokens.user_id')
    .select(['tokens.id', 'tokens.user_id', 'tokens.purpose', 'users.email', 'users.name', 'users.language'])
    .where('tokens.token_hash', '=', hash).where('tokens.used_at', 'is', null).where('tokens.expires_at', '>', nowIso())
    .where('users.active', '=', 1)
    .executeTakeFirst();
}

/** Marks a token used; false when it was used (or expired) meanwhile, so a link works exactly once. */
export async function consumeToken(db: Tx, id: number): Promise<boolean> {
  const now = nowIso();
  const result = await db.updateTable('tokens').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteRejectedJoinRequests(db: Db, decidedBefore: string): Promise<number> {
  const result = await db.deleteFrom('join_requests').where('status', '=', 'rejected').where('decided_at', '<', decidedBefore).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Links that expired, or were used or replaced, before the given moment. */
export async function deleteSpentTokens(db: Db, spentBefore: string): Promise<number> {
  const result = await db.deleteFrom('tokens')
    .where((eb) => eb.or([eb('expires_at', '<', spentBefore), eb('used_at', '<', spentBefore)])).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteRevokedApiTokens(db: Db, revokedBefore: string): Promise<number> {
  const result = await db.deleteFrom('api_tokens').where('revoked_at', '<', revokedBefore).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function setPasswordHash(db: Db | Tx, userId: number, hash: string) {
  await db.updateTable('users').set({ password_hash: hash, updated_at: nowIso() }).where('id', '=', userId).execute();
}

export async function updateProfileRow(db: Db | Tx, userId: number, p: { name: string; job_function: string; expertise: string; notify_email: 0 | 1; language?: Lang }) {
  await db.updateTable('users').set({ ...p, updated_at: nowIso() }).where('id', '=', userId).execute();
}

/** Writes only a real change: every write to users moves the data version and so empties the page cache. */
export async function setLanguage(db: Db | Tx, userId: number, language: Lang) {
  await db.updateTable('users').set({ language, updated_at: nowIso() }).where('id', '=', userId).where('language', '!=', language).execute();
}

export async function listDirectory(db: Db) {
  return db.selectFrom('users').innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['users.id', 'users.name', 'users.job_function', 'users.expertise', 'users.role', 'users.email', 'organisations.name as organisation_name', 'organisations.slug as organisation_slug'])
    .where('users.active', '=', 1).orderBy('users.name').execute();
}

export async function listAdmins(db: Db | Tx) {
  return db.selectFrom('users').select(['id', 'email', 'name', 'language']).where('role', '=', 'admin').where('active', '=', 1).execute();
}

/**
 * Counts the active administrators. On PostgreSQL their rows stay locked until the transaction ends, so two
 * simultaneous demotions cannot each count the other and leave none; SQLite runs one transaction at a time.
 */
export async function countAdmins(db: Db | Tx): Promise<number> {
  const rows = await db.selectFrom('users').select('id').where('role', '=', 'admin').where('active', '=', 1).orderBy('id')
    .$if(dialectOf(db) === 'postgres', (qb) => qb.forUpdate()).execute();
  return rows.length;
}

export async function setRole(db: Db | Tx, userId: number, role: Role) {
  await db.updateTable('users').set({ role, updated_at: nowIso() }).where('id', '=', userId).execute();
}

export async function listAccounts(db: Db) {
  return db.selectFrom('users').innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['users.id', 'users.name', 'users.email', 'users.role', 'users.active', 'users.password_hash', 'users.created_at',
      'organisations.name as organisation_name', 'organisations.id as organisation_id'])
    .where('users.deleted_at', 'is', null).orderBy('users.name').orderBy('users.id').execute();
}

export async function findAccount(db: Db | Tx, id: number) {
  return db.selectFrom('users').innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['users.id', 'users.name', 'users.email', 'users.role', 'users.active', 'users.password_hash', 'users.created_at', 'users.job_function',
      'organisations.name as organisation_name', 'organisations.id as organisation_id'])
    .where('users.id', '=', id).where('users.deleted_at', 'is', null).executeTakeFirst();
}

export async function setActive(db: Db | Tx, userId: number, active: 0 | 1) {
  await db.updateTable('users').set({ active, updated_at: nowIso() }).where('id', '=', userId).execute();
}

export async function setOrganisation(db: Db | Tx, userId: number, organisationId: number) {
  await db.updateTable('users').set({ organisation_id: organisationId, updated_at: nowIso() }).where('id', '=', userId).execute();
}

/** Accounts without a password, not deactivated or deleted, with when their latest invitation was sent. */
export async function listOpenInvitations(db: Db) {
  return db.selectFrom('users').innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select((eb) => ['users.id', 'users.name', 'users.email', 'users.created_at', 'organisations.name as organisation_name',
      eb.selectFrom('tokens').select((t) => t.fn.max('tokens.created_at').as('m')).whereRef('tokens.user_id', '=', 'users.id').where('tokens.purpose', '=', 'invite').as('invited_at')])
    .where('users.password_hash', 'is', null).where('users.active', '=', 1).where('users.deleted_at', 'is', null)
    .orderBy('users.created_at').orderBy('users.id').execute();
}

export async function countPendingJoinRequests(db: Db | Tx): Promise<number> {
  const row = await db.selectFrom('join_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return Number(row.n);
}
