import type { Db } from '../db/database.js';

const completed = new WeakSet<Db>();

/** Whether the first administrator exists; once true it stays true, so it is remembered per database. */
export async function isSetupComplete(db: Db): Promise<boolean> {
  if (completed.has(db)) return true;
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'setup_completed').executeTakeFirst();
  if (row) completed.add(db);
  return Boolean(row);
}
