import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../platform/db/dialect.js';

/**
 * A counter that rises whenever the community's figures may have changed, kept by the database itself,
 * so every writer on every instance counts (see platform/data-version.ts). The map and the dashboard
 * are redrawn only when it has moved.
 *
 * On PostgreSQL the counter is raised by deferred triggers, which run when the transaction commits: the
 * counter row is then locked last and only for the commit, so writers cannot deadlock on it, and a
 * reader never sees a new value before the data behind it.
 */
export const WATCHED_TABLES = [
  'organisations', 'users', 'solutions', 'deployments', 'questions', 'answers', 'meetings',
  'meeting_registrations', 'procurement_initiatives', 'procurement_tiers', 'procurement_declarations',
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  await db.schema.createTable('data_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('data_version').values({ id: 1, value: 0 }).execute();

  if (d === 'postgres') {
    await sql`create function data_version_bump() returns trigger language plpgsql as $$
      begin update data_version set value = value + 1 where id = 1; return null; end $$`.execute(db);
    for (const table of WATCHED_TABLES) {
      await sql`create constraint trigger ${sql.id(`data_version_${table}`)} after insert or update or delete on ${sql.table(table)}
        deferrable initially deferred for each row execute function data_version_bump()`.execute(db);
    }
  } else {
    for (const table of WATCHED_TABLES) {
      for (const event of ['insert', 'update', 'delete']) {
        await sql`create trigger ${sql.id(`data_version_${table}_${event}`)} after ${sql.raw(event)} on ${sql.table(table)}
          begin update data_version set value = value + 1 where id = 1; end`.execute(db);
      }
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  for (const table of WATCHED_TABLES) {
    if (d === 'postgres') await sql`drop trigger if exists ${sql.id(`data_version_${table}`)} on ${sql.table(table)}`.execute(db);
    else for (const event of ['insert', 'update', 'delete']) await sql`drop trigger if exists ${sql.id(`data_version_${table}_${event}`)}`.execute(db);
  }
  if (d === 'postgres') await sql`drop function if exists data_version_bump()`.execute(db);
  await db.schema.dropTable('data_version').execute();
}
