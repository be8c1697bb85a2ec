import { z } from 'zod';
import { nowIso } from '../../platform/clock.js';
import type { Db, Tx } from '../../platform/db/database.js';
import type { PostType } from '../../platform/db/schema.js';
import { recordAudit } from '../../platform/audit.js';
import { FormError, forbidden, isUniqueViolation, notFound } from '../../platform/errors.js';
import { parseForm, text } from '../../platform/forms.js';
import { can, type Visitor } from '../../platform/policy.js';
import { notify } from '../notifications/service.js';
import * as q from './queries.js';
import { excerpt, reindexQuestion, type QuestionDeps } from './service.js';

/**
 * Moderation: members report a post with a reason; once enough different members have reported it
 * (REPORTS_TO_HIDE, 3 unless configured) it is hidden until a moderator decides. Moderators hide or restore any
 * post; the author is told the outcome and every step is in the audit log.
 */

export const REASON_MAX = 1000;

/** The post types as they appear in addresses. */
export const POST_TYPES: Record<string, PostType> = { frage: 'question', antwort: 'answer' };

const reportSchema = z.object({ reason: text(REASON_MAX) });

interface LockedPost {
  type: PostType;
  id: number;
  questionId: number;
  questionTitle: string;
  authorId: number;
  hidden: number;
  hiddenReason: string | null;
}

/** Reads and (on PostgreSQL) locks a post, so reports and decisions on it queue up and the count stays right. */
async function lockPost(trx: Tx, type: PostType, id: number): Promise<LockedPost> {
  if (type === 'question') {
    const question = await q.lockQuestion(trx, id);
    if (!question) throw notFound();
    return { type, id, questionId: id, questionTitle: question.title, authorId: question.author_id, hidden: question.hidden, hiddenReason: question.hidden_reason };
  }
  const answer = await q.lockAnswer(trx, id);
  if (!answer) throw notFound();
  const question = await trx.selectFrom('questions').select(['title']).where('id', '=', answer.question_id).executeTakeFirstOrThrow();
  return { type, id, questionId: answer.question_id, questionTitle: question.title, authorId: answer.author_id, hidden: answer.hidden, hiddenReason: answer.hidden_reason };
}

async function setHidden(trx: Tx, post: LockedPost, hidden: 0 | 1, reason: 'reports' | 'moderator' | null) {
  if (post.type === 'question') await q.updateQuestion(trx, post.id, { hidden, hidden_reason: reason });
  else {
    await q.updateAnswer(trx, post.id, { hidden, hidden_reason: reason });
    // A hidden answer's words leave the question's index; a restored one's come back.
    await reindexQuestion(trx, post.questionId);
  }
}

const postUrl = (post: LockedPost) => (post.type === 'question' ? `/fragen/${post.id}` : `/fragen/${post.questionId}#antwort-${post.id}`);

/** Tells the author what became of their post; the dedupe key names the decision, so a retried request tells once. */
async function tellAuthor(trx: Tx, post: LockedPost, outcome: 'hiddenByReports' | 'hidden' | 'restored', at: string) {
  await notify(trx, {
    userIds: [post.authorId], kind: 'moderation', messageKey: `questions.notify.${outcome}`,
    params: { title: post.questionTitle }, url: postUrl(post), dedupeKey: `moderation:${post.type}:${post.id}:${outcome}:${at}`,
  });
}

export function parseReport(values: Record<string, string>, labels: Record<string, string>): string {
  return parseForm(reportSchema, { reason: (values.reason ?? '').replace(/\r\n?/g, '\n') }, labels).reason;
}

/**
 * Reports a post. Each member reports a post once and never their own; when the open reports reach the
 * threshold the post is hidden until a moderator decides, and its author is told.
 */
export async function reportPost(deps: QuestionDeps, viewer: Visitor, type: PostType, id: number, reason: string): Promise<{ hidden: boolean }> {
  if (!viewer || !can(viewer, 'post.report')) throw forbidden();
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const post = await lockPost(trx, type, id);
      if (post.authorId === viewer.id) throw new FormError({ _: { key: 'questions.errors.reportOwn' } });
      if (await q.hasReported(trx, type, id, viewer.id)) throw new FormError({ _: { key: 'questions.errors.alreadyReported' } });
      if (post.hidden) throw new FormError({ _: { key: 'questions.errors.alreadyHidden' } });
      const now = nowIso();
      await q.insertReport(trx, { post_type: type, post_id: id, reporter_id: viewer.id, reason, created_at: now });
      const open = await q.openReportCount(trx, type, id);
      if (open < deps.config.reportsToHide) return { hidden: false };
      await setHidden(trx, post, 1, 'reports');
      await recordAudit(trx, { actorId: null, action: 'post.hidden_by_reports', targetType: type, targetId: id, details: { reports: open } });
      await tellAuthor(trx, post, 'hiddenByReports', now);
      return { hidden: true };
    });
  } catch (err) {
    // Two requests of the same person at once: the database keeps one report, the other is told it exists.
    if (isUniqueViolation(err)) throw new FormError({ _: { key: 'questions.errors.alreadyReported' } });
    throw err;
  }
}

/** A moderator hides a post (and upholds its open reports); the author is told. */
export async function hidePost(deps: QuestionDeps, viewer: Visitor, type: PostType, id: number): Promise<void> {
  if (!viewer || !can(viewer, 'questions.moderate')) throw forbidden();
  await deps.db.transaction().execute(async (trx) => {
    const post = await lockPost(trx, type, id);
    const now = nowIso();
    await q.decideReports(trx, type, id, 'upheld', viewer.id, now);
    if (post.hidden && post.hiddenReason === 'moderator') return;
    await setHidden(trx, post, 1, 'moderator');
    await recordAudit(trx, { actorId: viewer.id, action: 'post.hidden', targetType: type, targetId: id, details: { title: post.questionTitle } });
    await tellAuthor(trx, post, 'hidden', now);
  });
}

/** A moderator shows a post again (and dismisses its open reports); the author of a hidden post is told. */
export async function restorePost(deps: QuestionDeps, viewer: Visitor, type: PostType, id: number): Promise<void> {
  if (!viewer || !can(viewer, 'questions.moderate')) throw forbidden();
  await deps.db.transaction().execute(async (trx) => {
    const post = await lockPost(trx, type, id);
    const now = nowIso();
    await q.decideReports(trx, type, id, 'dismissed', viewer.id, now);
    await recordAudit(trx, { actorId: viewer.id, action: 'post.restored', targetType: type, targetId: id, details: { title: post.questionTitle } });
    if (!post.hidden) return;
    await setHidden(trx, post, 0, null);
    await tellAuthor(trx, post, 'restored', now);
  });
}

/** What a report form shows about the post: its question and the beginning of its text. */
export async function reportTarget(db: Db, viewer: Visitor, type: PostType, id: number, questionId: number) {
  if (type === 'question') {
    if (id !== questionId) throw notFound();
    const [question] = await q.questionsByIds(db, [id]);
    if (!question || (question.hidden && !can(viewer, 'question.view', question))) throw notFound();
    return { questionId: id, questionTitle: question.title, excerpt: excerpt(question.body, 300), authorName: question.author_name };
  }
  const [answer] = await q.answersByIds(db, [id]);
  if (!answer || answer.question_id !== questionId) throw notFound();
  const [question] = await q.questionsByIds(db, [questionId]);
  if (!question || (question.hidden && !can(viewer, 'question.view', question))) throw notFound();
  return { questionId: answer.question_id, questionTitle: answer.question_title, excerpt: answer.hidden ? '' : excerpt(answer.body, 300), authorName: answer.author_name };
}

/** The moderators' queue: every post with open reports or hidden after reports, with the reasons given. */
export async function moderationQueue(db: Db, viewer: Visitor) {
  if (!can(viewer, 'questions.moderate')) throw forbidden();
  const { reports, hiddenQuestionIds, hiddenAnswerIds } = await q.moderationQueue(db);
  const questionIds = [...new Set([...reports.filter((r) => r.post_type === 'question').map((r) => r.post_id), ...hiddenQuestionIds])];
  const answerIds = [...new Set([...reports.filter((r) => r.post_type === 'answer').map((r) => r.post_id), ...hiddenAnswerIds])];
  const [questions, answers] = await Promise.all([q.questionsByIds(db, questionIds), q.answersByIds(db, answerIds)]);
  const items = [
    ...questions.map((p) => ({ type: 'question' as const, id: p.id, questionId: p.id, questionTitle: p.title, body: p.body, authorName: p.author_name, hidden: p.hidden, hiddenReason: p.hidden_reason })),
    ...answers.map((p) => ({ type: 'answer' as const, id: p.id, questionId: p.question_id, questionTitle: p.question_title, body: p.body, authorName: p.author_name, hidden: p.hidden, hiddenReason: p.hidden_reason })),
  ].map((item) => {
    const own = reports.filter((r) => r.post_type === item.type && r.post_id === item.id);
    return { ...item, excerpt: excerpt(item.body, 300), reports: own, firstReportId: own[0]?.id ?? Number.MAX_SAFE_INTEGER };
  });
  // Hidden posts first (they wait for a decision), then by their oldest report.
  return items.sort((a, b) => b.hidden - a.hidden || a.firstReportId - b.firstReportId || a.id - b.id);
}

export type ModerationItem = Awaited<ReturnType<typeof moderationQueue>>[number];

export const openReportTotal = (db: Db) => q.openReportTotal(db);
