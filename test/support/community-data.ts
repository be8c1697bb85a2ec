import { createMeeting, parseMeeting } from '../../src/modules/meetings/service.js';
import { answerQuestion, askQuestion } from '../../src/modules/questions/service.js';
import { nowIso } from '../../src/platform/clock.js';
import type { TestApp } from './harness.js';
import { meetingForm, organiser } from './meetings.js';

/** What several personas share: an organiser's question with an answer, and a meeting with one place and a topic. */
export async function commonGround(t: TestApp) {
  const db = t.database.db;
  const carla = await organiser(db);
  const deps = { db, config: t.config };
  const { id: questionId } = await askQuestion(deps, carla, { title: 'Gemeinsame Frage zur Spracherkennung', body: 'Wer nutzt das?', tags: [], field_of_action: null, visibility: 'public', solutions: [] });
  const { id: answerId } = await answerQuestion(deps, carla, questionId, 'Eine erste Antwort der Moderation.');
  const meeting = await createMeeting(db, { ...carla, role: 'moderator' }, parseMeeting(meetingForm({ capacity_onsite: '1' }), {}));
  const topic = await db.insertInto('meeting_topics').values({
    meeting_id: meeting.id, title: 'Gemeinsames Thema', description: '', solution_slug: null, proposed_by: carla.id, carried_from_id: null, created_at: nowIso(),
  }).returning('id').executeTakeFirstOrThrow();
  return { carla, questionId, answerId, meetingId: meeting.id, meetingSlug: meeting.slug, topicId: topic.id };
}
