import type { Kysely } from 'kysely';

/**
 * Self-checks that can be withdrawn (kept in the history, marked as withdrawn) and, for checks without a
 * catalogue entry, published to the organisation's transparency register with the register's own fields.
 * Only new columns: the check's existing columns keep their meaning.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const columns: [string, 'text' | 'integer'][] = [
    ['withdrawn_at', 'text'], ['withdrawn_by', 'integer'],
    ['register_published_at', 'text'], ['register_purpose', 'text'], ['register_contact', 'text'],
    ['register_oversight', 'text'], ['register_legal_basis', 'text'],
  ];
  for (const [name, type] of columns) {
    await db.schema.alterTable('ai_act_checks').addColumn(name, type, (c) => (name === 'withdrawn_by' ? c.references('users.id') : c)).execute();
  }
  await db.schema.createIndex('ai_act_checks_register').on('ai_act_checks').columns(['organisation_id', 'register_published_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('ai_act_checks_register').execute();
  for (const name of ['register_legal_basis', 'register_oversight', 'register_contact', 'register_purpose', 'register_published_at', 'withdrawn_by', 'withdrawn_at']) {
    await db.schema.alterTable('ai_act_checks').dropColumn(name).execute();
  }
}
