import { sql } from 'kysely';
import type { Db } from '../db/database.js';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A store for @fastify/rate-limit that counts in the database, so a limit holds across instances.
 * One atomic upsert per hit: a window that has run out starts again at 1.
 */
export function databaseRateLimitStore(db: Db) {
  return class DatabaseRateLimitStore {
    incr(key: string, cb: Callback, timeWindow: number): void {
      const now = Date.now();
      db.insertInto('rate_limits').values({ key, hits: 1, window_start: now, window_ms: timeWindow })
        .onConflict((oc) => oc.column('key').doUpdateSet({
          hits: sql`case when rate_limits.window_start + rate_limits.window_ms <= ${now} then 1 else rate_limits.hits + 1 end`,
          window_start: sql`case when rate_limits.window_start + rate_limits.window_ms <= ${now} then ${now} else rate_limits.window_start end`,
          window_ms: timeWindow,
        }))
        .returning(['hits', 'window_start'])
        .executeTakeFirstOrThrow()
        .then((row) => cb(null, { current: Number(row.hits), ttl: Math.max(0, Number(row.window_start) + timeWindow - now) }), (err) => cb(err));
    }

    read(key: string, cb: Callback, timeWindow: number): void {
      const now = Date.now();
      db.selectFrom('rate_limits').select(['hits', 'window_start']).where('key', '=', key).executeTakeFirst()
        .then((row) => {
          if (!row || Number(row.window_start) + timeWindow <= now) return cb(null, { current: 0, ttl: 0 });
          cb(null, { current: Number(row.hits), ttl: Number(row.window_start) + timeWindow - now });
        }, (err) => cb(err));
    }

    child() {
      return new DatabaseRateLimitStore();
    }
  };
}
