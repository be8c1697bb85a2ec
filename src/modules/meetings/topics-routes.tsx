import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.js';
import { idParam } from '../../platform/errors.js';
import { handleConfirmedForm } from '../../platform/http/confirm-route.js';
import { handleForm } from '../../platform/http/form-route.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import { can } from '../../platform/policy.js';
import { emptyForm, type FormState } from '../../platform/views/forms.js';
import { addMeetingSection } from './sections.js';
import * as topics from './topics-service.js';
import * as v from './topics-views.js';

type SlugRequest = FastifyRequest<{ Params: { slug: string } }>;
type TopicRequest = FastifyRequest<{ Params: { slug: string; id: string } }>;

// The meeting page shows how many topics there are, the member's votes left and the published agenda.
addMeetingSection(async ({ db, meeting, viewer, t }) => {
  const summary = await topics.topicSummary(db, viewer, meeting.id);
  if (!summary) return null;
  const organiser = can(viewer, 'agenda.edit');
  const agenda = await topics.agendaFor(db, viewer, meeting);
  const items = agenda.published || organiser ? agenda.items : null;
  return v.MeetingTopicsSection({
    t, m: meeting, viewer: viewer !== null, organiser,
    summary: { count: summary.count, left: summary.left, open: topics.votingOpen(meeting) }, items,
  });
});

/** Topic list, proposals and votes (/treffen/:slug/themen) and the agenda (/treffen/:slug/programm). */
export async function topicRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const topicsPath = (slug: string) => `/treffen/${slug}/themen`;
  const agendaPath = (slug: string) => `/treffen/${slug}/programm`;

  const showTopics = async (request: SlugRequest, reply: FastifyReply, forms: v.TopicForms = {}) => {
    const m = await topics.meetingFor(db, request.user, request.params.slug);
    const board = await topics.topicBoard(db, request.user, m);
    return reply.page(request.t('topics.title', { meeting: m.title }), <v.TopicsPage ctx={reply.view()} m={m} board={board} forms={forms} />, { status: reply.statusCode });
  };

  /** Runs a one-button action on the topic page; a refusal shows the page again with the reason at the top. */
  const topicAction = (request: SlugRequest, reply: FastifyReply, action: (m: topics.TopicMeeting) => Promise<FastifyReply>) =>
    handleForm(request, reply, async () => action(await topics.meetingFor(db, request.user, request.params.slug)),
      (form) => showTopics(request, reply, { action: form }));

  app.get<{ Params: { slug: string } }>('/treffen/:slug/themen', { config: { action: 'topics.view' } }, (request, reply) => showTopics(request, reply));

  app.post<{ Params: { slug: string } }>('/treffen/:slug/themen', { config: { action: 'topic.propose' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const m = await topics.meetingFor(db, request.user, request.params.slug);
      const topic = await topics.proposeTopic(db, request.user, m, values, v.topicLabels(request.t));
      return reply.seeOther(`${topicsPath(m.slug)}#thema-${topic.id}`, request.t('topics.proposed', { title: topic.title }));
    }, (form) => showTopics(request, reply, { propose: form })));

  app.post<{ Params: { slug: string; id: string } }>('/treffen/:slug/themen/:id/stimme', { config: { action: 'topic.vote' } }, (request: TopicRequest, reply) =>
    topicAction(request, reply, async (m) => {
      const vote = await topics.castTopicVote(db, request.user, m, idParam(request.params.id));
      const left = vote.left > 0 ? request.t('topics.votesLeft', { count: vote.left, budget: m.vote_budget }) : request.t('topics.noVotesLeft', { budget: m.vote_budget });
      return reply.seeOther(`${topicsPath(m.slug)}#thema-${request.params.id}`, `${request.t('topics.voted', { title: vote.title })} ${left}`);
    }));

  app.post<{ Params: { slug: string; id: string } }>('/treffen/:slug/themen/:id/stimme-zuruecknehmen', { config: { action: 'topic.vote' } }, (request: TopicRequest, reply) =>
    topicAction(request, reply, async (m) => {
      const vote = await topics.withdrawTopicVote(db, request.user, m, idParam(request.params.id));
      const left = request.t('topics.votesLeft', { count: vote.left, budget: m.vote_budget });
      return reply.seeOther(`${topicsPath(m.slug)}#thema-${request.params.id}`, `${request.t('topics.unvoted', { title: vote.title })} ${left}`);
    }));

  app.post<{ Params: { slug: string; id: string } }>('/treffen/:slug/themen/:id/entfernen', { config: { action: 'topics.manage' } }, (request: TopicRequest, reply) =>
    handleConfirmedForm(request, reply, topicsPath(request.params.slug), async (_values, confirmed) => {
      const m = await topics.meetingFor(db, request.user, request.params.slug);
      const title = await topics.removeTopic(db, request.user, m, idParam(request.params.id), confirmed);
      return reply.seeOther(topicsPath(m.slug), request.t('topics.removed', { title }));
    }, (form) => showTopics(request, reply, { action: form })));

  app.post<{ Params: { slug: string } }>('/treffen/:slug/themen/oeffnen', { config: { action: 'topics.manage' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const m = await topics.meetingFor(db, request.user, request.params.slug);
      const closesAt = await topics.openTopics(db, request.user, m, values, v.topicLabels(request.t));
      return reply.seeOther(topicsPath(m.slug), closesAt
        ? request.t('communityNotices.voteDeadline.opened', { date: formatDateTime(closesAt, request.lang) })
        : request.t('topics.opened'));
    }, (form) => showTopics(request, reply, { open: form })));

  app.post<{ Params: { slug: string } }>('/treffen/:slug/themen/schliessen', { config: { action: 'topics.manage' } }, (request, reply) =>
    topicAction(request, reply, async (m) => {
      await topics.closeTopics(db, request.user, m);
      return reply.seeOther(topicsPath(m.slug), request.t('topics.closed'));
    }));

  app.post<{ Params: { slug: string } }>('/treffen/:slug/themen/stimmen', { config: { action: 'topics.manage' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const m = await topics.meetingFor(db, request.user, request.params.slug);
      const budget = await topics.setVoteBudget(db, request.user, m, values, v.topicLabels(request.t));
      return reply.seeOther(topicsPath(m.slug), request.t('topics.budgetSaved', { count: budget }));
    }, (form) => showTopics(request, reply, { budget: form })));

  app.post<{ Params: { slug: string } }>('/treffen/:slug/themen/uebertragen', { config: { action: 'topics.manage' } }, (request, reply) =>
    topicAction(request, reply, async (m) => {
      const { count, next } = await topics.carryOverTopics(db, request.user, m);
      return reply.seeOther(topicsPath(next.slug), request.t('topics.carried', { count, meeting: next.title }));
    }));

  // Agenda ---------------------------------------------------------------------------------------------------

  const showAgenda = async (request: SlugRequest, reply: FastifyReply, forms: v.AgendaForms = {}) => {
    const m = await topics.meetingFor(db, request.user, request.params.slug);
    const agenda = await topics.agendaFor(db, request.user, m);
    const ranking = agenda.editable ? (await topics.topicBoard(db, request.user, m)).topics : [];
    return reply.page(request.t('agenda.title', { meeting: m.title }), <v.AgendaPage ctx={reply.view()} m={m} agenda={agenda} ranking={ranking} forms={forms} />, { status: reply.statusCode });
  };

  const agendaAction = (request: SlugRequest, reply: FastifyReply, action: (m: topics.TopicMeeting) => Promise<FastifyReply>) =>
    handleForm(request, reply, async () => action(await topics.meetingFor(db, request.user, request.params.slug)),
      (form) => showAgenda(request, reply, { action: form }));

  app.get<{ Params: { slug: string } }>('/treffen/:slug/programm', { config: { action: 'agenda.view' } }, (request, reply) => showAgenda(request, reply));

  app.post<{ Params: { slug: string } }>('/treffen/:slug/programm', { config: { action: 'agenda.edit' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const m = await topics.meetingFor(db, request.user, request.params.slug);
      const item = await topics.addAgendaItem(db, request.user, m, values, v.agendaLabels(request.t));
      return reply.seeOther(agendaPath(m.slug), request.t('agenda.added', { title: item.title }));
    }, (form) => showAgenda(request, reply, { add: form })));

  app.post<{ Params: { slug: string; id: string } }>('/treffen/:slug/programm/thema/:id', { config: { action: 'agenda.edit' } }, (request: TopicRequest, reply) =>
    agendaAction(request, reply, async (m) => {
      const taken = await topics.takeTopicOntoAgenda(db, request.user, m, idParam(request.params.id));
      return reply.seeOther(agendaPath(m.slug), request.t('agenda.taken', taken));
    }));

  app.post<{ Params: { slug: string } }>('/treffen/:slug/programm/veroeffentlichen', { config: { action: 'agenda.edit' } }, (request, reply) =>
    handleConfirmedForm(request, reply, agendaPath(request.params.slug), async (_values, confirmed) => {
      const m = await topics.meetingFor(db, request.user, request.params.slug);
      await topics.publishAgenda(db, request.user, m, confirmed);
      return reply.seeOther(agendaPath(m.slug), request.t('agenda.published'));
    }, (form) => showAgenda(request, reply, { action: form })));

  const showItem = (request: TopicRequest, reply: FastifyReply, m: topics.TopicMeeting, form: FormState) =>
    reply.page(request.t('agenda.editTitle'), <v.AgendaItemForm ctx={reply.view()} m={m} itemId={idParam(request.params.id)} form={form} />, { status: reply.statusCode });

  app.get<{ Params: { slug: string; id: string } }>('/treffen/:slug/programm/:id/bearbeiten', { config: { action: 'agenda.edit' } }, async (request, reply) => {
    const m = await topics.meetingFor(db, request.user, request.params.slug);
    const item = await topics.agendaItemFor(db, request.user, m, idParam(request.params.id));
    return showItem(request, reply, m, emptyForm({ time: topics.localTime(item.starts_at), title: item.title, speaker: item.speaker }));
  });

  app.post<{ Params: { slug: string; id: string } }>('/treffen/:slug/programm/:id/bearbeiten', { config: { action: 'agenda.edit' } }, async (request, reply) => {
    const m = await topics.meetingFor(db, request.user, request.params.slug);
    await topics.agendaItemFor(db, request.user, m, idParam(request.params.id));
    return handleForm(request, reply, async (values) => {
      await topics.updateAgendaItem(db, request.user, m, idParam(request.params.id), values, v.agendaLabels(request.t));
      return reply.seeOther(agendaPath(m.slug), request.t('agenda.saved'));
    }, (form) => showItem(request, reply, m, form));
  });

  app.post<{ Params: { slug: string; id: string } }>('/treffen/:slug/programm/:id/entfernen', { config: { action: 'agenda.edit' } }, (request: TopicRequest, reply) =>
    handleConfirmedForm(request, reply, agendaPath(request.params.slug), async (_values, confirmed) => {
      const m = await topics.meetingFor(db, request.user, request.params.slug);
      const title = await topics.removeAgendaItem(db, request.user, m, idParam(request.params.id), confirmed);
      return reply.seeOther(agendaPath(m.slug), request.t('agenda.removed', { title }));
    }, (form) => showAgenda(request, reply, { action: form })));
}
