import type { Kysely } from 'kysely';
import { dialectOf, idColumn, idColumnType } from '../platform/db/dialect.js';

/** A requested change of e-mail address: the new address waits here until the link mailed to it is opened. */
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  await db.schema.createTable('email_changes')
    .addColumn('id', idColumnType(d), idColumn(d))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('new_email', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_changes_user').on('email_changes').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_changes').execute();
}
