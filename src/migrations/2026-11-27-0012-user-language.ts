import type { Kysely } from 'kysely';

/**
 * Each member's language (de or en), so the mails to them are in it; German, the community's language,
 * for everyone so far. A join request keeps the language it was filled in, for the account it leads to.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('language', 'text', (c) => c.notNull().defaultTo('de')).execute();
  await db.schema.alterTable('join_requests').addColumn('language', 'text', (c) => c.notNull().defaultTo('de')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('join_requests').dropColumn('language').execute();
  await db.schema.alterTable('users').dropColumn('language').execute();
}
