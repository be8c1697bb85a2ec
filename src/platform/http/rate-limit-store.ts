import { sql } from 'kysely';
import type { Db } from '../db/database.js';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

/** A count in its window: the hits so far, when the window started, and the milliseconds until it ends. */
export interface WindowCount { current: number; windowStart: number; ttl: number }

/** Counts one hit on a key, atomically (one upsert), so a limit holds across instances; a window that has run out starts again at 1. */
export async function countHit(db: Db, key: string, windowMs: number): Promise<WindowCount> {
  const now = Date.now();
  const row = await db.insertInto('rate_limits').values({ key, hits: 1, window_start: now, window_ms: windowMs })
    .onConflict((oc) => oc.column('key').doUpdateSet({
      hits: sql`case when rate_limits.window_start + rate_limits.window_ms <= ${now} then 1 else rate_limits.hits + 1 end`,
      window_start: sql`case when rate_limits.window_start + rate_limits.window_ms <= ${now} then ${now} else rate_limits.window_start end`,
      window_ms: windowMs,
    }))
    .returning(['hits', 'window_start'])
    .executeTakeFirstOrThrow();
  const windowStart = Number(row.window_start);
  return { current: Number(row.hits), windowStart, ttl: Math.max(0, windowStart + windowMs - now) };
}

/** Takes back a hit counted in a window that is still the current one (an attempt that turned out not to count). */
export async function withdrawHit(db: Db, key: string, windowStart: number): Promise<void> {
  await db.updateTable('rate_limits').set({ hits: sql`hits - 1` })
    .where('key', '=', key).where('window_start', '=', windowStart).where('hits', '>', 0).execute();
}

/**
 * A store for @fastify/rate-limit that counts in the database, so a limit holds across instances.
 */
export function databaseRateLimitStore(db: Db) {
  return class DatabaseRateLimitStore {
    incr(key: string, cb: Callback, timeWindow: number): void {
      countHit(db, key, timeWindow).then(({ current, ttl }) => cb(null, { current, ttl }), (err) => cb(err));
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

/** Removes counters whose window has run out (each address or account tried leaves one row until then). */
export async function purgeExpiredRateLimits(db: Db): Promise<void> {
  await db.deleteFrom('rate_limits').where(sql<number>`window_start + window_ms`, '<=', Date.now()).execute();
}
