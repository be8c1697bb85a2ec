import type { Kysely } from 'kysely';

/**
 * The search index now stores BM25F weights (saturated, length-normalised term weights) instead of capped term
 * counts. A database that already holds solutions or questions is marked for a rebuild, which the platform does once
 * at its next start (rebuildSearchIndexes); a new database has nothing to rebuild.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const solutions = await db.selectFrom('solutions').select('id').limit(1).executeTakeFirst();
  const questions = await db.selectFrom('questions').select('id').limit(1).executeTakeFirst();
  if (solutions || questions) {
    await db.insertInto('settings').values({ key: 'search_rebuild', value: '1' })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: '1' })).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', 'search_rebuild').execute();
}
