import type { Kysely } from 'kysely';

/**
 * English words are now stemmed as spelt: "ue", "ae" and "oe" are no longer read as the German umlauts ü, ä, ö
 * ("issued" and "issue", "requests" and "request" now meet in one stem, "does" is a stop word), so the terms of English
 * entries change. A database that holds solutions or questions is marked for a rebuild, which the platform does once
 * at its next start (rebuildSearchIndexes).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const solutions = await db.selectFrom('solutions').select('id').limit(1).executeTakeFirst();
  const questions = await db.selectFrom('questions').select('id').limit(1).executeTakeFirst();
  if (solutions || questions) {
    await db.insertInto('settings').values({ key: 'search_rebuild', value: '1' })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: '1' })).execute();
  }
}

export async function down(): Promise<void> {}
