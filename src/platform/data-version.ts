import type { FastifyInstance } from 'fastify';
import { sql, type CompiledQuery } from 'kysely';
import type { Db } from './db/database.js';

/**
 * The version of the community's figures (organisations, members, solutions, deployments, questions,
 * meetings, joint procurement). The database raises it on every change of those tables, whoever writes
 * (see migration 2026-11-27-0011-data-version), so pages drawn from them — the map and the dashboard —
 * are redrawn only when it has moved.
 *
 * It is read for every cached page, so it is remembered for a second per database. A write request on
 * this instance forgets it at once (`forgetDataVersionAfterWrites`); a change made elsewhere shows after
 * at most a second.
 */
const TTL_MS = 1000;
const known = new WeakMap<object, { value: string; at: number }>();
/** The look-up, built once per database: it is the same statement every time. */
const statements = new WeakMap<object, CompiledQuery<{ value: string }>>();

/**
 * The version as a scalar SQL expression: read by dataVersion, and within the statement that answers a signed-in
 * member's cached page (route option pageVersionColumn).
 */
export const DATA_VERSION_COLUMN = sql<string>`cast(coalesce((select value from data_version where id = 1), 0) as text)`;

/** The version; `fresh` reads it from the database whatever is remembered (pages shared by signed-in people). */
export async function dataVersion(db: Db, fresh = false): Promise<string> {
  const key = db.getExecutor().adapter;
  const memo = known.get(key);
  if (!fresh && memo && Date.now() - memo.at < TTL_MS) return memo.value;
  let statement = statements.get(key);
  if (!statement) statements.set(key, statement = sql<{ value: string }>`select ${DATA_VERSION_COLUMN} as value`.compile(db));
  const value = String((await db.executeQuery(statement)).rows[0].value);
  known.set(key, { value, at: Date.now() });
  return value;
}

/** Forgets the remembered version, so the next read asks the database. */
export function forgetDataVersion(db: Db): void {
  known.delete(db.getExecutor().adapter);
}

/** After every request that may have written (anything but GET and HEAD), the version is read afresh. */
export function forgetDataVersionAfterWrites(app: FastifyInstance, db: Db): void {
  app.addHook('onResponse', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') forgetDataVersion(db);
  });
}

/**
 * Rendered fragments (an SVG map, a chart) kept per key until the data version changes, for visitors
 * whose whole page cannot be cached (signed-in members). Least recently used entries go first.
 */
export class FragmentCache<T> {
  private readonly entries = new Map<string, { version: string; value: T }>();

  constructor(private readonly maxEntries = 500) {}

  async get(key: string, version: string, make: () => Promise<T> | T): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = await make();
    this.entries.delete(key);
    this.entries.set(key, { version, value });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
