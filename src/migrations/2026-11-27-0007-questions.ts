import type { Kysely } from 'kysely';
import { dialectOf, idColumn, idColumnType } from '../platform/db/dialect.js';

/**
 * Questions and answers ("Digitale Nachbarschaftshilfe"): questions with tags, linked and matched solutions,
 * answers with helpful marks, follows of tags and fields of action, reports for moderation, and the
 * questions' own search index (terms with integer weights, as the catalogue's).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);

  await db.schema.createTable('questions')
    .addColumn('id', idColumnType(d), id)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('field_of_action', 'text')
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('accepted_answer_id', 'integer')
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hidden_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_activity_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('questions_created').on('questions').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('questions_activity').on('questions').columns(['last_activity_at', 'id']).execute();
  await db.schema.createIndex('questions_author').on('questions').column('author_id').execute();

  await db.schema.createTable('answers')
    .addColumn('id', idColumnType(d), id)
    .addColumn('question_id', 'integer', (c) => c.notNull().references('questions.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hidden_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('answers_question').on('answers').columns(['question_id', 'id']).execute();

  // One mark per person and answer, enforced by the database.
  await db.schema.createTable('helpful_marks')
    .addColumn('answer_id', 'integer', (c) => c.notNull().references('answers.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('helpful_marks_pk', ['answer_id', 'user_id'])
    .execute();

  await db.schema.createTable('question_tags')
    .addColumn('question_id', 'integer', (c) => c.notNull().references('questions.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('question_tags_pk', ['question_id', 'tag'])
    .execute();
  await db.schema.createIndex('question_tags_tag').on('question_tags').columns(['tag', 'question_id']).execute();

  // Solutions the asker links, and solutions the platform matched when the question was posted.
  await db.schema.createTable('question_solutions')
    .addColumn('question_id', 'integer', (c) => c.notNull().references('questions.id').onDelete('cascade'))
    .addColumn('solution_id', 'integer', (c) => c.notNull().references('solutions.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('question_solutions_pk', ['question_id', 'solution_id'])
    .execute();
  await db.schema.createTable('question_matches')
    .addColumn('question_id', 'integer', (c) => c.notNull().references('questions.id').onDelete('cascade'))
    .addColumn('solution_id', 'integer', (c) => c.notNull().references('solutions.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('question_matches_pk', ['question_id', 'solution_id'])
    .execute();

  await db.schema.createTable('follows')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('follows_pk', ['user_id', 'kind', 'value'])
    .execute();
  await db.schema.createIndex('follows_topic').on('follows').columns(['kind', 'value', 'user_id']).execute();

  await db.schema.createTable('reports')
    .addColumn('id', idColumnType(d), id)
    .addColumn('post_type', 'text', (c) => c.notNull())
    .addColumn('post_id', 'integer', (c) => c.notNull())
    .addColumn('reporter_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    // A person reports a post once, enforced by the database.
    .addUniqueConstraint('reports_once_per_person', ['post_type', 'post_id', 'reporter_id'])
    .execute();
  await db.schema.createIndex('reports_post').on('reports').columns(['post_type', 'post_id', 'status']).execute();
  await db.schema.createIndex('reports_status').on('reports').columns(['status', 'id']).execute();

  // The questions' search index, filled by the same analyser as the catalogue's.
  await db.schema.createTable('question_terms')
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('question_id', 'integer', (c) => c.notNull().references('questions.id').onDelete('cascade'))
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('question_terms_pk', ['term', 'question_id'])
    .execute();
  await db.schema.createIndex('question_terms_question').on('question_terms').column('question_id').execute();
  await db.schema.createTable('question_lexicon')
    .addColumn('word', 'text', (c) => c.primaryKey())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('The questions migration cannot be undone; restore a backup instead.');
}
