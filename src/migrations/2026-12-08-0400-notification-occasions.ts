import type { Kysely } from 'kysely';

/**
 * Occasions the platform has told people about (a procurement's deadline drawing near, the reminder the day
 * before a meeting, a topic vote closed at its deadline): one row per occasion, claimed before anybody is
 * notified, so a job run twice or on several instances at once tells people once. Meetings get an optional
 * deadline for their topic vote.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('notification_occasions')
    .addColumn('occasion', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('meetings').addColumn('topics_close_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meetings').dropColumn('topics_close_at').execute();
  await db.schema.dropTable('notification_occasions').execute();
}
