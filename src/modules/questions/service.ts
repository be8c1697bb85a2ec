import { z } from 'zod';
import type { Config } from '../../platform/config.js';
import { nowIso } from '../../platform/clock.js';
import type { Db, Tx } from '../../platform/db/database.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, FormError, forbidden, notFound, signInRequired } from '../../platform/errors.js';
import { optionalText, parseForm, text } from '../../platform/forms.js';
import { can, type CurrentUser, type Visitor } from '../../platform/policy.js';
import * as catalogue from '../catalogue/service.js';
import { FIELDS_OF_ACTION } from '../catalogue/fields.js';
import { notify, organisationsNotified } from '../notifications/service.js';
import { findMatches, organisationsRunning, solutionsWithRunners, type Match } from './matching.js';
import { isQuestionModerator } from './policy.js';
import * as q from './queries.js';
import { indexQuestion, scoredQuestions } from './search.js';

export interface QuestionDeps {
  db: Db;
  config: Pick<Config, 'reportsToHide'>;
}

export const TITLE_MAX = 150;
export const BODY_MAX = 20_000;
export const ANSWER_MAX = 10_000;
export const TAGS_MAX = 5;
export const TAG_LENGTH_MAX = 40;
export const LINKED_MAX = 5;
export const VISIBILITIES = ['members', 'public'] as const;

// -------------------------------------------------------------------------------------------------
// Input

const questionSchema = z.object({
  title: text(TITLE_MAX),
  body: text(BODY_MAX),
  tags: optionalText(500),
  field_of_action: z.union([z.literal('').transform(() => null), z.enum(FIELDS_OF_ACTION)]),
  visibility: z.enum(VISIBILITIES),
  solutions: optionalText(2000),
});

export interface QuestionInput {
  title: string;
  body: string;
  tags: string[];
  field_of_action: string | null;
  visibility: (typeof VISIBILITIES)[number];
  /** Addresses or slugs of catalogue solutions, one per line. */
  solutions: string[];
}

/** A tag as stored: lower case, single spaces, without a leading #. */
export function normaliseTag(raw: string): string {
  return raw.trim().replace(/^#+/, '').replace(/\s+/g, ' ').toLocaleLowerCase('de').trim();
}

/** Tags typed as a comma-separated list: each once, at most five of at most 40 characters. */
export function parseTags(raw: string): string[] {
  const tags = [...new Set(raw.split(/[,;\n]/).map(normaliseTag).filter(Boolean))];
  if (tags.length > TAGS_MAX) throw new FormError({ tags: { key: 'questions.errors.tooManyTags', vars: { max: TAGS_MAX } } });
  const long = tags.find((t) => t.length > TAG_LENGTH_MAX);
  if (long) throw new FormError({ tags: { key: 'questions.errors.tagTooLong', vars: { tag: long, max: TAG_LENGTH_MAX } } });
  return tags;
}

/** Normalises line breaks (browsers send \r\n) so an unchanged text stays unchanged. */
const lines = (values: Record<string, string>, names: string[]) =>
  Object.fromEntries(names.map((n) => [n, (values[n] ?? '').replace(/\r\n?/g, '\n')]));

export function parseQuestion(values: Record<string, string>, labels: Record<string, string>): QuestionInput {
  const data = parseForm(questionSchema, lines(values, ['title', 'body', 'tags', 'field_of_action', 'visibility', 'solutions']), labels);
  const tags = parseTags(data.tags);
  const solutions = [...new Set(data.solutions.split('\n').map((s) => s.trim()).filter(Boolean))];
  if (solutions.length > LINKED_MAX) throw new FormError({ solutions: { key: 'questions.errors.tooManySolutions', vars: { max: LINKED_MAX } } });
  return { title: data.title, body: data.body, tags, field_of_action: data.field_of_action, visibility: data.visibility, solutions };
}

const answerSchema = z.object({ body: text(ANSWER_MAX) });

export function parseAnswer(values: Record<string, string>, labels: Record<string, string>): string {
  return parseForm(answerSchema, lines(values, ['body']), labels).body;
}

/** HTML in a post that the page will not run or show (scripts, event handlers, javascript: links). */
export function containsActiveHtml(markdown: string): boolean {
  return /<\s*\/?\s*(script|iframe|object|embed|style|form)\b|\son[a-z]+\s*=|javascript\s*:/i.test(markdown);
}

/** The slug of a solution from its address (…/loesungen/<slug>) or the slug itself. */
function solutionSlug(ref: string): string {
  const m = /\/loesungen\/([^/?#\s]+)/.exec(ref);
  return (m ? m[1] : ref).trim().toLowerCase();
}

/** The linked solutions, as the asker may see them; a reference that leads nowhere is refused with its text. */
async function resolveLinked(db: Db, viewer: Visitor, refs: string[]): Promise<{ id: number; slug: string }[]> {
  const out: { id: number; slug: string }[] = [];
  for (const ref of refs) {
    try {
      const s = await catalogue.solutionFor(db, viewer, solutionSlug(ref));
      if (!out.some((o) => o.id === s.id)) out.push({ id: s.id, slug: s.slug });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      throw new FormError({ solutions: { key: 'questions.errors.solutionNotFound', vars: { value: ref } } });
    }
  }
  return out;
}

// -------------------------------------------------------------------------------------------------
// Asking, editing


/** Re-indexes every question (after the ranking changed), 100 per transaction; returns how many. */
export async function reindexAllQuestions(db: Db): Promise<number> {
  let last = 0;
  let count = 0;
  for (;;) {
    const ids = (await db.selectFrom('questions').select('id').where('id', '>', last).orderBy('id').limit(100).execute()).map((r) => r.id);
    if (ids.length === 0) break;
    await db.transaction().execute(async (trx) => { for (const id of ids) await reindexQuestion(trx, id); });
    last = ids[ids.length - 1];
    count += ids.length;
  }
  return count;
}

/** Reindexes a question with its tags and visible answers, inside the caller's transaction. */
export async function reindexQuestion(trx: Tx, questionId: number) {
  const question = await trx.selectFrom('questions').select(['id', 'title', 'body']).where('id', '=', questionId).executeTakeFirstOrThrow();
  const tags = (await q.tagsOf(trx, [questionId])).get(questionId) ?? [];
  await indexQuestion(trx, { ...question, tags, answers: await q.visibleAnswerTexts(trx, questionId) });
}

/** Notifies the members of the organisations that run the matched solutions (never the asker's own organisation). */
async function notifyMatchedOrganisations(trx: Tx, asker: CurrentUser, questionId: number, title: string, organisations: Map<number, Match>): Promise<number[]> {
  const members = await q.activeMembersOf(trx, [...organisations.keys()]);
  const bySolution = new Map<number, { match: Match; userIds: number[] }>();
  for (const m of members) {
    if (m.id === asker.id) continue;
    const match = organisations.get(m.organisation_id)!;
    const entry = bySolution.get(match.id) ?? { match, userIds: [] };
    entry.userIds.push(m.id);
    bySolution.set(match.id, entry);
  }
  for (const { match, userIds } of bySolution.values()) {
    await notify(trx, {
      userIds, kind: 'match', messageKey: 'questions.notify.match',
      params: { organisation: asker.organisationName, title, solution: match.title },
      url: `/fragen/${questionId}`, dedupeKey: `question:${questionId}:match`,
    });
  }
  return members.map((m) => m.id);
}

/** Posts a question: stores it with its tags and links, matches it to the catalogue and tells who runs something similar and who follows its topics. */
export async function askQuestion(deps: QuestionDeps, viewer: Visitor, input: QuestionInput): Promise<{ id: number }> {
  if (!viewer || !can(viewer, 'question.ask')) throw forbidden();
  const { db } = deps;
  const linked = await resolveLinked(db, viewer, input.solutions);
  const matches = await findMatches(db, viewer, input);
  // Read before the transaction: on SQLite a transaction holds the only connection.
  const runners = await organisationsRunning(db, viewer, matches);
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const id = await q.insertQuestion(trx, {
      title: input.title, body: input.body, field_of_action: input.field_of_action, visibility: input.visibility,
      author_id: viewer.id, organisation_id: viewer.organisationId, accepted_answer_id: null, hidden: 0, hidden_reason: null,
      created_at: now, updated_at: now, last_activity_at: now,
    });
    await q.replaceTags(trx, id, input.tags);
    await q.replaceLinkedSolutions(trx, id, linked);
    await q.replaceMatches(trx, id, matches);
    await reindexQuestion(trx, id);
    const matched = new Set(await notifyMatchedOrganisations(trx, viewer, id, input.title, runners));
    const followers = (await q.followersOf(trx, input.tags, input.field_of_action)).filter((u) => u !== viewer.id && !matched.has(u));
    if (followers.length) {
      // The field of action is stored as its code, so each reader sees it named in their language.
      const topics = input.tags.join(', ');
      const field = input.field_of_action;
      const messageKey = !field ? 'questions.notify.followed' : topics ? 'questions.notify.followedTagsField' : 'questions.notify.followedField';
      await notify(trx, {
        userIds: followers, kind: 'followed', messageKey,
        params: { title: input.title, topics, organisation: viewer.organisationName, ...(field ? { field } : {}) },
        url: `/fragen/${id}`, dedupeKey: `question:${id}:followed`,
      });
    }
    return { id };
  });
}

/** Reads a question as the viewer may see it: members-only ones need an account, hidden ones are for their author and the moderators. */
async function questionFor(db: Db, viewer: Visitor, id: number) {
  const question = await q.findQuestion(db, id);
  if (!question) throw notFound();
  if (question.hidden && !can(viewer, 'question.view', question)) throw notFound();
  if (!can(viewer, 'question.view', question)) throw signInRequired();
  return question;
}

/** Saves an edit of a question by its author or a moderator; a moderator's edit of someone else's question is audited. */
export async function editQuestion(deps: QuestionDeps, viewer: Visitor, id: number, input: QuestionInput): Promise<void> {
  const { db } = deps;
  const current = await questionFor(db, viewer, id);
  if (!viewer || !can(viewer, 'post.editThis', current)) throw forbidden();
  const linked = await resolveLinked(db, viewer, input.solutions);
  const author = await catalogueViewerOf(db, current);
  const matches = await findMatches(db, author, input);
  const runners = await organisationsRunning(db, author, matches);
  await db.transaction().execute(async (trx) => {
    const locked = await q.lockQuestion(trx, id);
    if (!locked) throw notFound();
    await q.updateQuestion(trx, id, {
      title: input.title, body: input.body, field_of_action: input.field_of_action, visibility: input.visibility, updated_at: nowIso(),
    });
    await q.replaceTags(trx, id, input.tags);
    await q.replaceLinkedSolutions(trx, id, linked);
    await q.replaceMatches(trx, id, matches);
    await reindexQuestion(trx, id);
    await notifyMatchedOrganisations(trx, author, id, input.title, runners);
    if (viewer.id !== locked.author_id) {
      await recordAudit(trx, { actorId: viewer.id, action: 'post.edited', targetType: 'question', targetId: id, details: { title: input.title } });
    }
  });
}

/** The asker as the catalogue sees them, so a moderator's edit matches what the asker may see. */
async function catalogueViewerOf(db: Db, question: { author_id: number; organisation_id: number; organisation_name: string }): Promise<CurrentUser> {
  const u = await db.selectFrom('users').select(['id', 'name', 'email', 'role']).where('id', '=', question.author_id).executeTakeFirstOrThrow();
  return { id: u.id, name: u.name, email: u.email, role: u.role, organisationId: question.organisation_id, organisationName: question.organisation_name };
}

/** The form values of a stored question. */
export async function questionFormValues(db: Db, viewer: Visitor, id: number) {
  const question = await questionFor(db, viewer, id);
  if (!can(viewer, 'post.editThis', question)) throw forbidden();
  const tags = (await q.tagsOf(db, [id])).get(id) ?? [];
  const linked = await q.linkedSolutionSlugs(db, id);
  return {
    question,
    values: {
      title: question.title, body: question.body, tags: tags.join(', '), field_of_action: question.field_of_action ?? '',
      visibility: question.visibility, solutions: linked.join('\n'),
    },
  };
}

// -------------------------------------------------------------------------------------------------
// The page of a question

export async function questionPage(db: Db, viewer: Visitor, id: number) {
  const question = await questionFor(db, viewer, id);
  const moderator = isQuestionModerator(viewer);
  const [answers, tags, linkedSlugs, matchedSlugs, helpful, follows] = await Promise.all([
    q.answersOf(db, id, question.accepted_answer_id),
    q.tagsOf(db, [id]).then((m) => m.get(id) ?? []),
    q.linkedSolutionSlugs(db, id),
    q.matchedSolutionSlugs(db, id),
    viewer ? q.helpfulMarksBy(db, id, viewer.id) : Promise.resolve(new Set<number>()),
    viewer ? q.followsOf(db, viewer.id) : Promise.resolve([]),
  ]);
  // The linked and the matched solutions are read together; each list keeps its own order.
  const shown = new Map((await solutionsWithRunners(db, viewer, [...new Set([...linkedSlugs, ...matchedSlugs])])).map((s) => [s.slug, s]));
  const [linked, matched] = [linkedSlugs, matchedSlugs].map((slugs) => slugs.flatMap((slug) => shown.get(slug) ?? []));
  // The asker learns which organisations were told of the question because they run a matching solution.
  const notifiedOrganisations = viewer && viewer.id === question.author_id ? await organisationsNotified(db, `question:${id}:match`) : null;
  return {
    question,
    notifiedOrganisations,
    tags,
    linked,
    matched,
    answers: answers.map((a) => ({
      ...a,
      helpful: Number(a.helpful),
      accepted: a.id === question.accepted_answer_id,
      // A hidden answer's text is for its author and the moderators only.
      showBody: !a.hidden || moderator || (viewer !== null && viewer.id === a.author_id),
      markedHelpful: helpful.has(a.id),
    })),
    follows: new Set(follows.map((f) => `${f.kind}:${f.value}`)),
  };
}

export type QuestionPageData = Awaited<ReturnType<typeof questionPage>>;

// -------------------------------------------------------------------------------------------------
// Answers

/** Posts an answer; a hidden question takes none. The asker is notified. */
export async function answerQuestion(deps: QuestionDeps, viewer: Visitor, questionId: number, body: string): Promise<{ id: number }> {
  if (!viewer || !can(viewer, 'question.answer')) throw forbidden();
  const { db } = deps;
  await questionFor(db, viewer, questionId);
  return db.transaction().execute(async (trx) => {
    const question = await q.lockQuestion(trx, questionId);
    if (!question) throw notFound();
    if (question.hidden) throw new FormError({ _: { key: 'questions.errors.questionHidden' } });
    const now = nowIso();
    const id = await q.insertAnswer(trx, {
      question_id: questionId, body, author_id: viewer.id, organisation_id: viewer.organisationId, hidden: 0, hidden_reason: null, created_at: now, updated_at: now,
    });
    await q.updateQuestion(trx, questionId, { last_activity_at: now });
    await reindexQuestion(trx, questionId);
    if (question.author_id !== viewer.id) {
      await notify(trx, {
        userIds: [question.author_id], kind: 'answer', messageKey: 'questions.notify.answer',
        params: { name: viewer.name, organisation: viewer.organisationName, title: question.title },
        url: `/fragen/${questionId}#antwort-${id}`, dedupeKey: `answer:${id}`,
      });
    }
    return { id };
  });
}

async function answerOf(db: Db | Tx, questionId: number, answerId: number) {
  const answer = await q.findAnswer(db, answerId);
  if (!answer || answer.question_id !== questionId) throw notFound();
  return answer;
}

/**
 * Accepts an answer: only the asker or a moderator, never on a hidden question or for a hidden answer.
 * The accepted answer shows first and the question counts as answered; its author is notified.
 */
export async function acceptAnswer(deps: QuestionDeps, viewer: Visitor, questionId: number, answerId: number): Promise<void> {
  if (!viewer) throw forbidden();
  const { db } = deps;
  await questionFor(db, viewer, questionId);
  await db.transaction().execute(async (trx) => {
    const question = await q.lockQuestion(trx, questionId);
    if (!question) throw notFound();
    const answer = await answerOf(trx, questionId, answerId);
    if (!can(viewer, 'answer.acceptOn', question)) throw new FormError({ _: { key: 'questions.errors.acceptNotYours' } });
    if (question.hidden) throw new FormError({ _: { key: 'questions.errors.questionHidden' } });
    if (answer.hidden) throw new FormError({ _: { key: 'questions.errors.answerHidden' } });
    if (question.accepted_answer_id === answerId) return;
    const now = nowIso();
    await q.updateQuestion(trx, questionId, { accepted_answer_id: answerId, last_activity_at: now });
    if (viewer.id !== question.author_id) {
      await recordAudit(trx, { actorId: viewer.id, action: 'answer.accepted', targetType: 'answer', targetId: answerId, details: { question: questionId } });
    }
    if (answer.author_id !== viewer.id) {
      await notify(trx, {
        userIds: [answer.author_id], kind: 'answer', messageKey: 'questions.notify.accepted',
        params: { title: question.title }, url: `/fragen/${questionId}#antwort-${answerId}`, dedupeKey: `answer:${answerId}:accepted`,
      });
    }
  });
}

/** Marks an answer helpful, once per person; one's own answer cannot be marked. */
export async function markHelpful(deps: QuestionDeps, viewer: Visitor, questionId: number, answerId: number): Promise<void> {
  if (!viewer || !can(viewer, 'answer.helpful')) throw forbidden();
  const { db } = deps;
  await questionFor(db, viewer, questionId);
  await db.transaction().execute(async (trx) => {
    const answer = await answerOf(trx, questionId, answerId);
    if (answer.hidden) throw new FormError({ _: { key: 'questions.errors.answerHidden' } });
    if (answer.author_id === viewer.id) throw new FormError({ _: { key: 'questions.errors.helpfulOwn' } });
    if (!(await q.insertHelpfulMark(trx, answerId, viewer.id, nowIso()))) throw new FormError({ _: { key: 'questions.errors.alreadyHelpful' } });
  });
}

export async function answerFormValues(db: Db, viewer: Visitor, questionId: number, answerId: number) {
  const question = await questionFor(db, viewer, questionId);
  const answer = await answerOf(db, questionId, answerId);
  if (!can(viewer, 'post.editThis', answer)) throw forbidden();
  return { question, answer, values: { body: answer.body } };
}

/** Saves an edit of an answer by its author or a moderator; a moderator's edit of someone else's answer is audited. */
export async function editAnswer(deps: QuestionDeps, viewer: Visitor, questionId: number, answerId: number, body: string): Promise<void> {
  const { db } = deps;
  await questionFor(db, viewer, questionId);
  await db.transaction().execute(async (trx) => {
    const answer = await q.lockAnswer(trx, answerId);
    if (!answer || answer.question_id !== questionId) throw notFound();
    if (!viewer || !can(viewer, 'post.editThis', answer)) throw forbidden();
    await q.updateAnswer(trx, answerId, { body, updated_at: nowIso() });
    await reindexQuestion(trx, questionId);
    if (viewer.id !== answer.author_id) {
      await recordAudit(trx, { actorId: viewer.id, action: 'post.edited', targetType: 'answer', targetId: answerId, details: { question: questionId } });
    }
  });
}

// -------------------------------------------------------------------------------------------------
// Following tags and fields of action

export type FollowKind = 'tag' | 'field';

function parseFollow(values: Record<string, string>): { kind: FollowKind; value: string } {
  const kind = values.kind === 'field' ? 'field' : values.kind === 'tag' ? 'tag' : null;
  if (kind === 'field') {
    const value = values.value ?? values.field ?? '';
    if (!(FIELDS_OF_ACTION as readonly string[]).includes(value)) throw new FormError({ field: { key: 'questions.errors.chooseField' } });
    return { kind, value };
  }
  if (kind === 'tag') {
    const value = normaliseTag(values.value ?? values.tag ?? '');
    if (!value) throw new FormError({ tag: { key: 'questions.errors.tagMissing' } });
    if (value.length > TAG_LENGTH_MAX) throw new FormError({ tag: { key: 'questions.errors.tagTooLong', vars: { tag: value, max: TAG_LENGTH_MAX } } });
    return { kind, value };
  }
  throw new FormError({ _: { key: 'questions.errors.followWhat' } });
}

export async function follow(db: Db, viewer: Visitor, values: Record<string, string>) {
  if (!viewer || !can(viewer, 'questions.follow')) throw forbidden();
  const f = parseFollow(values);
  await q.insertFollow(db, viewer.id, f.kind, f.value, nowIso());
  return f;
}

export async function unfollow(db: Db, viewer: Visitor, values: Record<string, string>) {
  if (!viewer || !can(viewer, 'questions.follow')) throw forbidden();
  const f = parseFollow(values);
  await q.deleteFollow(db, viewer.id, f.kind, f.value);
  return f;
}

export async function followsOf(db: Db, viewer: Visitor) {
  if (!viewer) throw forbidden();
  return q.followsOf(db, viewer.id);
}

// -------------------------------------------------------------------------------------------------
// The list

export const PAGE_SIZE = 20;

export interface ListParams {
  q: string;
  filters: q.QuestionFilters;
  sort: q.QuestionSort;
  page: number;
}

export function parseListParams(query: Record<string, unknown>): ListParams {
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).map(String).filter(Boolean);
  const qText = typeof query.q === 'string' ? query.q.slice(0, 200) : '';
  const status = query.status === 'open' || query.status === 'answered' ? query.status : '';
  const field = typeof query.field === 'string' && (FIELDS_OF_ACTION as readonly string[]).includes(query.field) ? query.field : '';
  const tags = [...new Set(list(query.tag).map(normaliseTag).filter((t) => t && t.length <= TAG_LENGTH_MAX))].slice(0, TAGS_MAX);
  const sortRaw = String(query.sort ?? '');
  const sort: q.QuestionSort = sortRaw === 'newest' || sortRaw === 'activity' ? sortRaw : qText.trim() ? 'relevance' : 'newest';
  const page = Math.max(1, Math.min(10_000, Number.parseInt(String(query.seite ?? '1'), 10) || 1));
  return { q: qText, filters: { status, tags, field }, sort, page };
}

export async function searchQuestions(db: Db, viewer: Visitor, params: ListParams) {
  const { hits } = await scoredQuestions(db, params.q);
  const noMatch = params.q.trim() !== '' && !hits;
  const sort = params.sort === 'relevance' && !hits ? 'newest' : params.sort;
  const result = noMatch ? { total: 0, items: [] }
    : await q.findQuestions(db, viewer, { hits, filters: params.filters, sort, limit: PAGE_SIZE, offset: (params.page - 1) * PAGE_SIZE });
  const [tags, allTags] = await Promise.all([q.tagsOf(db, result.items.map((i) => i.id)), q.tagCounts(db, viewer)]);
  return {
    total: result.total,
    items: result.items.map((i) => ({ ...i, tags: tags.get(i.id) ?? [], excerpt: excerpt(i.body) })),
    tags: allTags,
  };
}

export type QuestionList = Awaited<ReturnType<typeof searchQuestions>>;

/** The newest public questions for the Atom feed. */
export const newestPublicQuestions = (db: Db, limit = 50) => q.newestPublicQuestions(db, limit);

/** The beginning of a Markdown text as plain text, cut at a word. */
export function excerpt(markdown: string, length = 240): string {
  const plain = markdown.replace(/<[^>]*>/g, ' ').replace(/[#*_>`\[\]]/g, '').replace(/\s+/g, ' ').trim();
  return plain.length > length ? `${plain.slice(0, length).replace(/\s+\S*$/, '')} …` : plain;
}
