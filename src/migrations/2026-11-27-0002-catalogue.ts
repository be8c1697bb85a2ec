import type { Kysely } from 'kysely';
import { dialectOf, idColumn, idColumnType } from '../platform/db/dialect.js';

export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);

  await db.schema.createTable('solutions')
    .addColumn('id', idColumnType(d), id)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_key', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('problem_goal', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('benefit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('previous_process', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('field_of_action', 'text')
    .addColumn('process_type', 'text')
    .addColumn('interaction', 'text')
    .addColumn('technique', 'text')
    .addColumn('maturity', 'text', (c) => c.notNull())
    .addColumn('vendor', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('own_development', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('open_source_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cost_model', 'text')
    .addColumn('cost_min_eur', 'integer')
    .addColumn('cost_max_eur', 'integer')
    .addColumn('cost_basis', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('funding', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('personal_data', 'text')
    .addColumn('dpia_status', 'text')
    .addColumn('hosting', 'text')
    .addColumn('legal_basis', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('ai_act_class', 'text')
    .addColumn('human_oversight', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('risks_measures', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reuse_offered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reuse_conditions', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cooperation_wanted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('contact_email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('de'))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('own'))
    .addColumn('source_id', 'text')
    .addColumn('source_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source_org', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source_country', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('licence', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('is_example', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('solutions_source').on('solutions').columns(['source', 'source_id']).unique().execute();
  await db.schema.createIndex('solutions_visibility').on('solutions').columns(['visibility', 'updated_at']).execute();
  await db.schema.createIndex('solutions_title_key').on('solutions').column('title_key').execute();
  await db.schema.createIndex('solutions_organisation').on('solutions').column('organisation_id').execute();

  await db.schema.createTable('solution_versions')
    .addColumn('id', idColumnType(d), id)
    .addColumn('solution_id', 'integer', (c) => c.notNull().references('solutions.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('changed_fields', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('changed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('solution_versions_unique', ['solution_id', 'version'])
    .execute();

  await db.schema.createTable('deployments')
    .addColumn('id', idColumnType(d), id)
    .addColumn('solution_id', 'integer', (c) => c.notNull().references('solutions.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('since', 'text')
    .addColumn('contact', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cost_paid', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('experience', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('deployments_one_per_organisation', ['solution_id', 'organisation_id'])
    .execute();
  await db.schema.createIndex('deployments_organisation').on('deployments').column('organisation_id').execute();

  // The search index: terms produced by the application's analyser, with integer weights,
  // so that SQLite and PostgreSQL compute exactly the same scores.
  await db.schema.createTable('search_terms')
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('solution_id', 'integer', (c) => c.notNull().references('solutions.id').onDelete('cascade'))
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_terms_pk', ['term', 'solution_id'])
    .execute();
  await db.schema.createIndex('search_terms_solution').on('search_terms').column('solution_id').execute();
  await db.schema.createTable('search_vocabulary')
    .addColumn('term', 'text', (c) => c.primaryKey())
    .execute();
  // Surface words seen on their own, used to split compounds ("Schlaglocherkennung" = "Schlagloch" + "Erkennung").
  await db.schema.createTable('search_lexicon')
    .addColumn('word', 'text', (c) => c.primaryKey())
    .execute();

  await db.schema.createTable('api_tokens')
    .addColumn('id', idColumnType(d), id)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('The catalogue migration cannot be undone; restore a backup instead.');
}
