import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';

import { visibleFor, type Audience } from '../../platform/audience.js';
import { impliedOwnerRunning, regionalSolution, RUNNING } from '../catalogue/region.js';

/**
 * The region's own solutions the audience may see (described or run by member organisations, see
 * regionalSolution), counted per value of one column (null for "not given"). Register entries count apart.
 */
export async function solutionCounts(db: Db, audience: Audience, column: 'field_of_action' | 'maturity'): Promise<Map<string | null, number>> {
  const visible = visibleFor(audience);
  const rows = await db.selectFrom('solutions')
    .select((eb) => [eb.ref(column).as('key'), sql<number>`count(*)`.as('n')])
    .where('visibility', 'in', visible).where(regionalSolution('solutions', visible))
    .groupBy(column).execute();
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}

/** Entries from the public registers the audience may see that are not the region's own (counted apart from the region). */
export async function registerEntryCount(db: Db, audience: Audience): Promise<number> {
  const visible = visibleFor(audience);
  const row = await db.selectFrom('solutions').select(sql<number>`count(*)`.as('n'))
    .where('visibility', 'in', visible).where(sql<boolean>`not ${regionalSolution('solutions', visible)}`).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Deployments running as a pilot or in production that the audience may see: the deployment and its
 * solution both visible. `since` is the month the organisation gave (YYYY-MM), if any.
 */
export async function runningDeployments(db: Db, audience: Audience) {
  const visible = visibleFor(audience);
  const [marked, implied] = await Promise.all([
    db.selectFrom('deployments as d').innerJoin('solutions as s', 's.id', 'd.solution_id')
      .select(['d.since', 'd.created_at'])
      .where('d.status', 'in', [...RUNNING])
      .where('d.visibility', 'in', visible).where('s.visibility', 'in', visible)
      .execute(),
    // The describing organisation runs its solution at the solution's maturity unless it marked otherwise; it counts from the solution's creation.
    db.selectFrom('solutions as s').select([sql<string | null>`null`.as('since'), 's.created_at'])
      .where('s.visibility', 'in', visible).where(impliedOwnerRunning('s'))
      .execute(),
  ]);
  return [...marked, ...implied];
}

/** When each active member joined, and their organisation. */
export async function activeMembers(db: Db) {
  return db.selectFrom('users').select(['created_at', 'organisation_id']).where('active', '=', 1).execute();
}

/** Questions the audience may see (never hidden ones): when asked, whether an answer is accepted, how many visible answers. */
export async function askedQuestions(db: Db, audience: Audience) {
  const rows = await db.selectFrom('questions as q')
    .select((eb) => [
      'q.created_at', 'q.accepted_answer_id',
      eb.selectFrom('answers as a').select(sql<number>`count(*)`.as('n')).whereRef('a.question_id', '=', 'q.id').where('a.hidden', '=', 0).as('answers'),
    ])
    .where('q.hidden', '=', 0).where('q.visibility', 'in', visibleFor(audience))
    .execute();
  return rows.map((r) => ({ created_at: r.created_at, accepted: r.accepted_answer_id !== null, answers: Number(r.answers ?? 0) }));
}

/** The latest meetings that have taken place (ended, not cancelled) which the audience may see, newest first. */
export async function heldMeetings(db: Db, audience: Audience, now: string, limit: number) {
  return db.selectFrom('meetings').select(['id', 'title', 'starts_at'])
    .where('status', '!=', 'cancelled').where('ends_at', '<=', now).where('visibility', 'in', visibleFor(audience))
    .orderBy('starts_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Registered people of the given meetings, counted per meeting and whether they were marked present. */
export async function attendanceCounts(db: Db, meetingIds: number[]) {
  if (meetingIds.length === 0) return [];
  const rows = await db.selectFrom('meeting_registrations')
    .select(['meeting_id', 'attended', sql<number>`count(*)`.as('n')])
    .where('meeting_id', 'in', meetingIds).where('status', '=', 'registered')
    .groupBy(['meeting_id', 'attended']).execute();
  return rows.map((r) => ({ meetingId: r.meeting_id, attended: Number(r.attended) === 1, count: Number(r.n) }));
}

/** When the latest meeting (not cancelled) ended, at or before `now`: the last time the attendance chart grew. */
export async function lastMeetingEndBefore(db: Db, now: string): Promise<string | null> {
  const row = await db.selectFrom('meetings').select(sql<string | null>`max(ends_at)`.as('at')).where('status', '!=', 'cancelled').where('ends_at', '<=', now).executeTakeFirst();
  return row?.at ?? null;
}

/** When the next meeting (not cancelled) ends after `now`: the next time the attendance chart grows. */
export async function nextMeetingEndAfter(db: Db, now: string): Promise<string | null> {
  const row = await db.selectFrom('meetings').select(sql<string | null>`min(ends_at)`.as('at')).where('status', '!=', 'cancelled').where('ends_at', '>', now).executeTakeFirst();
  return row?.at ?? null;
}

// The home page's figures: public content only, the region's own apart from the registers' entries --------------------------------------------------------

const count = (n: unknown) => Number(n ?? 0);

export async function publicFigures(db: Db) {
  const [solutions, registers, deployments, impliedDeployments, members, organisations, answered] = await Promise.all([
    db.selectFrom('solutions').select(sql<number>`count(*)`.as('n')).where('visibility', '=', 'public').where(regionalSolution('solutions', ['public'])).executeTakeFirst(),
    registerEntryCount(db, 'public'),
    db.selectFrom('deployments as d').innerJoin('solutions as s', 's.id', 'd.solution_id').select(sql<number>`count(*)`.as('n'))
      .where('d.status', 'in', [...RUNNING]).where('d.visibility', '=', 'public').where('s.visibility', '=', 'public').executeTakeFirst(),
    db.selectFrom('solutions as s').select(sql<number>`count(*)`.as('n')).where('s.visibility', '=', 'public').where(impliedOwnerRunning('s')).executeTakeFirst(),
    db.selectFrom('users').select(sql<number>`count(*)`.as('n')).where('active', '=', 1).executeTakeFirst(),
    db.selectFrom('users').select(sql<number>`count(distinct organisation_id)`.as('n')).where('active', '=', 1).executeTakeFirst(),
    db.selectFrom('questions').select(sql<number>`count(*)`.as('n'))
      .where('visibility', '=', 'public').where('hidden', '=', 0).where('accepted_answer_id', 'is not', null).executeTakeFirst(),
  ]);
  return {
    solutions: count(solutions?.n), registerEntries: registers, deployments: count(deployments?.n) + count(impliedDeployments?.n), members: count(members?.n),
    organisations: count(organisations?.n), questionsAnswered: count(answered?.n),
  };
}
