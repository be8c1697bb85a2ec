import { sql, type Kysely } from 'kysely';
import { blobType, dialectOf, idColumn, idColumnType } from '../platform/db/dialect.js';

/** Community meetings: registrations with a waiting list, materials, and attachments for the outbox (.ics files). */
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);

  await db.schema.createTable('meetings')
    .addColumn('id', idColumnType(d), id)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('series', 'text')
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('online_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('capacity_onsite', 'integer')
    .addColumn('capacity_online', 'integer')
    .addColumn('registration_opens_at', 'text')
    .addColumn('registration_closes_at', 'text')
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('planned'))
    .addColumn('cancel_reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('minutes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meetings_starts_at').on('meetings').columns(['starts_at', 'id']).execute();
  await db.schema.createIndex('meetings_series').on('meetings').columns(['series', 'starts_at']).execute();

  await db.schema.createTable('meeting_registrations')
    .addColumn('id', idColumnType(d), id)
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attended', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('promoted_at', 'text')
    .addColumn('cancelled_at', 'text')
    .execute();
  // One live registration per person and meeting, enforced by the database: a double click cannot register twice.
  await db.schema.createIndex('meeting_registrations_one_per_person').on('meeting_registrations').columns(['meeting_id', 'user_id']).unique()
    .where(sql.ref('status'), '!=', 'cancelled').execute();
  await db.schema.createIndex('meeting_registrations_queue').on('meeting_registrations').columns(['meeting_id', 'status', 'mode', 'id']).execute();
  await db.schema.createIndex('meeting_registrations_user').on('meeting_registrations').columns(['user_id']).execute();

  await db.schema.createTable('meeting_materials')
    .addColumn('id', idColumnType(d), id)
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('solution_slug', 'text')
    .addColumn('file_name', 'text')
    .addColumn('content_type', 'text')
    .addColumn('size', 'integer')
    .addColumn('content', blobType(d))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_materials_meeting').on('meeting_materials').columns(['meeting_id', 'id']).execute();

  await db.schema.alterTable('outbox').addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]')).execute();
}

export async function down(): Promise<void> {
  throw new Error('The meetings migration cannot be undone; restore a backup instead.');
}
