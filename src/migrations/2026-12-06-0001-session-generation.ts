import type { Kysely } from 'kysely';

/**
 * A counter per person that every session carries from its sign-in: raising it (a new password, a deactivation)
 * ends all of that person's sessions on every instance at once, because each request compares the two.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('session_generation', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('session_generation').execute();
}
