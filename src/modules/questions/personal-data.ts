import type { Db, Tx } from '../../platform/db/database.js';
import type { PersonalDataPart, Person } from '../../platform/personal-data.js';

/**
 * Questions, answers, helpful marks, follows and reports. Questions and answers stay on deletion (others answered
 * and built on them), shown under "former member"; helpful marks stay as anonymous counts; follows go.
 * Reports stay for the moderation's record, without anything that names the reporter.
 */
export const questionsPart: PersonalDataPart = {
  section: 'questions',
  async collect(db: Db, person: Person, baseUrl: string) {
    const link = (id: number, anchor = '') => `${baseUrl}/fragen/${id}${anchor}`;
    const questions = await db.selectFrom('questions').select(['id', 'title', 'body', 'visibility', 'hidden', 'created_at', 'updated_at'])
      .where('author_id', '=', person.id).orderBy('id').execute();
    const answers = await db.selectFrom('answers as a').innerJoin('questions as q', 'q.id', 'a.question_id')
      .select(['a.id', 'a.question_id', 'q.title', 'a.body', 'a.hidden', 'a.created_at', 'a.updated_at'])
      .where('a.author_id', '=', person.id).orderBy('a.id').execute();
    const marks = await db.selectFrom('helpful_marks as h').innerJoin('answers as a', 'a.id', 'h.answer_id').innerJoin('questions as q', 'q.id', 'a.question_id')
      .select(['a.id', 'a.question_id', 'q.title', 'h.created_at']).where('h.user_id', '=', person.id).orderBy('h.created_at').execute();
    const follows = await db.selectFrom('follows').select(['kind', 'value', 'created_at']).where('user_id', '=', person.id).orderBy('created_at').execute();
    const reports = await db.selectFrom('reports').select(['post_type', 'post_id', 'reason', 'status', 'created_at']).where('reporter_id', '=', person.id).orderBy('id').execute();
    return {
      questions: questions.map((q) => ({ title: q.title, body: q.body, visibility: q.visibility, hidden: q.hidden === 1, link: link(q.id), createdAt: q.created_at, updatedAt: q.updated_at })),
      answers: answers.map((a) => ({ question: a.title, body: a.body, hidden: a.hidden === 1, link: link(a.question_id, `#antwort-${a.id}`), createdAt: a.created_at, updatedAt: a.updated_at })),
      helpfulMarks: marks.map((m) => ({ question: m.title, link: link(m.question_id, `#antwort-${m.id}`), at: m.created_at })),
      follows: follows.map((f) => ({ kind: f.kind, value: f.value, since: f.created_at })),
      reports: reports.map((r) => ({ postType: r.post_type, postId: r.post_id, reason: r.reason, status: r.status, at: r.created_at })),
    };
  },
  async erase(trx: Tx, person: Person) {
    await trx.deleteFrom('follows').where('user_id', '=', person.id).execute();
  },
};
