import type { Db, Tx } from './db/database.js';
import { nowIso } from './clock.js';

/** Records an administrative action: who, what, on which thing, when. */
export async function recordAudit(
  db: Db | Tx,
  entry: { actorId: number | null; action: string; targetType: string; targetId: string | number; details?: Record<string, unknown> },
): Promise<void> {
  await db.insertInto('audit_log').values({
    actor_id: entry.actorId,
    action: entry.action,
    target_type: entry.targetType,
    target_id: String(entry.targetId),
    details: JSON.stringify(entry.details ?? {}),
    created_at: nowIso(),
  }).execute();
}

/** Deletes the audit entries recorded before the given moment; returns how many. */
export async function purgeAuditEntries(db: Db, recordedBefore: string): Promise<number> {
  const result = await db.deleteFrom('audit_log').where('created_at', '<', recordedBefore).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listAudit(db: Db, limit = 200) {
  return db.selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_id')
    .select(['audit_log.id', 'audit_log.action', 'audit_log.target_type', 'audit_log.target_id', 'audit_log.details', 'audit_log.created_at', 'users.name as actor_name'])
    .orderBy('audit_log.id', 'desc').limit(limit).execute();
}
