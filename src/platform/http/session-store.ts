import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import { nowIso } from '../clock.js';

type Callback = (err?: unknown, value?: any) => void;

/**
 * Hands the outcome of a database call to a session callback. The callback carries on with the request;
 * whatever it throws is reported, never left as an unhandled rejection that would stop the process.
 */
function settle<V>(work: Promise<V>, callback: Callback, onError: (err: unknown) => void): void {
  work.then((value) => callback(null, value), (err) => callback(err)).catch(onError);
}

/** Sessions kept in the database, so every instance behind a load balancer sees the same ones. */
export class DatabaseSessionStore {
  constructor(
    private readonly db: Db,
    private readonly maxAgeMs: number,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  get(sid: string, callback: Callback): void {
    const row = this.db.selectFrom('sessions').select(['data']).where('sid', '=', sid).where('expires_at', '>', nowIso()).executeTakeFirst();
    settle(row.then((r) => (r ? JSON.parse(r.data) : null)), callback, this.onError);
  }

  set(sid: string, session: any, callback: Callback): void {
    const expires = session?.cookie?.expires ? new Date(session.cookie.expires).toISOString() : new Date(Date.now() + this.maxAgeMs).toISOString();
    const data = JSON.stringify(session);
    settle(this.db.insertInto('sessions').values({ sid, data, expires_at: expires })
      .onConflict((oc) => oc.column('sid').doUpdateSet({ data, expires_at: expires }))
      .execute().then(() => undefined), callback, this.onError);
  }

  destroy(sid: string, callback: Callback): void {
    settle(this.db.deleteFrom('sessions').where('sid', '=', sid).execute().then(() => undefined), callback, this.onError);
  }
}

/** Deletes the sessions that expired at or before the given moment (now by default); returns how many. */
export async function purgeExpiredSessions(db: Db, expiredBy: string = nowIso()): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', expiredBy).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Ends every session of a person, on every instance: a password was set or the account is being closed.
 * Returns the new generation, which a session that is to stay signed in (the one that set the password) stores.
 */
export async function endSessionsOf(db: Db | Tx, userId: number): Promise<number> {
  const row = await db.updateTable('users').set({ session_generation: sql`session_generation + 1` })
    .where('id', '=', userId).returning('session_generation').executeTakeFirst();
  return row?.session_generation ?? 0;
}

/** The stored sessions of a person (their ids are secrets and stay here): when each expires. */
export async function sessionsOf(db: Db | Tx, userId: number): Promise<{ sid: string; expires_at: string; data: Record<string, unknown> }[]> {
  const rows = await db.selectFrom('sessions').select(['sid', 'data', 'expires_at']).where('data', 'like', `%"userId":${userId}%`).execute();
  return rows.map((r) => ({ sid: r.sid, expires_at: r.expires_at, data: JSON.parse(r.data) as Record<string, unknown> }))
    .filter((r) => r.data.userId === userId);
}

/** Deletes every stored session of a person. */
export async function deleteSessionsOf(db: Db | Tx, userId: number): Promise<void> {
  const sids = (await sessionsOf(db, userId)).map((s) => s.sid);
  if (sids.length > 0) await db.deleteFrom('sessions').where('sid', 'in', sids).execute();
}
