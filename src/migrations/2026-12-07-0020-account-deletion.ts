import type { Kysely } from 'kysely';

/**
 * When an account was deleted. The row stays, emptied of everything personal, so that the contributions others
 * build on (solutions, answers, minutes, declarations) keep their author, shown as a former member.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('deleted_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('deleted_at').execute();
}
