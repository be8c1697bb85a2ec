import type { Db } from '../db/database.js';
import { nowIso } from '../clock.js';

type Callback = (err?: unknown, value?: any) => void;

/** Sessions kept in the database, so every instance behind a load balancer sees the same ones. */
export class DatabaseSessionStore {
  constructor(private readonly db: Db, private readonly maxAgeMs: number) {}

  get(sid: string, callback: Callback): void {
    this.db.selectFrom('sessions').select(['data']).where('sid', '=', sid).where('expires_at', '>', nowIso())
      .executeTakeFirst()
      .then((row) => callback(null, row ? JSON.parse(row.data) : null), callback);
  }

  set(sid: string, session: any, callback: Callback): void {
    const expires = session?.cookie?.expires ? new Date(session.cookie.expires).toISOString() : new Date(Date.now() + this.maxAgeMs).toISOString();
    const data = JSON.stringify(session);
    this.db.insertInto('sessions').values({ sid, data, expires_at: expires })
      .onConflict((oc) => oc.column('sid').doUpdateSet({ data, expires_at: expires }))
      .execute()
      .then(() => callback(), callback);
  }

  destroy(sid: string, callback: Callback): void {
    this.db.deleteFrom('sessions').where('sid', '=', sid).execute().then(() => callback(), callback);
  }
}

export async function purgeExpiredSessions(db: Db): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', nowIso()).execute();
}
