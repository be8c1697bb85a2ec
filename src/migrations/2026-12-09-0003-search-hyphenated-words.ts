import type { Kysely } from 'kysely';

/**
 * A word written with hyphens is now also indexed joined where the joined form is a word ("e-mail" as "email",
 * "cyber-security" as "cybersecurity"), so the terms of entries with such words change. A database that holds
 * solutions or questions is marked for a rebuild, which the platform does once at its next start (rebuildSearchIndexes).
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
