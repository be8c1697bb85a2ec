import type { Db, Tx } from '../../platform/db/database.js';
import type { PersonalDataPart, Person } from '../../platform/personal-data.js';

/** The links of the account to sign-in services: provider, the verified address, when made and last used. */
export const signOnPart: PersonalDataPart = {
  section: 'signOn',
  async collect(db: Db, person: Person) {
    const links = await db.selectFrom('sso_links').select(['provider', 'email', 'created_at', 'last_used_at']).where('user_id', '=', person.id).orderBy('id').execute();
    return { links: links.map((l) => ({ provider: l.provider, email: l.email, linkedAt: l.created_at, lastUsedAt: l.last_used_at })) };
  },
  async erase(trx: Tx, person: Person) {
    await trx.deleteFrom('sso_links').where('user_id', '=', person.id).execute();
  },
};
