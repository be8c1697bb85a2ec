import type { Kysely } from 'kysely';
import { dialectOf, idColumn, idColumnType } from '../platform/db/dialect.js';

/**
 * Accounts linked to an OpenID Connect provider: the provider's id and the subject (sub) it names the person by.
 * A subject belongs to one account; an account has at most one link per provider.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  await db.schema.createTable('sso_links')
    .addColumn('id', idColumnType(d), idColumn(d))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_links_subject').on('sso_links').columns(['provider', 'subject']).unique().execute();
  await db.schema.createIndex('sso_links_one_per_provider').on('sso_links').columns(['user_id', 'provider']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sso_links').execute();
}
