import type { Db, Tx } from '../../platform/db/database.js';
import { translatorFor, type Lang } from '../../platform/i18n/index.js';
import { likeAny, mentionsPerson, type PersonalDataPart, type Person } from '../../platform/personal-data.js';
import { notificationText } from './service.js';

/**
 * The person's notifications, mail preferences and digests; all go on deletion. Notifications of others that
 * name the person (e.g. "… answered your question") name a former member instead.
 */
export const notificationsPart: PersonalDataPart = {
  section: 'notifications',
  async collect(db: Db, person: Person, baseUrl: string) {
    const t = translatorFor(person.language);
    const rows = await db.selectFrom('notifications').select(['kind', 'message_key', 'params', 'url', 'created_at', 'read_at', 'mailed_at'])
      .where('user_id', '=', person.id).orderBy('id').execute();
    const preferences = await db.selectFrom('notification_preferences').select(['kind', 'frequency', 'updated_at']).where('user_id', '=', person.id).orderBy('kind').execute();
    const digests = await db.selectFrom('notification_digests').select(['cadence', 'period', 'item_count', 'created_at']).where('user_id', '=', person.id).orderBy('id').execute();
    return {
      notifications: rows.map((n) => ({ kind: n.kind, text: notificationText(t, n), link: `${baseUrl}${n.url}`, createdAt: n.created_at, readAt: n.read_at, mailedAt: n.mailed_at })),
      mailPreferences: preferences.map((p) => ({ kind: p.kind, frequency: p.frequency, updatedAt: p.updated_at })),
      digestsSent: digests.map((d) => ({ cadence: d.cadence, period: d.period, items: d.item_count, at: d.created_at })),
    };
  },
  async erase(trx: Tx, person: Person) {
    await trx.deleteFrom('notifications').where('user_id', '=', person.id).execute();
    await trx.deleteFrom('notification_preferences').where('user_id', '=', person.id).execute();
    await trx.deleteFrom('notification_digests').where('user_id', '=', person.id).execute();
    const others = await trx.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id').select(['n.id', 'n.params', 'u.language'])
      .where((eb) => eb.or(likeAny(eb, 'n.params', person))).execute();
    for (const n of others.filter((row) => mentionsPerson(row.params, person))) {
      const former = translatorFor(n.language as Lang)('ownData.formerMember');
      const params = Object.fromEntries(Object.entries(JSON.parse(n.params) as Record<string, string>)
        .map(([k, v]) => [k, typeof v === 'string' && mentionsPerson(v, person) ? former : v]));
      await trx.updateTable('notifications').set({ params: JSON.stringify(params) }).where('id', '=', n.id).execute();
    }
  },
};
