import type { Kysely } from 'kysely';

/**
 * The first pages of a search read a very common term's postings by weight, highest first (see POSTINGS_CAP in
 * src/modules/catalogue/search.ts): an index by term and weight, covering what the ranking reads.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('search_terms_by_weight').on('search_terms')
    .columns(['term', 'weight', 'solution_id', 'visibility', 'organisation_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('search_terms_by_weight').execute();
}
