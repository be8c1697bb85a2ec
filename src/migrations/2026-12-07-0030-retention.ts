import type { Kysely } from 'kysely';

/** Indexes for the retention job, which deletes by age: it finds old rows without reading whole tables. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('audit_log_created').on('audit_log').column('created_at').execute();
  await db.schema.createIndex('outbox_sent').on('outbox').columns(['status', 'sent_at']).execute();
  await db.schema.createIndex('join_requests_decided').on('join_requests').columns(['status', 'decided_at']).execute();
  await db.schema.createIndex('tokens_expiry').on('tokens').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['audit_log_created', 'outbox_sent', 'join_requests_decided', 'tokens_expiry']) await db.schema.dropIndex(name).execute();
}
