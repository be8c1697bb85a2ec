import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import { forUpdate } from '../../platform/db/dialect.js';

type Q = Db | Tx;

/** The topic settings of a meeting, locked until the transaction ends: every change to its topics, votes and agenda takes this lock first. */
export function lockMeetingTopics(trx: Tx, meetingId: number) {
  return forUpdate(trx, trx.selectFrom('meetings').select(['id', 'status', 'vote_budget', 'topics_open', 'agenda_published_at', 'topics_close_at'])
    .where('id', '=', meetingId)).executeTakeFirst();
}

export function topicSettings(db: Q, meetingId: number) {
  return db.selectFrom('meetings').select(['id', 'vote_budget', 'topics_open', 'agenda_published_at', 'topics_close_at']).where('id', '=', meetingId).executeTakeFirst();
}

export async function updateTopicSettings(db: Q, meetingId: number, values: { vote_budget?: number; topics_open?: 0 | 1; agenda_published_at?: string | null; topics_close_at?: string | null }) {
  await db.updateTable('meetings').set(values).where('id', '=', meetingId).execute();
}

/**
 * The topics of a meeting, ranked: most votes first, ties by age (older first), with the viewer's own
 * vote, whether each is on the agenda, and where it came from or was carried to.
 */
export function rankedTopics(db: Q, meetingId: number, viewerId: number | null) {
  return db.selectFrom('meeting_topics as t')
    .leftJoin('users as u', 'u.id', 't.proposed_by')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
    .leftJoin('agenda_items as a', 'a.topic_id', 't.id')
    .leftJoin('meeting_topics as p', 'p.id', 't.carried_from_id')
    .leftJoin('meetings as pm', 'pm.id', 'p.meeting_id')
    .leftJoin('meeting_topics as c', 'c.carried_from_id', 't.id')
    .leftJoin('meetings as cm', 'cm.id', 'c.meeting_id')
    .select([
      't.id', 't.title', 't.description', 't.solution_slug', 't.proposed_by', 't.created_at',
      'u.name as proposer_name', 'o.name as proposer_organisation',
      'a.id as agenda_item_id',
      'pm.slug as carried_from_slug', 'pm.title as carried_from_title',
      'cm.slug as carried_to_slug', 'cm.title as carried_to_title',
    ])
    .select((eb) => [
      eb.selectFrom('topic_votes as v').whereRef('v.topic_id', '=', 't.id').select(sql<number>`count(*)`.as('n')).as('votes'),
      eb.selectFrom('topic_votes as mine').whereRef('mine.topic_id', '=', 't.id').where('mine.user_id', '=', viewerId ?? -1)
        .select(sql<number>`count(*)`.as('n')).as('my_vote'),
    ])
    .where('t.meeting_id', '=', meetingId)
    .orderBy('votes', 'desc').orderBy('t.created_at', 'asc').orderBy('t.id', 'asc')
    .execute();
}

export function findTopic(db: Q, meetingId: number, topicId: number) {
  return db.selectFrom('meeting_topics as t')
    .leftJoin('agenda_items as a', 'a.topic_id', 't.id')
    .leftJoin('meeting_topics as c', 'c.carried_from_id', 't.id')
    .select(['t.id', 't.meeting_id', 't.title', 't.proposed_by', 'a.id as agenda_item_id', 'c.id as carried_to_id'])
    .where('t.meeting_id', '=', meetingId).where('t.id', '=', topicId).executeTakeFirst();
}

export async function countTopics(db: Q, meetingId: number): Promise<number> {
  const row = await db.selectFrom('meeting_topics').select(sql<number>`count(*)`.as('n')).where('meeting_id', '=', meetingId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertTopic(db: Q, values: { meeting_id: number; title: string; description: string; solution_slug: string | null; proposed_by: number; created_at: string }) {
  return (await db.insertInto('meeting_topics').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function deleteTopic(db: Q, topicId: number) {
  await db.deleteFrom('topic_votes').where('topic_id', '=', topicId).execute();
  await db.updateTable('agenda_items').set({ topic_id: null }).where('topic_id', '=', topicId).execute();
  await db.updateTable('meeting_topics').set({ carried_from_id: null }).where('carried_from_id', '=', topicId).execute();
  await db.deleteFrom('meeting_topics').where('id', '=', topicId).execute();
}

/** How many votes a member has cast on the topics of a meeting. */
export async function votesCast(db: Q, meetingId: number, userId: number): Promise<number> {
  const row = await db.selectFrom('topic_votes as v').innerJoin('meeting_topics as t', 't.id', 'v.topic_id')
    .select(sql<number>`count(*)`.as('n')).where('t.meeting_id', '=', meetingId).where('v.user_id', '=', userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The most votes any one member has cast on the topics of a meeting. */
export async function mostVotesCastByOneMember(db: Q, meetingId: number): Promise<number> {
  const row = await db.selectFrom('topic_votes as v').innerJoin('meeting_topics as t', 't.id', 'v.topic_id')
    .select(sql<number>`count(*)`.as('n')).where('t.meeting_id', '=', meetingId)
    .groupBy('v.user_id').orderBy('n', 'desc').limit(1).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function hasVoted(db: Q, topicId: number, userId: number): Promise<boolean> {
  return Boolean(await db.selectFrom('topic_votes').select('topic_id').where('topic_id', '=', topicId).where('user_id', '=', userId).executeTakeFirst());
}

export async function insertVote(db: Q, topicId: number, userId: number, at: string) {
  await db.insertInto('topic_votes').values({ topic_id: topicId, user_id: userId, created_at: at }).execute();
}

/** Removes a vote; true when there was one. */
export async function deleteVote(db: Q, topicId: number, userId: number): Promise<boolean> {
  const res = await db.deleteFrom('topic_votes').where('topic_id', '=', topicId).where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/**
 * Copies the topics of a meeting that are neither on its agenda nor carried over already into another
 * meeting, without their votes; each copy remembers the topic it came from. Returns how many were copied.
 */
export async function copyTopicsNotOnAgenda(db: Q, fromMeetingId: number, toMeetingId: number): Promise<number> {
  const res = await db.insertInto('meeting_topics')
    .columns(['meeting_id', 'title', 'description', 'solution_slug', 'proposed_by', 'carried_from_id', 'created_at'])
    .expression((eb) => eb.selectFrom('meeting_topics as t')
      .select([sql<number>`cast(${toMeetingId} as integer)`.as('meeting_id'), 't.title', 't.description', 't.solution_slug', 't.proposed_by', 't.id', 't.created_at'])
      .where('t.meeting_id', '=', fromMeetingId)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('agenda_items as a').select('a.id').whereRef('a.topic_id', '=', 't.id'))))
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('meeting_topics as c').select('c.id').whereRef('c.carried_from_id', '=', 't.id'))))
      .orderBy('t.id'))
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}

export async function countCarriable(db: Q, meetingId: number): Promise<number> {
  const row = await db.selectFrom('meeting_topics as t').select(sql<number>`count(*)`.as('n'))
    .where('t.meeting_id', '=', meetingId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('agenda_items as a').select('a.id').whereRef('a.topic_id', '=', 't.id'))))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('meeting_topics as c').select('c.id').whereRef('c.carried_from_id', '=', 't.id'))))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// Agenda ------------------------------------------------------------------------------------------------

export function agendaItems(db: Q, meetingId: number) {
  return db.selectFrom('agenda_items as a').leftJoin('meeting_topics as t', 't.id', 'a.topic_id')
    .select(['a.id', 'a.starts_at', 'a.title', 'a.speaker', 'a.topic_id', 't.title as topic_title'])
    .where('a.meeting_id', '=', meetingId).orderBy('a.starts_at').orderBy('a.id').execute();
}

export function findAgendaItem(db: Q, meetingId: number, itemId: number) {
  return db.selectFrom('agenda_items').selectAll().where('meeting_id', '=', meetingId).where('id', '=', itemId).executeTakeFirst();
}

export async function lastAgendaStart(db: Q, meetingId: number): Promise<string | null> {
  const row = await db.selectFrom('agenda_items').select('starts_at').where('meeting_id', '=', meetingId)
    .orderBy('starts_at', 'desc').limit(1).executeTakeFirst();
  return row?.starts_at ?? null;
}

export async function insertAgendaItem(db: Q, values: { meeting_id: number; starts_at: string; title: string; speaker: string; topic_id: number | null; created_at: string; updated_at: string }) {
  return (await db.insertInto('agenda_items').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateAgendaItem(db: Q, itemId: number, values: { starts_at: string; title: string; speaker: string; updated_at: string }) {
  await db.updateTable('agenda_items').set(values).where('id', '=', itemId).execute();
}

export async function deleteAgendaItem(db: Q, itemId: number) {
  await db.deleteFrom('agenda_items').where('id', '=', itemId).execute();
}

export async function countVotesOf(db: Q, topicId: number): Promise<number> {
  const row = await db.selectFrom('topic_votes').select(sql<number>`count(*)`.as('n')).where('topic_id', '=', topicId).executeTakeFirstOrThrow();
  return Number(row.n);
}
