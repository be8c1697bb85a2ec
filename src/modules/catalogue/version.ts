import { sql, type CompiledQuery } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';

/**
 * The catalogue version is read for every cached page, so it is remembered for a second per database
 * (a database and its transactions share one adapter object). A change on this instance forgets it at
 * once; a change on another instance shows after at most a second.
 */
const VERSION_TTL_MS = 1000;
const versions = new WeakMap<object, { value: string; at: number }>();
/** The look-up, built once per database: it is the same statement every time. */
const statements = new WeakMap<object, CompiledQuery<{ value: string }>>();

/**
 * The version as a scalar SQL expression: read by catalogueVersion, and within the statement that answers a signed-in
 * member's cached page (route option pageVersionColumn).
 */
export const CATALOGUE_VERSION_COLUMN = sql<string>`coalesce((select value from settings where key = 'catalogue_version'), '0')`;

/** Bumps the catalogue's version so cached pages are rebuilt. */
export async function touchCatalogue(db: Db | Tx): Promise<void> {
  const value = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  await db.insertInto('settings').values({ key: 'catalogue_version', value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
  versions.delete(db.getExecutor().adapter);
}

/**
 * The catalogue's version. `fresh` reads it from the database whatever is remembered: pages shared by signed-in
 * members (who may see drafts) are looked up with it, so a change of visibility made on another instance applies
 * to them at once.
 */
export async function catalogueVersion(db: Db, fresh = false): Promise<string> {
  const key = db.getExecutor().adapter;
  const known = versions.get(key);
  if (!fresh && known && Date.now() - known.at < VERSION_TTL_MS) return known.value;
  let statement = statements.get(key);
  if (!statement) statements.set(key, statement = sql<{ value: string }>`select ${CATALOGUE_VERSION_COLUMN} as value`.compile(db));
  const value = String((await db.executeQuery(statement)).rows[0].value);
  versions.set(key, { value, at: Date.now() });
  return value;
}
