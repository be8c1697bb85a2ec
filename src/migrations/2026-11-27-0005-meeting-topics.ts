import type { Kysely } from 'kysely';
import { dialectOf, idColumn, idColumnType } from '../platform/db/dialect.js';

/**
 * Topics the members choose for a meeting: proposals, votes within a budget per member, and the agenda
 * the organisers build from the ranking.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);

  await db.schema.alterTable('meetings').addColumn('vote_budget', 'integer', (c) => c.notNull().defaultTo(3)).execute();
  await db.schema.alterTable('meetings').addColumn('topics_open', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('meetings').addColumn('agenda_published_at', 'text').execute();

  await db.schema.createTable('meeting_topics')
    .addColumn('id', idColumnType(d), id)
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    // The catalogue is reached through its service by slug, which never changes; a solution that
    // disappears or is hidden from the reader is simply not linked.
    .addColumn('solution_slug', 'text')
    .addColumn('proposed_by', 'integer', (c) => c.references('users.id'))
    // A topic carried over from an earlier meeting of the series; it is carried at most once.
    .addColumn('carried_from_id', 'integer', (c) => c.references('meeting_topics.id').onDelete('set null').unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_topics_meeting').on('meeting_topics').columns(['meeting_id', 'created_at']).execute();

  await db.schema.createTable('topic_votes')
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('meeting_topics.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('topic_votes_one_per_member', ['topic_id', 'user_id'])
    .execute();
  await db.schema.createIndex('topic_votes_user').on('topic_votes').columns(['user_id', 'topic_id']).execute();

  await db.schema.createTable('agenda_items')
    .addColumn('id', idColumnType(d), id)
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('speaker', 'text', (c) => c.notNull().defaultTo(''))
    // A topic is on the agenda at most once.
    .addColumn('topic_id', 'integer', (c) => c.references('meeting_topics.id').onDelete('set null').unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('agenda_items_meeting').on('agenda_items').columns(['meeting_id', 'starts_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('The meeting topics migration cannot be undone; restore a backup instead.');
}
