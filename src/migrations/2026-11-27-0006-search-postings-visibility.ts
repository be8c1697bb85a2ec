import { sql, type Kysely } from 'kysely';

/**
 * Each search posting carries its solution's visibility and organisation, so the ranked result list
 * (the search page without filters, "similar solutions") is computed from the postings alone, without
 * looking up every matching solution's row: with a common word that look-up was most of the time a
 * search took (measured with `npm run bench`, see README.md). The covering index gains both columns.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('search_terms').addColumn('visibility', 'text', (c) => c.notNull().defaultTo('public')).execute();
  await db.schema.alterTable('search_terms').addColumn('organisation_id', 'integer').execute();
  await sql`update search_terms set
    visibility = (select s.visibility from solutions s where s.id = search_terms.solution_id),
    organisation_id = (select s.organisation_id from solutions s where s.id = search_terms.solution_id)`.execute(db);
  await db.schema.dropIndex('search_terms_covering').execute();
  await db.schema.createIndex('search_terms_ranking').on('search_terms')
    .columns(['term', 'solution_id', 'weight', 'visibility', 'organisation_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('search_terms_ranking').execute();
  await db.schema.createIndex('search_terms_covering').on('search_terms').columns(['term', 'solution_id', 'weight']).execute();
  await db.schema.alterTable('search_terms').dropColumn('organisation_id').execute();
  await db.schema.alterTable('search_terms').dropColumn('visibility').execute();
}
