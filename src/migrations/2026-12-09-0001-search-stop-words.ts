import type { Kysely } from 'kysely';

/**
 * The search now leaves out more function words ("how", "can", "we", "welche", "gibt"), in the index as in the query,
 * so an entry's field lengths and terms change. A database that holds solutions or questions is marked for a rebuild,
 * which the platform does once at its next start (rebuildSearchIndexes).
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
