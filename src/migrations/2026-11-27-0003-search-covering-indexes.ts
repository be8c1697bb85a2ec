import type { Kysely } from 'kysely';

/**
 * Covering indexes for the catalogue search (measured with `npm run bench`, see README.md):
 *
 * - search_terms (term, solution_id, weight): the scoring query reads weight for every posting of the query terms.
 *   With the primary key (term, solution_id) alone each posting costs a look-up in the table, whose rows lie in
 *   the order the solutions were indexed, so a common term meant thousands of scattered reads; with weight in the
 *   index the postings of a term are read in one run.
 * - solutions (id, visibility, <facet columns>): the result count and the nine facet counts need only these short
 *   columns, but without an index holding them every matching solution's whole row (with its long texts) was read,
 *   and the list page without a query read all rows nine times.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('search_terms_covering').on('search_terms').columns(['term', 'solution_id', 'weight']).execute();
  await db.schema.createIndex('solutions_facets').on('solutions')
    .columns(['id', 'visibility', 'field_of_action', 'maturity', 'technique', 'organisation_id', 'ai_act_class', 'reuse_offered', 'source', 'language'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('solutions_facets').execute();
  await db.schema.dropIndex('search_terms_covering').execute();
}
