import type { Db, Tx } from '../../platform/db/database.js';
import { nowIso } from '../../platform/clock.js';
import type { CurrentUser } from '../../platform/policy.js';
import { likeAny, mentionsPerson, withoutPerson, type PersonalDataPart, type Person } from '../../platform/personal-data.js';
import { cancelRegistration, type MeetingDeps } from './service.js';

/**
 * Registrations, proposed topics and votes, materials added. On deletion, registrations for meetings still to come
 * are withdrawn first (withdrawUpcomingRegistrations), so the waiting list moves up; past registrations and votes
 * stay as anonymous counts of the meeting, topics and materials as the meeting's record.
 */
export const meetingsPart: PersonalDataPart = {
  section: 'meetings',
  async collect(db: Db, person: Person, baseUrl: string) {
    const link = (slug: string, path = '') => `${baseUrl}/treffen/${slug}${path}`;
    const registrations = await db.selectFrom('meeting_registrations as r').innerJoin('meetings as m', 'm.id', 'r.meeting_id')
      .select(['m.title', 'm.slug', 'm.starts_at', 'r.mode', 'r.status', 'r.attended', 'r.created_at', 'r.promoted_at', 'r.cancelled_at'])
      .where('r.user_id', '=', person.id).orderBy('r.id').execute();
    const topics = await db.selectFrom('meeting_topics as t').innerJoin('meetings as m', 'm.id', 't.meeting_id')
      .select(['t.title', 't.description', 't.created_at', 'm.slug', 'm.title as meeting'])
      .where('t.proposed_by', '=', person.id).orderBy('t.id').execute();
    const votes = await db.selectFrom('topic_votes as v').innerJoin('meeting_topics as t', 't.id', 'v.topic_id').innerJoin('meetings as m', 'm.id', 't.meeting_id')
      .select(['t.title', 'm.slug', 'm.title as meeting', 'v.created_at']).where('v.user_id', '=', person.id).orderBy('v.created_at').execute();
    const materials = await db.selectFrom('meeting_materials as x').innerJoin('meetings as m', 'm.id', 'x.meeting_id')
      .select(['x.title', 'x.kind', 'x.url', 'x.file_name', 'x.created_at', 'm.slug', 'm.title as meeting'])
      .where('x.created_by', '=', person.id).orderBy('x.id').execute();
    const organised = await db.selectFrom('meetings').select(['title', 'slug', 'starts_at', 'created_at']).where('created_by', '=', person.id).orderBy('id').execute();
    return {
      registrations: registrations.map((r) => ({
        meeting: r.title, link: link(r.slug), startsAt: r.starts_at, mode: r.mode, status: r.status, attended: r.attended === 1,
        registeredAt: r.created_at, promotedAt: r.promoted_at, cancelledAt: r.cancelled_at,
      })),
      meetingsCreated: organised.map((m) => ({ title: m.title, link: link(m.slug), startsAt: m.starts_at, createdAt: m.created_at })),
      topicsProposed: topics.map((tp) => ({ title: tp.title, description: tp.description, meeting: tp.meeting, link: link(tp.slug, '/themen'), createdAt: tp.created_at })),
      topicVotes: votes.map((v) => ({ topic: v.title, meeting: v.meeting, link: link(v.slug, '/themen'), at: v.created_at })),
      materialsAdded: materials.map((x) => ({ title: x.title, kind: x.kind, url: x.url || null, fileName: x.file_name, meeting: x.meeting, link: link(x.slug), createdAt: x.created_at })),
    };
  },
  async erase(trx: Tx, person: Person) {
    // A speaker named in an agenda is the person's name typed by an organiser.
    const items = await trx.selectFrom('agenda_items').select(['id', 'speaker']).where((eb) => eb.or(likeAny(eb, 'speaker', person))).execute();
    for (const item of items.filter((i) => mentionsPerson(i.speaker, person))) {
      await trx.updateTable('agenda_items').set({ speaker: withoutPerson(item.speaker, person).trim(), updated_at: nowIso() }).where('id', '=', item.id).execute();
    }
  },
};

/**
 * Withdraws the person's registrations for meetings that have not begun, one by one through the ordinary
 * cancellation, so each free place goes to the next person waiting, with their mail.
 */
export async function withdrawUpcomingRegistrations(deps: MeetingDeps, person: CurrentUser): Promise<number> {
  const live = await deps.db.selectFrom('meeting_registrations as r').innerJoin('meetings as m', 'm.id', 'r.meeting_id')
    .select(['m.slug']).where('r.user_id', '=', person.id).where('r.status', 'in', ['registered', 'waiting'])
    .where('m.starts_at', '>', nowIso()).execute();
  for (const { slug } of live) await cancelRegistration(deps, person, slug);
  return live.length;
}
