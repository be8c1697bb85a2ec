import { sql, type ExpressionBuilder, type Insertable, type RawBuilder, type Selectable } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import { forUpdate } from '../../platform/db/dialect.js';
import type { AnswersTable, Database, PostType, QuestionsTable } from '../../platform/db/schema.js';
import type { Visitor } from '../../platform/policy.js';

export type QuestionRow = Selectable<QuestionsTable>;
export type AnswerRow = Selectable<AnswersTable>;

type Eb = ExpressionBuilder<Database & { q: QuestionsTable }, 'q'>;

/** Which questions a visitor finds in the list: public ones; members also members-only ones; hidden ones only their author and the moderators. */
export function listedFor(viewer: Visitor) {
  return (eb: Eb) => {
    if (!viewer) return eb.and([eb('q.visibility', '=', 'public'), eb('q.hidden', '=', 0)]);
    if (viewer.role === 'admin' || viewer.role === 'moderator') return eb.lit(true);
    return eb.or([eb('q.hidden', '=', 0), eb('q.author_id', '=', viewer.id)]);
  };
}

export async function insertQuestion(trx: Tx, values: Insertable<QuestionsTable>): Promise<number> {
  return (await trx.insertInto('questions').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function findQuestion(db: Db | Tx, id: number) {
  return db.selectFrom('questions as q').innerJoin('users as u', 'u.id', 'q.author_id').innerJoin('organisations as o', 'o.id', 'q.organisation_id')
    .selectAll('q').select(['u.name as author_name', 'o.name as organisation_name', 'o.slug as organisation_slug'])
    .where('q.id', '=', id).executeTakeFirst();
}

/** Reads the question and, on PostgreSQL, locks it until the transaction ends: answers, reports and acceptances queue up here. */
export async function lockQuestion(trx: Tx, id: number): Promise<QuestionRow | undefined> {
  return forUpdate(trx, trx.selectFrom('questions').selectAll().where('id', '=', id)).executeTakeFirst();
}

export async function lockAnswer(trx: Tx, id: number): Promise<AnswerRow | undefined> {
  return forUpdate(trx, trx.selectFrom('answers').selectAll().where('id', '=', id)).executeTakeFirst();
}

export async function findAnswer(db: Db | Tx, id: number): Promise<AnswerRow | undefined> {
  return db.selectFrom('answers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateQuestion(trx: Tx, id: number, values: Partial<Insertable<QuestionsTable>>) {
  await trx.updateTable('questions').set(values).where('id', '=', id).execute();
}

export async function updateAnswer(trx: Tx, id: number, values: Partial<Insertable<AnswersTable>>) {
  await trx.updateTable('answers').set(values).where('id', '=', id).execute();
}

export async function insertAnswer(trx: Tx, values: Insertable<AnswersTable>): Promise<number> {
  return (await trx.insertInto('answers').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** The answers of a question with authors and helpful counts; the accepted one first, then the most helpful, then the oldest. */
export async function answersOf(db: Db | Tx, questionId: number, acceptedId: number | null) {
  return db.selectFrom('answers as a').innerJoin('users as u', 'u.id', 'a.author_id').innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .selectAll('a')
    .select((eb) => [
      'u.name as author_name', 'o.name as organisation_name', 'o.slug as organisation_slug',
      eb.selectFrom('helpful_marks as h').select(sql<number>`count(*)`.as('n')).whereRef('h.answer_id', '=', 'a.id').as('helpful'),
    ])
    .where('a.question_id', '=', questionId)
    .orderBy(sql`case when a.id = ${acceptedId ?? 0} then 0 else 1 end`)
    .orderBy(sql`(select count(*) from helpful_marks h2 where h2.answer_id = a.id)`, 'desc')
    .orderBy('a.id', 'asc')
    .execute();
}

/** The texts of a question's visible answers, for the index. */
export async function visibleAnswerTexts(db: Db | Tx, questionId: number): Promise<string[]> {
  return (await db.selectFrom('answers').select('body').where('question_id', '=', questionId).where('hidden', '=', 0).orderBy('id').execute()).map((r) => r.body);
}

/** Which answers of a question the person has marked helpful. */
export async function helpfulMarksBy(db: Db, questionId: number, userId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('helpful_marks as h').innerJoin('answers as a', 'a.id', 'h.answer_id')
    .select('h.answer_id').where('a.question_id', '=', questionId).where('h.user_id', '=', userId).execute();
  return new Set(rows.map((r) => r.answer_id));
}

/** Records a helpful mark; false when the person had marked the answer already. */
export async function insertHelpfulMark(trx: Tx, answerId: number, userId: number, at: string): Promise<boolean> {
  const res = await trx.insertInto('helpful_marks').values({ answer_id: answerId, user_id: userId, created_at: at })
    .onConflict((oc) => oc.columns(['answer_id', 'user_id']).doNothing()).executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

// Tags and solutions --------------------------------------------------------------------------------------

export async function tagsOf(db: Db | Tx, questionIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (questionIds.length === 0) return out;
  const rows = await db.selectFrom('question_tags').select(['question_id', 'tag']).where('question_id', 'in', questionIds).orderBy('tag').execute();
  for (const r of rows) out.set(r.question_id, [...(out.get(r.question_id) ?? []), r.tag]);
  return out;
}

export async function replaceTags(trx: Tx, questionId: number, tags: string[]) {
  await trx.deleteFrom('question_tags').where('question_id', '=', questionId).execute();
  if (tags.length) await trx.insertInto('question_tags').values(tags.map((tag) => ({ question_id: questionId, tag }))).execute();
}

export async function replaceLinkedSolutions(trx: Tx, questionId: number, solutions: { id: number; slug: string }[]) {
  await trx.deleteFrom('question_solutions').where('question_id', '=', questionId).execute();
  if (solutions.length) {
    await trx.insertInto('question_solutions').values(solutions.map((s, i) => ({ question_id: questionId, solution_id: s.id, slug: s.slug, position: i }))).execute();
  }
}

export async function replaceMatches(trx: Tx, questionId: number, matches: { id: number; slug: string; score: number }[]) {
  await trx.deleteFrom('question_matches').where('question_id', '=', questionId).execute();
  if (matches.length) {
    await trx.insertInto('question_matches').values(matches.map((m, i) => ({ question_id: questionId, solution_id: m.id, slug: m.slug, score: m.score, position: i }))).execute();
  }
}

export async function linkedSolutionSlugs(db: Db, questionId: number): Promise<string[]> {
  return (await db.selectFrom('question_solutions').select('slug').where('question_id', '=', questionId).orderBy('position').execute()).map((r) => r.slug);
}

export async function matchedSolutionSlugs(db: Db, questionId: number): Promise<string[]> {
  return (await db.selectFrom('question_matches').select('slug').where('question_id', '=', questionId).orderBy('position').execute()).map((r) => r.slug);
}

/** Tags in use among the questions a visitor finds, the most used first. */
export async function tagCounts(db: Db, viewer: Visitor, limit = 40) {
  const rows = await db.selectFrom('question_tags as t').innerJoin('questions as q', 'q.id', 't.question_id')
    .select(['t.tag', sql<number>`count(*)`.as('n')]).where(listedFor(viewer) as any)
    .groupBy('t.tag').orderBy(sql`count(*)`, 'desc').orderBy('t.tag').limit(limit).execute();
  return rows.map((r) => ({ tag: r.tag, count: Number(r.n) }));
}

// The list ---------------------------------------------------------------------------------------------

export type QuestionSort = 'relevance' | 'newest' | 'activity';

export interface QuestionFilters {
  status: '' | 'open' | 'answered';
  tags: string[];
  field: string;
}

export async function findQuestions(db: Db, viewer: Visitor, opts: { hits: RawBuilder<unknown> | null; filters: QuestionFilters; sort: QuestionSort; limit: number; offset: number }) {
  let q = db.selectFrom('questions as q');
  if (opts.hits) q = q.innerJoin(opts.hits.as('h') as any, 'h.question_id' as any, 'q.id') as any;
  q = q.where(listedFor(viewer) as any);
  if (opts.filters.status === 'open') q = q.where('q.accepted_answer_id', 'is', null);
  if (opts.filters.status === 'answered') q = q.where('q.accepted_answer_id', 'is not', null);
  if (opts.filters.field) q = q.where('q.field_of_action', '=', opts.filters.field);
  for (const tag of opts.filters.tags) {
    q = q.where((eb) => eb.exists(eb.selectFrom('question_tags as t').select('t.tag').whereRef('t.question_id', '=', 'q.id').where('t.tag', '=', tag)));
  }
  const total = Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  let ordered = q.innerJoin('users as u', 'u.id', 'q.author_id').innerJoin('organisations as o', 'o.id', 'q.organisation_id')
    .select((eb) => [
      'q.id', 'q.title', 'q.body', 'q.field_of_action', 'q.visibility', 'q.hidden', 'q.accepted_answer_id', 'q.created_at', 'q.last_activity_at', 'q.author_id',
      'u.name as author_name', 'o.name as organisation_name',
      eb.selectFrom('answers as a').select(sql<number>`count(*)`.as('n')).whereRef('a.question_id', '=', 'q.id').where('a.hidden', '=', 0).as('answer_count'),
    ]);
  if (opts.sort === 'relevance' && opts.hits) ordered = ordered.orderBy(sql`h.score`, 'desc').orderBy('q.id', 'asc');
  else if (opts.sort === 'activity') ordered = ordered.orderBy('q.last_activity_at', 'desc').orderBy('q.id', 'desc');
  else ordered = ordered.orderBy('q.created_at', 'desc').orderBy('q.id', 'desc');
  const items = await ordered.limit(opts.limit).offset(opts.offset).execute();
  return { total, items: items.map((r) => ({ ...r, answer_count: Number(r.answer_count) })) };
}

/** The newest public questions that are not hidden, for the feed. */
export async function newestPublicQuestions(db: Db, limit: number) {
  return db.selectFrom('questions as q').innerJoin('users as u', 'u.id', 'q.author_id').innerJoin('organisations as o', 'o.id', 'q.organisation_id')
    .select(['q.id', 'q.title', 'q.body', 'q.created_at', 'q.updated_at', 'u.name as author_name', 'o.name as organisation_name'])
    .where('q.visibility', '=', 'public').where('q.hidden', '=', 0)
    .orderBy('q.created_at', 'desc').orderBy('q.id', 'desc').limit(limit).execute();
}

// People to notify --------------------------------------------------------------------------------------

/** Active members of the given organisations. */
export async function activeMembersOf(db: Db | Tx, organisationIds: number[]) {
  if (organisationIds.length === 0) return [];
  return db.selectFrom('users').select(['id', 'organisation_id']).where('organisation_id', 'in', organisationIds).where('active', '=', 1).orderBy('id').execute();
}

/** Active people who follow any of the tags or the field of action. */
export async function followersOf(db: Db | Tx, tags: string[], field: string | null): Promise<number[]> {
  if (tags.length === 0 && !field) return [];
  const rows = await db.selectFrom('follows as f').innerJoin('users as u', 'u.id', 'f.user_id')
    .select('f.user_id').distinct()
    .where('u.active', '=', 1)
    .where((eb) => eb.or([
      ...(tags.length ? [eb.and([eb('f.kind', '=', 'tag'), eb('f.value', 'in', tags)])] : []),
      ...(field ? [eb.and([eb('f.kind', '=', 'field'), eb('f.value', '=', field)])] : []),
    ]))
    .orderBy('f.user_id').execute();
  return rows.map((r) => r.user_id);
}

// Follows -----------------------------------------------------------------------------------------------

export async function followsOf(db: Db, userId: number) {
  return db.selectFrom('follows').select(['kind', 'value', 'created_at']).where('user_id', '=', userId).orderBy('kind').orderBy('value').execute();
}

export async function insertFollow(db: Db, userId: number, kind: 'tag' | 'field', value: string, at: string) {
  await db.insertInto('follows').values({ user_id: userId, kind, value, created_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'kind', 'value']).doNothing()).execute();
}

export async function deleteFollow(db: Db, userId: number, kind: 'tag' | 'field', value: string) {
  await db.deleteFrom('follows').where('user_id', '=', userId).where('kind', '=', kind).where('value', '=', value).execute();
}

// Reports -----------------------------------------------------------------------------------------------

export async function hasReported(trx: Tx, postType: PostType, postId: number, reporterId: number): Promise<boolean> {
  return Boolean(await trx.selectFrom('reports').select('id').where('post_type', '=', postType).where('post_id', '=', postId).where('reporter_id', '=', reporterId).executeTakeFirst());
}

export async function insertReport(trx: Tx, values: { post_type: PostType; post_id: number; reporter_id: number; reason: string; created_at: string }) {
  await trx.insertInto('reports').values(values).execute();
}

export async function openReportCount(trx: Tx, postType: PostType, postId: number): Promise<number> {
  return Number((await trx.selectFrom('reports').select(sql<number>`count(*)`.as('n'))
    .where('post_type', '=', postType).where('post_id', '=', postId).where('status', '=', 'open').executeTakeFirstOrThrow()).n);
}

/** Closes the open reports of a post with the moderator's decision. */
export async function decideReports(trx: Tx, postType: PostType, postId: number, status: 'upheld' | 'dismissed', by: number, at: string) {
  await trx.updateTable('reports').set({ status, decided_by: by, decided_at: at })
    .where('post_type', '=', postType).where('post_id', '=', postId).where('status', '=', 'open').execute();
}

/** Posts with open reports, or hidden after reports and awaiting a decision; oldest report first. */
export async function moderationQueue(db: Db) {
  const reports = await db.selectFrom('reports as r').innerJoin('users as u', 'u.id', 'r.reporter_id')
    .select(['r.id', 'r.post_type', 'r.post_id', 'r.reason', 'r.created_at', 'u.name as reporter_name'])
    .where('r.status', '=', 'open').orderBy('r.id').execute();
  const hiddenQuestions = await db.selectFrom('questions').select('id').where('hidden', '=', 1).where('hidden_reason', '=', 'reports').execute();
  const hiddenAnswers = await db.selectFrom('answers').select('id').where('hidden', '=', 1).where('hidden_reason', '=', 'reports').execute();
  return { reports, hiddenQuestionIds: hiddenQuestions.map((r) => r.id), hiddenAnswerIds: hiddenAnswers.map((r) => r.id) };
}

export async function openReportTotal(db: Db): Promise<number> {
  const row = await db.selectFrom('reports').select(sql<number>`count(distinct post_type || ':' || post_id)`.as('n')).where('status', '=', 'open').executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function questionsByIds(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('questions as q').innerJoin('users as u', 'u.id', 'q.author_id')
    .select(['q.id', 'q.title', 'q.body', 'q.hidden', 'q.hidden_reason', 'q.author_id', 'u.name as author_name']).where('q.id', 'in', ids).execute();
}

export async function answersByIds(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('answers as a').innerJoin('users as u', 'u.id', 'a.author_id').innerJoin('questions as q', 'q.id', 'a.question_id')
    .select(['a.id', 'a.question_id', 'a.body', 'a.hidden', 'a.hidden_reason', 'a.author_id', 'u.name as author_name', 'q.title as question_title'])
    .where('a.id', 'in', ids).execute();
}
