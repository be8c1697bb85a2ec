import assert from 'node:assert/strict';
import type { Insertable } from 'kysely';
import type { Db } from '../../src/platform/db/database.js';
import type { MeetingsTable } from '../../src/platform/db/schema.js';
import { nowIso } from '../../src/platform/clock.js';
import { unescapeHtml } from './catalogue.js';
import { pageText } from './page.js';

export { errorSummary, flash, pageText } from './page.js';

let counter = 0;

/**
 * A meeting straight in the database: by default public, 18 March 2027 from 10:00 to 16:00 in
 * Europe/Berlin (09:00–15:00 UTC), topics closed, 3 votes per member.
 */
export async function makeMeeting(db: Db, attrs: Partial<Insertable<MeetingsTable>> = {}) {
  counter++;
  const now = nowIso();
  const row = await db.insertInto('meetings').values({
    slug: `runde-${counter}-${Date.now().toString(36)}`, title: `KI-Community Runde ${counter}`, description: 'Austausch der Kommunen.',
    series: null, starts_at: '2027-03-18T09:00:00.000Z', ends_at: '2027-03-18T15:00:00.000Z', format: 'in_person',
    address: 'Rathaus Arnsberg, Ratssaal', online_url: '', capacity_onsite: 80, capacity_online: null,
    registration_opens_at: null, registration_closes_at: null, visibility: 'public', status: 'planned', cancel_reason: '', minutes: '',
    sequence: 0, created_by: null, created_at: now, updated_at: now,
    ...attrs,
  }).returning(['id', 'slug', 'title']).executeTakeFirstOrThrow();
  return row;
}

/** A topic straight in the database, proposed at the given time. */
export async function makeTopic(db: Db, meetingId: number, title: string, attrs: { by?: number; at?: string } = {}) {
  const row = await db.insertInto('meeting_topics').values({
    meeting_id: meetingId, title, description: '', solution_slug: null, proposed_by: attrs.by ?? null, created_at: attrs.at ?? nowIso(),
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Votes straight in the database. */
export async function addVotes(db: Db, topicId: number, userIds: number[]) {
  for (const userId of userIds) await db.insertInto('topic_votes').values({ topic_id: topicId, user_id: userId, created_at: nowIso() }).execute();
}

/** The ranked topic list of a topic page: title and number of votes, in page order. */
export function rankedTitles(html: string): { title: string; votes: number }[] {
  return [...html.matchAll(/<li class="topic card" id="thema-\d+"><h3>([^<]*)<\/h3><p class="meta"><strong class="topic-votes">(\d+) Stimmen?<\/strong>/g)]
    .map((m) => ({ title: unescapeHtml(m[1]), votes: Number(m[2]) }));
}

/** The rows of the agenda table: time, title, speaker. */
export function agendaRows(html: string): string[][] {
  const table = /<table class="table agenda">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].slice(0, 3).map((c) => pageText(c[1]).trim()));
}

/** Fails naming the text that was expected and the text that was there. */
export function assertIncludes(text: string, part: string): void {
  assert.ok(text.includes(part), `expected «${part}» in «${text.slice(0, 3000)}»`);
}
