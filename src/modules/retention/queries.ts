import type { Db } from '../../platform/db/database.js';

/**
 * Takes the lease named by key until the given moment, if it is free (never taken, or run out by now).
 * Of several instances asking at once exactly one gets it: the insert is guarded by the primary key, and the
 * update only matches while the stored time lies in the past, which PostgreSQL checks again after waiting for
 * a competing update (SQLite lets one writer at a time anyway).
 */
export async function takeLease(db: Db, key: string, now: string, until: string): Promise<boolean> {
  const inserted = await db.insertInto('settings').values({ key, value: until })
    .onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return true;
  const updated = await db.updateTable('settings').set({ value: until })
    .where('key', '=', key).where('value', '<=', now).executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
