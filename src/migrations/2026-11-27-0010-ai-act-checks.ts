import type { Kysely } from 'kysely';
import { dialectOf, idColumn, idColumnType } from '../platform/db/dialect.js';

/**
 * EU AI Act self-checks: each run is kept with its answers and result (a redo is a new row, so the history
 * stays), and a solution remembers which completed check set its risk class.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);

  await db.schema.createTable('ai_act_checks')
    .addColumn('id', idColumnType(d), idColumn(d))
    // Null for a check run on its own, without a catalogue solution.
    .addColumn('solution_id', 'integer', (c) => c.references('solutions.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    // JSON object: question id → chosen value, only answers on the current path.
    .addColumn('answers', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('rule_version', 'text', (c) => c.notNull())
    .addColumn('risk_class', 'text')
    // JSON of the evaluation, written once when the check is completed.
    .addColumn('result', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema.createIndex('ai_act_checks_solution').on('ai_act_checks').columns(['solution_id', 'id']).execute();
  await db.schema.createIndex('ai_act_checks_organisation').on('ai_act_checks').columns(['organisation_id', 'id']).execute();

  await db.schema.alterTable('solutions').addColumn('ai_act_check_id', 'integer').execute();
  await db.schema.alterTable('solutions').addColumn('ai_act_checked_at', 'text').execute();
  await db.schema.alterTable('solutions').addColumn('ai_act_rule_version', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('The AI Act check migration cannot be undone; restore a backup instead.');
}
