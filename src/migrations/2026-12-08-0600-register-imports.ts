import type { Kysely } from 'kysely';
import { dialectOf, idColumn, idColumnType } from '../platform/db/dialect.js';

/**
 * Runs of the register import started from the administration: one row per run with its progress counters and, when
 * it ends, its result. `running_lock` is 'running' while a run is going and NULL afterwards; its unique index lets
 * only one run go at a time, whichever instance or request starts it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  await db.schema.createTable('register_imports')
    .addColumn('id', idColumnType(d), idColumn(d))
    .addColumn('sources', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('running_lock', 'text', (c) => c.unique())
    .addColumn('current_source', 'text')
    .addColumn('sources_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('results', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('message', 'text')
    .addColumn('started_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('register_imports_started').on('register_imports').column('started_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('register_imports').execute();
}
