import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { idParam, notFound } from '../../platform/errors.js';
import { ATOM_CONTENT_TYPE, atomFeed, tagUri } from '../../platform/feeds/atom.js';
import { handleForm } from '../../platform/http/form-route.js';
import type { T } from '../../platform/i18n/index.js';
import { emptyForm, type FormState } from '../../platform/views/forms.js';
import { resultsTitle } from '../../platform/views/page-title.js';
import * as moderation from './moderation.js';
import './policy.js';
import * as questions from './service.js';
import * as v from './views.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;
type AnswerRequest = FastifyRequest<{ Params: { id: string; answerId: string } }>;

/** The day the questions feed began; its id never changes. */
const FEED_SINCE = '2026-11-27T00:00:00.000Z';

function labels(t: T): Record<string, string> {
  return Object.fromEntries(['title', 'body', 'tags', 'field_of_action', 'visibility', 'solutions', 'answer', 'reason'].map((f) => [f, t(`questions.fields.${f}`)]));
}
const answerLabels = (t: T) => ({ body: t('questions.fields.answer') });


function postType(value: string) {
  const type = moderation.POST_TYPES[value];
  if (!type) throw notFound();
  return type;
}

export async function questionRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  const deps: questions.QuestionDeps = { db, config };
  /** Where to go back to after following: a page of the questions, never another site. */
  const backTo = (value: string | undefined): string => {
    const path = app.localTarget(value);
    return path && /^\/(?:fragen|beschaffung)(?:[/?#]|$)/.test(path) ? path : '/fragen/themen';
  };

  // The list and the feed ------------------------------------------------------------------------------
  app.get('/fragen', { config: { action: 'questions.view' } }, async (request, reply) => {
    const params = questions.parseListParams(request.query as Record<string, unknown>);
    const [result, openReports] = await Promise.all([
      questions.searchQuestions(db, request.user, params),
      reply.view().can('questions.moderate') ? moderation.openReportTotal(db) : Promise.resolve(null),
    ]);
    const t = request.t;
    const found = params.q ? t('questions.resultsFor', { count: result.total, q: params.q }) : t('questions.results', { count: result.total });
    const title = resultsTitle(t, t('questions.title'), found, params.page, Math.max(1, Math.ceil(result.total / questions.PAGE_SIZE)));
    return reply.page(title, <v.QuestionListPage ctx={reply.view()} params={params} result={result} openReports={openReports} />,
      { head: v.feedLink(reply.view()) });
  });

  app.get(v.FEED_PATH, { config: { action: 'questions.view' } }, async (request, reply) => {
    const rows = await questions.newestPublicQuestions(db);
    const base = config.baseUrl;
    const xml = atomFeed({
      id: tagUri(base, FEED_SINCE, 'questions'),
      title: request.t('questions.feedTitle', { community: config.communityName }),
      selfUrl: `${base}${v.FEED_PATH}`,
      alternateUrl: `${base}/fragen`,
      updated: rows.reduce((latest, r) => (r.updated_at > latest ? r.updated_at : latest), FEED_SINCE),
      author: config.communityName,
      lang: request.lang,
      entries: rows.map((r) => ({
        id: tagUri(base, r.created_at, `question:${r.id}`),
        title: r.title,
        url: `${base}/fragen/${r.id}`,
        updated: r.updated_at,
        published: r.created_at,
        summary: questions.excerpt(r.body, 500),
        author: r.organisation_name,
      })),
    });
    return reply.type(ATOM_CONTENT_TYPE).header('cache-control', 'no-cache').send(xml);
  });

  // Asking --------------------------------------------------------------------------------------------------
  const showQuestionForm = (reply: FastifyReply, form: FormState, action: string, title: string, submit: string) =>
    reply.page(title, <v.QuestionForm ctx={reply.view()} form={form} action={action} title={title} submit={submit} />, { status: reply.statusCode });

  app.get('/fragen/neu', { config: { action: 'question.ask' } }, (request, reply) =>
    showQuestionForm(reply, emptyForm({ visibility: 'members' }), '/fragen/neu', request.t('questions.askTitle'), request.t('questions.askSubmit')));
  app.post('/fragen/neu', { config: { action: 'question.ask' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const input = questions.parseQuestion(values, labels(request.t));
      const { id } = await questions.askQuestion(deps, request.user, input);
      const flash = request.t('questions.asked') + (questions.containsActiveHtml(input.body) ? ` ${request.t('questions.activeHtml')}` : '');
      return reply.seeOther(`/fragen/${id}`, flash);
    }, (form) => showQuestionForm(reply, form, '/fragen/neu', request.t('questions.askTitle'), request.t('questions.askSubmit'))));

  // Following ---------------------------------------------------------------------------------------------
  const showFollows = async (request: FastifyRequest, reply: FastifyReply, form: FormState) => {
    const follows = await questions.followsOf(db, request.user);
    return reply.page(request.t('questions.followsTitle'), <v.FollowsPage ctx={reply.view()} follows={follows} form={form} />, { status: reply.statusCode });
  };
  const topicName = (request: FastifyRequest, f: { kind: string; value: string }) =>
    (f.kind === 'field' ? request.t(`catalogue.values.field_of_action.${f.value}`) : f.value);
  app.get('/fragen/themen', { config: { action: 'questions.follow' } }, (request, reply) => showFollows(request, reply, emptyForm()));
  app.post('/fragen/themen', { config: { action: 'questions.follow' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const f = await questions.follow(db, request.user, values);
      return reply.seeOther(backTo(values.zurueck), request.t('questions.followed', { topic: topicName(request, f) }));
    }, (form) => showFollows(request, reply, form)));
  app.post('/fragen/themen/entfernen', { config: { action: 'questions.follow' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const f = await questions.unfollow(db, request.user, values);
      return reply.seeOther(backTo(values.zurueck), request.t('questions.unfollowed', { topic: topicName(request, f) }));
    }, (form) => showFollows(request, reply, form)));

  // Moderation ---------------------------------------------------------------------------------------------
  app.get('/fragen/moderation', { config: { action: 'questions.moderate' } }, async (request, reply) => {
    const items = await moderation.moderationQueue(db, request.user);
    return reply.page(request.t('questions.moderationTitle'), <v.ModerationPage ctx={reply.view()} items={items} />);
  });
  app.post<{ Params: { type: string; id: string } }>('/fragen/moderation/:type/:id/ausblenden', { config: { action: 'questions.moderate' } }, async (request, reply) => {
    await moderation.hidePost(deps, request.user, postType(request.params.type), idParam(request.params.id));
    return reply.seeOther('/fragen/moderation', request.t('questions.hiddenFlash'));
  });
  app.post<{ Params: { type: string; id: string } }>('/fragen/moderation/:type/:id/freigeben', { config: { action: 'questions.moderate' } }, async (request, reply) => {
    await moderation.restorePost(deps, request.user, postType(request.params.type), idParam(request.params.id));
    return reply.seeOther('/fragen/moderation', request.t('questions.restoredFlash'));
  });

  // The page of a question -----------------------------------------------------------------------------------
  const showQuestion = async (request: IdRequest, reply: FastifyReply, form?: FormState) => {
    const page = await questions.questionPage(db, request.user, idParam(request.params.id));
    return reply.page(page.question.title, <v.QuestionPage ctx={reply.view()} page={page} form={form} />, { status: reply.statusCode });
  };
  app.get<{ Params: { id: string } }>('/fragen/:id', { config: { action: 'question.view' } }, (request, reply) => showQuestion(request, reply));

  const showEdit = async (request: IdRequest, reply: FastifyReply, form?: FormState) => {
    const { question, values } = await questions.questionFormValues(db, request.user, idParam(request.params.id));
    const title = request.t('questions.editTitle', { title: question.title });
    return showQuestionForm(reply, form ?? emptyForm(values), `/fragen/${question.id}/bearbeiten`, title, request.t('common.save'));
  };
  app.get<{ Params: { id: string } }>('/fragen/:id/bearbeiten', { config: { action: 'post.edit' } }, (request, reply) => showEdit(request, reply));
  app.post<{ Params: { id: string } }>('/fragen/:id/bearbeiten', { config: { action: 'post.edit' } }, async (request, reply) => {
    // Before validating: someone who may not edit gets 403, not the form with error messages.
    await questions.questionFormValues(db, request.user, idParam(request.params.id));
    return handleForm(request, reply, async (values) => {
      const input = questions.parseQuestion(values, labels(request.t));
      await questions.editQuestion(deps, request.user, idParam(request.params.id), input);
      return reply.seeOther(`/fragen/${request.params.id}`, request.t('questions.saved'));
    }, (form) => showEdit(request, reply, form));
  });

  // Answers --------------------------------------------------------------------------------------------------
  app.post<{ Params: { id: string } }>('/fragen/:id/antworten', { config: { action: 'question.answer' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const body = questions.parseAnswer(values, answerLabels(request.t));
      const { id } = await questions.answerQuestion(deps, request.user, idParam(request.params.id), body);
      const flash = request.t('questions.answerSaved') + (questions.containsActiveHtml(body) ? ` ${request.t('questions.activeHtml')}` : '');
      return reply.seeOther(`/fragen/${request.params.id}#antwort-${id}`, flash);
    }, (form) => showQuestion(request, reply, form)));

  app.post<{ Params: { id: string; answerId: string } }>('/fragen/:id/antworten/:answerId/annehmen', { config: { action: 'answer.accept' } }, (request, reply) =>
    handleForm(request, reply, async () => {
      await questions.acceptAnswer(deps, request.user, idParam(request.params.id), idParam(request.params.answerId));
      return reply.seeOther(`/fragen/${request.params.id}#antwort-${request.params.answerId}`, request.t('questions.acceptedFlash'));
    }, (form) => showQuestion(request, reply, { ...form, values: {} })));

  app.post<{ Params: { id: string; answerId: string } }>('/fragen/:id/antworten/:answerId/hilfreich', { config: { action: 'answer.helpful' } }, (request, reply) =>
    handleForm(request, reply, async () => {
      await questions.markHelpful(deps, request.user, idParam(request.params.id), idParam(request.params.answerId));
      return reply.seeOther(`/fragen/${request.params.id}#antwort-${request.params.answerId}`, request.t('questions.helpfulSaved'));
    }, (form) => showQuestion(request, reply, { ...form, values: {} })));

  const showAnswerEdit = async (request: AnswerRequest, reply: FastifyReply, form?: FormState) => {
    const { question, answer, values } = await questions.answerFormValues(db, request.user, idParam(request.params.id), idParam(request.params.answerId));
    return reply.page(request.t('questions.editAnswerTitle', { title: question.title }),
      <v.AnswerEditPage ctx={reply.view()} form={form ?? emptyForm(values)} action={`/fragen/${question.id}/antworten/${answer.id}/bearbeiten`} questionTitle={question.title} questionId={question.id} />,
      { status: reply.statusCode });
  };
  app.get<{ Params: { id: string; answerId: string } }>('/fragen/:id/antworten/:answerId/bearbeiten', { config: { action: 'post.edit' } }, (request, reply) => showAnswerEdit(request, reply));
  app.post<{ Params: { id: string; answerId: string } }>('/fragen/:id/antworten/:answerId/bearbeiten', { config: { action: 'post.edit' } }, async (request, reply) => {
    await questions.answerFormValues(db, request.user, idParam(request.params.id), idParam(request.params.answerId));
    return handleForm(request, reply, async (values) => {
      const body = questions.parseAnswer(values, answerLabels(request.t));
      await questions.editAnswer(deps, request.user, idParam(request.params.id), idParam(request.params.answerId), body);
      return reply.seeOther(`/fragen/${request.params.id}#antwort-${request.params.answerId}`, request.t('questions.saved'));
    }, (form) => showAnswerEdit(request, reply, form));
  });

  // Reports -----------------------------------------------------------------------------------------------------
  const showReport = async (request: FastifyRequest, reply: FastifyReply, type: 'question' | 'answer', id: number, questionId: number, form: FormState) => {
    const target = await moderation.reportTarget(db, request.user, type, id, questionId);
    const action = type === 'question' ? `/fragen/${questionId}/melden` : `/fragen/${questionId}/antworten/${id}/melden`;
    return reply.page(request.t('questions.reportTitle'), <v.ReportPage ctx={reply.view()} form={form} action={action} target={target} />, { status: reply.statusCode });
  };
  const report = (request: FastifyRequest, reply: FastifyReply, type: 'question' | 'answer', id: number, questionId: number) =>
    handleForm(request, reply, async (values) => {
      await moderation.reportTarget(db, request.user, type, id, questionId);
      const reason = moderation.parseReport(values, labels(request.t));
      const { hidden } = await moderation.reportPost(deps, request.user, type, id, reason);
      return reply.seeOther(`/fragen/${questionId}`, request.t(hidden ? 'questions.reportedHidden' : 'questions.reported'));
    }, (form) => showReport(request, reply, type, id, questionId, form));

  app.get<{ Params: { id: string } }>('/fragen/:id/melden', { config: { action: 'post.report' } }, (request, reply) =>
    showReport(request, reply, 'question', idParam(request.params.id), idParam(request.params.id), emptyForm()));
  app.post<{ Params: { id: string } }>('/fragen/:id/melden', { config: { action: 'post.report' } }, (request, reply) =>
    report(request, reply, 'question', idParam(request.params.id), idParam(request.params.id)));
  app.get<{ Params: { id: string; answerId: string } }>('/fragen/:id/antworten/:answerId/melden', { config: { action: 'post.report' } }, (request, reply) =>
    showReport(request, reply, 'answer', idParam(request.params.answerId), idParam(request.params.id), emptyForm()));
  app.post<{ Params: { id: string; answerId: string } }>('/fragen/:id/antworten/:answerId/melden', { config: { action: 'post.report' } }, (request, reply) =>
    report(request, reply, 'answer', idParam(request.params.answerId), idParam(request.params.id)));
}
