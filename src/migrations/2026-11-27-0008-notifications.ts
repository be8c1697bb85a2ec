import { sql, type Kysely } from 'kysely';
import { dialectOf, idColumn, idColumnType } from '../platform/db/dialect.js';

/** In-app notifications, mail preferences per person and kind, and the digests sent per period. */
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);

  await db.schema.createTable('notification_digests')
    .addColumn('id', idColumnType(d), id)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('cadence', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // The guard against a second digest for the same period, also from another instance running the job at once.
  await db.schema.createIndex('notification_digests_one_per_period').on('notification_digests')
    .columns(['user_id', 'cadence', 'period']).unique().execute();

  await db.schema.createTable('notifications')
    .addColumn('id', idColumnType(d), id)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message_key', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('mailed_at', 'text')
    .addColumn('digest_id', 'integer', (c) => c.references('notification_digests.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('notifications_once_per_person').on('notifications').columns(['user_id', 'dedupe_key']).unique().execute();
  await db.schema.createIndex('notifications_list').on('notifications').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('notifications_unread').on('notifications').columns(['user_id'])
    .where(sql.ref('read_at'), 'is', null).execute();
  // What a digest may still take: neither read nor mailed.
  await db.schema.createIndex('notifications_unmailed').on('notifications').columns(['created_at', 'user_id', 'kind'])
    .where((eb) => eb.and([eb(sql.ref('read_at'), 'is', null), eb(sql.ref('mailed_at'), 'is', null)])).execute();

  await db.schema.createTable('notification_preferences')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'kind'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('The notifications migration cannot be undone; restore a backup instead.');
}
