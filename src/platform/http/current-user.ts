import type { Db } from '../db/database.js';
import type { CurrentUser } from '../policy.js';

/**
 * The signed-in person, looked up on each request so a role change or deactivation applies at once.
 * With a session generation, a session from before the person's sessions were ended finds no one.
 */
export async function loadCurrentUser(db: Db, userId: number, sessionGeneration?: number): Promise<CurrentUser | null> {
  const row = await db.selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['users.id', 'users.name', 'users.email', 'users.role', 'users.organisation_id', 'organisations.name as organisation_name'])
    .where('users.id', '=', userId).where('users.active', '=', 1)
    .$if(sessionGeneration !== undefined, (qb) => qb.where('users.session_generation', '=', sessionGeneration!))
    .executeTakeFirst();
  if (!row) return null;
  return { id: row.id, name: row.name, email: row.email, role: row.role, organisationId: row.organisation_id, organisationName: row.organisation_name };
}
