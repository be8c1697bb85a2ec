import { DateTime } from 'luxon';
import { z } from 'zod';
import { recordAudit } from '../../platform/audit.js';
import { nowIso } from '../../platform/clock.js';
import { ConfirmationRequired } from '../../platform/confirmation.js';
import type { Db } from '../../platform/db/database.js';
import { AppError, FormError, forbidden, isUniqueViolation, notFound, signInRequired } from '../../platform/errors.js';
import { optionalText, parseForm, text } from '../../platform/forms.js';
import { can, type CurrentUser, type Visitor } from '../../platform/policy.js';
import * as catalogue from '../catalogue/service.js';
import { notifyAllMembers } from '../notifications/service.js';
import { localToUtc, meetingFor as visibleMeeting, nextMeetingInSeries, utcToLocal } from './service.js';
import './topics-policy.js';
import type { MeetingRow } from './queries.js';
import * as q from './topics-queries.js';

/** A meeting with its topic settings (vote budget, topics open, agenda published). */
export type TopicMeeting = MeetingRow;

type Settings = Pick<TopicMeeting, 'vote_budget' | 'topics_open' | 'agenda_published_at' | 'topics_close_at'>;

export const MAX_VOTE_BUDGET = 20;

/** Members propose and vote while the organisers have opened the topics, until the agenda is published. */
export function votingOpen(m: Settings & { status?: string }, now = nowIso()): boolean {
  return m.topics_open === 1 && !m.agenda_published_at && m.status !== 'cancelled' && !(m.topics_close_at && now >= m.topics_close_at);
}

const closedError = () => new FormError({ _: { key: 'topics.errors.closed' } });

/** The meeting behind a topic or agenda page, if the visitor may see it. */
export const meetingFor = (db: Db, viewer: Visitor, slug: string): Promise<TopicMeeting> => visibleMeeting(db, viewer, slug);

function member(viewer: Visitor, action: string): CurrentUser {
  if (!viewer || !can(viewer, action)) throw viewer ? forbidden() : signInRequired();
  return viewer;
}

// Topics -------------------------------------------------------------------------------------------------

/** The ranked topic list with the viewer's votes, and what the viewer may do with it. */
export async function topicBoard(db: Db, viewer: Visitor, m: TopicMeeting) {
  const user = member(viewer, 'topics.view');
  const rows = await q.rankedTopics(db, m.id, user.id);
  const solutions = await visibleSolutions(db, viewer, rows.map((r) => r.solution_slug));
  const cast = await q.votesCast(db, m.id, user.id);
  const organiser = can(viewer, 'topics.manage');
  const next = organiser ? await nextMeetingInSeries(db, m) : undefined;
  return {
    topics: rows.map((r) => ({
      ...r,
      votes: Number(r.votes),
      myVote: Number(r.my_vote) > 0,
      solution: r.solution_slug ? solutions.get(r.solution_slug) ?? null : null,
    })),
    budget: m.vote_budget,
    cast,
    left: Math.max(0, m.vote_budget - cast),
    open: votingOpen(m),
    closesAt: m.topics_close_at,
    published: Boolean(m.agenda_published_at),
    next: next ? { slug: next.slug, title: next.title } : null,
    carriable: organiser ? await q.countCarriable(db, m.id) : 0,
  };
}
export type TopicBoard = Awaited<ReturnType<typeof topicBoard>>;

/** Title and address of each linked solution the viewer may see, looked up through the catalogue. */
async function visibleSolutions(db: Db, viewer: Visitor, slugs: (string | null)[]) {
  const found = new Map<string, { slug: string; title: string }>();
  for (const slug of new Set(slugs.filter((s): s is string => Boolean(s)))) {
    try {
      const s = await catalogue.solutionFor(db, viewer, slug);
      found.set(slug, { slug: s.slug, title: s.title });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  }
  return found;
}

/** How many topics a meeting has and how many votes the viewer has left, for the meeting page. */
export async function topicSummary(db: Db, viewer: Visitor, meetingId: number) {
  const settings = await q.topicSettings(db, meetingId);
  if (!settings) return null;
  const count = await q.countTopics(db, meetingId);
  const cast = viewer ? await q.votesCast(db, meetingId, viewer.id) : 0;
  return { count, settings, left: Math.max(0, settings.vote_budget - cast) };
}

export const topicSchema = z.object({
  title: text(150),
  description: optionalText(4000),
  solution: optionalText(500),
});

/** The slug in a solution's address ("https://…/loesungen/buerger-chatbot", "/loesungen/…" or the slug alone). */
export function solutionSlugOf(input: string): string | null {
  const path = input.trim().replace(/[?#].*$/, '').replace(/\/+$/, '');
  const m = /(?:^|\/loesungen\/)([a-z0-9][a-z0-9-]*)$/.exec(path);
  if (!m) return null;
  if (path.includes('/') && !path.includes('/loesungen/')) return null;
  return m[1];
}

/** A member proposes a topic while the topics are open; a linked solution must be one the member can see. */
export async function proposeTopic(db: Db, viewer: Visitor, m: TopicMeeting, values: Record<string, string>, labels: Record<string, string>) {
  const user = member(viewer, 'topic.propose');
  const data = parseForm(topicSchema, { ...values, description: (values.description ?? '').replace(/\r\n?/g, '\n') }, labels);
  let solutionSlug: string | null = null;
  if (data.solution) {
    const slug = solutionSlugOf(data.solution);
    const found = slug ? (await visibleSolutions(db, viewer, [slug])).get(slug) : undefined;
    if (!found) throw new FormError({ solution: { key: 'topics.errors.solutionUnknown' } });
    solutionSlug = found.slug;
  }
  return db.transaction().execute(async (trx) => {
    const settings = await q.lockMeetingTopics(trx, m.id);
    if (!settings) throw notFound();
    if (!votingOpen(settings)) throw closedError();
    const id = await q.insertTopic(trx, {
      meeting_id: m.id, title: data.title, description: data.description, solution_slug: solutionSlug, proposed_by: user.id, created_at: nowIso(),
    });
    return { id, title: data.title };
  });
}

/**
 * Casts the member's vote for a topic: at most one per topic and no more than the meeting's budget.
 * The meeting's row is locked first, so simultaneous votes, also from several instances, are counted one after the other.
 */
export async function castTopicVote(db: Db, viewer: Visitor, m: TopicMeeting, topicId: number) {
  const user = member(viewer, 'topic.vote');
  try {
    return await db.transaction().execute(async (trx) => {
      const settings = await q.lockMeetingTopics(trx, m.id);
      if (!settings) throw notFound();
      if (!votingOpen(settings)) throw closedError();
      const topic = await q.findTopic(trx, m.id, topicId);
      if (!topic) throw notFound();
      if (await q.hasVoted(trx, topic.id, user.id)) throw new FormError({ _: { key: 'topics.errors.alreadyVoted', vars: { title: topic.title } } });
      const cast = await q.votesCast(trx, m.id, user.id);
      if (cast >= settings.vote_budget) throw new FormError({ _: { key: 'topics.errors.budgetUsed', vars: { count: settings.vote_budget } } });
      await q.insertVote(trx, topic.id, user.id, nowIso());
      return { title: topic.title, left: settings.vote_budget - cast - 1 };
    });
  } catch (err) {
    // The primary key (topic, member) is the last line of defence against a second vote.
    if (isUniqueViolation(err)) throw new FormError({ _: { key: 'topics.errors.alreadyVoted', vars: { title: (await q.findTopic(db, m.id, topicId))?.title ?? '' } } });
    throw err;
  }
}

/** Takes a vote back while voting is open; the vote is free to be cast again. */
export async function withdrawTopicVote(db: Db, viewer: Visitor, m: TopicMeeting, topicId: number) {
  const user = member(viewer, 'topic.vote');
  return db.transaction().execute(async (trx) => {
    const settings = await q.lockMeetingTopics(trx, m.id);
    if (!settings) throw notFound();
    if (!votingOpen(settings)) throw closedError();
    const topic = await q.findTopic(trx, m.id, topicId);
    if (!topic) throw notFound();
    if (!(await q.deleteVote(trx, topic.id, user.id))) throw new FormError({ _: { key: 'topics.errors.noVote', vars: { title: topic.title } } });
    const cast = await q.votesCast(trx, m.id, user.id);
    return { title: topic.title, left: Math.max(0, settings.vote_budget - cast) };
  });
}

export const budgetSchema = z.object({
  vote_budget: z.string().trim().refine((v) => /^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_VOTE_BUDGET, { message: 'topics.errors.budgetRange' })
    .transform(Number),
});

/** Sets the votes each member has; never below what a member has already cast. */
export async function setVoteBudget(db: Db, viewer: Visitor, m: TopicMeeting, values: Record<string, string>, labels: Record<string, string>) {
  member(viewer, 'topics.manage');
  const { vote_budget } = parseForm(budgetSchema, values, labels);
  return db.transaction().execute(async (trx) => {
    const settings = await q.lockMeetingTopics(trx, m.id);
    if (!settings) throw notFound();
    if (settings.agenda_published_at) throw new FormError({ vote_budget: { key: 'topics.errors.agendaPublished' } });
    const most = await q.mostVotesCastByOneMember(trx, m.id);
    if (vote_budget < most) throw new FormError({ vote_budget: { key: 'topics.errors.budgetBelowCast', vars: { votes: most } } });
    await q.updateTopicSettings(trx, m.id, { vote_budget });
    return vote_budget;
  });
}

export const voteDeadlineSchema = z.object({
  close_date: z.string().trim().refine((v) => v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v).isValid), { message: 'meetings.errors.date' }),
  close_time: z.string().trim().refine((v) => v === '' || /^([01]\d|2[0-3]):[0-5]\d$/.test(v), { message: 'meetings.errors.time' }),
});

/**
 * The optional deadline of the topic vote from the organiser's form (a day alone: its end), as UTC; it must
 * lie in the future and before the meeting starts.
 */
export function parseVoteDeadline(m: Pick<TopicMeeting, 'starts_at'>, values: Record<string, string>, labels: Record<string, string>, now = nowIso()): string | null {
  const data = parseForm(voteDeadlineSchema, { close_date: values.close_date ?? '', close_time: values.close_time ?? '' }, labels);
  if (!data.close_date) {
    if (data.close_time) throw new FormError({ close_date: { key: 'communityNotices.errors.voteDeadlineDateMissing' } });
    return null;
  }
  const closes = localToUtc(data.close_date, data.close_time || '23:59');
  if (closes > m.starts_at) throw new FormError({ close_date: { key: 'communityNotices.errors.voteDeadlineAfterStart', vars: { start: m.starts_at } } });
  if (closes <= now) throw new FormError({ close_date: { key: 'communityNotices.errors.voteDeadlinePast' } });
  return closes;
}

/**
 * Opens the meeting for topic proposals and votes, optionally until a deadline at which the vote closes by itself;
 * not after its agenda is published or when it is cancelled. The members are told, with the deadline.
 */
export async function openTopics(db: Db, viewer: Visitor, m: TopicMeeting, values: Record<string, string> = {}, labels: Record<string, string> = {}) {
  const user = member(viewer, 'topics.manage');
  const closesAt = parseVoteDeadline(m, values, labels);
  await db.transaction().execute(async (trx) => {
    const settings = await q.lockMeetingTopics(trx, m.id);
    if (!settings) throw notFound();
    if (settings.agenda_published_at) throw new FormError({ _: { key: 'topics.errors.agendaPublished' } });
    if (settings.status === 'cancelled') throw new FormError({ _: { key: 'topics.errors.cancelled' } });
    await q.updateTopicSettings(trx, m.id, { topics_open: 1, topics_close_at: closesAt });
    await notifyAllMembers(trx, {
      exceptUserIds: [user.id], kind: 'topic_vote', url: `/treffen/${m.slug}/themen`,
      messageKey: closesAt ? 'communityNotices.messages.topicVoteUntil' : 'communityNotices.messages.topicVote',
      params: { title: m.title, deadline: closesAt ?? '' },
      // Opened again with the same deadline: the same occasion.
      dedupeKey: `topic-vote:${m.id}:${closesAt ?? 'open'}`,
    });
  });
  return closesAt;
}

/**
 * Closes every topic vote whose deadline has passed (the job runner calls this). Safe to run twice or on several
 * instances at once: a vote already closed is left as it is. Returns how many votes this run closed.
 */
export async function closeDueVotes(db: Db, now = nowIso()): Promise<number> {
  const res = await db.updateTable('meetings').set({ topics_open: 0 })
    .where('topics_open', '=', 1).where('topics_close_at', 'is not', null).where('topics_close_at', '<=', now).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function closeTopics(db: Db, viewer: Visitor, m: TopicMeeting) {
  member(viewer, 'topics.manage');
  await db.transaction().execute(async (trx) => {
    if (!(await q.lockMeetingTopics(trx, m.id))) throw notFound();
    await q.updateTopicSettings(trx, m.id, { topics_open: 0 });
  });
}

/** An organiser removes a topic (a duplicate, or one that does not belong here), with its votes. */
export async function removeTopic(db: Db, viewer: Visitor, m: TopicMeeting, topicId: number, confirmed = false) {
  const user = member(viewer, 'topics.manage');
  return db.transaction().execute(async (trx) => {
    if (!(await q.lockMeetingTopics(trx, m.id))) throw notFound();
    const topic = await q.findTopic(trx, m.id, topicId);
    if (!topic) throw notFound();
    if (!confirmed) {
      const votes = await q.countVotesOf(trx, topic.id);
      throw new ConfirmationRequired(
        { key: 'communityNotices.confirm.topic.question', vars: { title: topic.title } },
        [{ key: 'communityNotices.confirm.topic.what', vars: { count: votes } }, { key: 'communityNotices.confirm.irreversible' }],
        { key: 'communityNotices.confirm.topic.button' },
      );
    }
    await q.deleteTopic(trx, topic.id);
    await recordAudit(trx, { actorId: user.id, action: 'topic.removed', targetType: 'meeting', targetId: m.id, details: { title: topic.title } });
    return topic.title;
  });
}

/**
 * Carries the topics that did not make it onto the published agenda over to the next meeting of the series,
 * where they start without votes and remember where they came from. Carrying again adds nothing twice.
 */
export async function carryOverTopics(db: Db, viewer: Visitor, m: TopicMeeting) {
  const user = member(viewer, 'topics.manage');
  const next = await nextMeetingInSeries(db, m);
  if (!next) throw new FormError({ _: { key: 'topics.errors.noNextMeeting' } });
  return db.transaction().execute(async (trx) => {
    const settings = await q.lockMeetingTopics(trx, m.id);
    if (!settings) throw notFound();
    if (!settings.agenda_published_at) throw new FormError({ _: { key: 'topics.errors.carryBeforePublished' } });
    const count = await q.copyTopicsNotOnAgenda(trx, m.id, next.id);
    if (count === 0) throw new FormError({ _: { key: 'topics.errors.nothingToCarry' } });
    await recordAudit(trx, { actorId: user.id, action: 'topics.carried_over', targetType: 'meeting', targetId: m.id, details: { to: next.slug, count } });
    return { count, next: { slug: next.slug, title: next.title } };
  });
}

// Agenda -------------------------------------------------------------------------------------------------

/** The agenda as the viewer may see it: organisers always, everyone else once it is published. */
export async function agendaFor(db: Db, viewer: Visitor, m: TopicMeeting) {
  const editable = can(viewer, 'agenda.edit');
  const published = Boolean(m.agenda_published_at);
  const items = published || editable ? await q.agendaItems(db, m.id) : [];
  return { items, published, editable };
}
export type Agenda = Awaited<ReturnType<typeof agendaFor>>;

/** "HH:MM" on the meeting's first day in Europe/Berlin, as a UTC timestamp. */
export function agendaTime(m: Pick<TopicMeeting, 'starts_at'>, time: string): string {
  return localToUtc(utcToLocal(m.starts_at).date, time);
}

/** A UTC timestamp as "HH:MM" in Europe/Berlin. */
export const localTime = (iso: string): string => utcToLocal(iso).time;

export const agendaItemSchema = z.object({
  time: z.string().trim().refine((v) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v), { message: 'agenda.errors.time' }),
  title: text(200),
  speaker: optionalText(200),
  topic: z.string().trim().refine((v) => v === '' || /^\d{1,9}$/.test(v), { message: 'validation.choose' }).default(''),
});

/** An example time for the meeting at hand: half an hour after its start, or its start for a shorter meeting. */
export function exampleAgendaTime(m: Pick<TopicMeeting, 'starts_at' | 'ends_at'>): string {
  const later = new Date(Date.parse(m.starts_at) + 30 * 60 * 1000).toISOString();
  return localTime(later <= m.ends_at ? later : m.starts_at);
}

function parseAgendaItem(m: TopicMeeting, values: Record<string, string>, labels: Record<string, string>) {
  let data: z.infer<typeof agendaItemSchema>;
  try {
    data = parseForm(agendaItemSchema, values, labels);
  } catch (err) {
    // The time's message names an example from this meeting, or the colon a time typed with a point ("16.30") lacks.
    if (err instanceof FormError && err.fields.time?.key === 'agenda.errors.time') {
      const dotted = /^\s*([01]?\d|2[0-3])[.,]([0-5]\d)\s*$/.exec(values.time ?? '');
      err.fields.time = dotted
        ? { key: 'agenda.errors.timePoint', vars: { suggestion: `${dotted[1].padStart(2, '0')}:${dotted[2]}` } }
        : { key: 'agenda.errors.time', vars: { example: exampleAgendaTime(m) } };
    }
    throw err;
  }
  const startsAt = agendaTime(m, data.time);
  if (Date.parse(startsAt) < Date.parse(m.starts_at) || Date.parse(startsAt) > Date.parse(m.ends_at)) {
    throw new FormError({ time: { key: 'agenda.errors.outsideMeeting', vars: { start: localTime(m.starts_at), end: localTime(m.ends_at) } } });
  }
  return { ...data, startsAt };
}

/** An organiser adds an agenda item, optionally from one of the meeting's topics. */
export async function addAgendaItem(db: Db, viewer: Visitor, m: TopicMeeting, values: Record<string, string>, labels: Record<string, string>) {
  member(viewer, 'agenda.edit');
  const data = parseAgendaItem(m, values, labels);
  return db.transaction().execute(async (trx) => {
    if (!(await q.lockMeetingTopics(trx, m.id))) throw notFound();
    let topicId: number | null = null;
    if (data.topic) {
      const topic = await q.findTopic(trx, m.id, Number(data.topic));
      if (!topic) throw new FormError({ topic: { key: 'validation.choose', vars: { field: labels.topic ?? 'topic' } } });
      if (topic.agenda_item_id) throw new FormError({ topic: { key: 'agenda.errors.alreadyOnAgenda', vars: { title: topic.title } } });
      topicId = topic.id;
    }
    const now = nowIso();
    const id = await q.insertAgendaItem(trx, { meeting_id: m.id, starts_at: data.startsAt, title: data.title, speaker: data.speaker, topic_id: topicId, created_at: now, updated_at: now });
    return { id, title: data.title };
  });
}

/** Half an hour per item is a first guess; the organiser corrects the time afterwards. */
const SLOT_MINUTES = 30;

/**
 * Takes a topic onto the agenda in one step: as the last item, half an hour after the one before
 * (or at the meeting's start), never after the meeting's end.
 */
export async function takeTopicOntoAgenda(db: Db, viewer: Visitor, m: TopicMeeting, topicId: number) {
  member(viewer, 'agenda.edit');
  try {
    return await db.transaction().execute(async (trx) => {
      if (!(await q.lockMeetingTopics(trx, m.id))) throw notFound();
      const topic = await q.findTopic(trx, m.id, topicId);
      if (!topic) throw notFound();
      if (topic.agenda_item_id) throw new FormError({ _: { key: 'agenda.errors.alreadyOnAgenda', vars: { title: topic.title } } });
      if (topic.carried_to_id) throw new FormError({ _: { key: 'agenda.errors.topicCarried', vars: { title: topic.title } } });
      const last = await q.lastAgendaStart(trx, m.id);
      const next = last ? Date.parse(last) + SLOT_MINUTES * 60_000 : Date.parse(m.starts_at);
      const startsAt = new Date(Math.min(next, Date.parse(m.ends_at))).toISOString();
      const now = nowIso();
      await q.insertAgendaItem(trx, { meeting_id: m.id, starts_at: startsAt, title: topic.title, speaker: '', topic_id: topic.id, created_at: now, updated_at: now });
      return { title: topic.title, time: localTime(startsAt) };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new FormError({ _: { key: 'agenda.errors.alreadyOnAgenda', vars: { title: (await q.findTopic(db, m.id, topicId))?.title ?? '' } } });
    throw err;
  }
}

export async function agendaItemFor(db: Db, viewer: Visitor, m: TopicMeeting, itemId: number) {
  member(viewer, 'agenda.edit');
  const item = await q.findAgendaItem(db, m.id, itemId);
  if (!item) throw notFound();
  return item;
}

export async function updateAgendaItem(db: Db, viewer: Visitor, m: TopicMeeting, itemId: number, values: Record<string, string>, labels: Record<string, string>) {
  member(viewer, 'agenda.edit');
  const data = parseAgendaItem(m, { ...values, topic: '' }, labels);
  await db.transaction().execute(async (trx) => {
    if (!(await q.lockMeetingTopics(trx, m.id))) throw notFound();
    if (!(await q.findAgendaItem(trx, m.id, itemId))) throw notFound();
    await q.updateAgendaItem(trx, itemId, { starts_at: data.startsAt, title: data.title, speaker: data.speaker, updated_at: nowIso() });
  });
}

export async function removeAgendaItem(db: Db, viewer: Visitor, m: TopicMeeting, itemId: number, confirmed = false) {
  member(viewer, 'agenda.edit');
  return db.transaction().execute(async (trx) => {
    if (!(await q.lockMeetingTopics(trx, m.id))) throw notFound();
    const item = await q.findAgendaItem(trx, m.id, itemId);
    if (!item) throw notFound();
    if (!confirmed) {
      throw new ConfirmationRequired(
        { key: 'communityNotices.confirm.agendaItem.question', vars: { title: item.title } },
        [{ key: 'communityNotices.confirm.agendaItem.what', vars: { title: item.title, time: localTime(item.starts_at) } }],
        { key: 'communityNotices.confirm.agendaItem.button' },
      );
    }
    await q.deleteAgendaItem(trx, itemId);
    return item.title;
  });
}

/** Publishes the agenda for everyone who may see the meeting; this closes the topic vote for good. */
export async function publishAgenda(db: Db, viewer: Visitor, m: TopicMeeting, confirmed = false) {
  const user = member(viewer, 'agenda.edit');
  await db.transaction().execute(async (trx) => {
    const settings = await q.lockMeetingTopics(trx, m.id);
    if (!settings) throw notFound();
    if (settings.agenda_published_at) return;
    const items = await q.agendaItems(trx, m.id);
    if (items.length === 0) throw new FormError({ _: { key: 'agenda.errors.empty' } });
    if (!confirmed) {
      const topics = await q.countTopics(trx, m.id);
      throw new ConfirmationRequired(
        { key: 'communityNotices.confirm.agenda.question', vars: { title: m.title } },
        [
          { key: 'communityNotices.confirm.agenda.items', vars: { count: items.length } },
          { key: 'communityNotices.confirm.agenda.vote', vars: { count: topics } },
          { key: 'communityNotices.confirm.agenda.who' },
          { key: 'communityNotices.confirm.irreversible' },
        ],
        { key: 'communityNotices.confirm.agenda.button' },
      );
    }
    await q.updateTopicSettings(trx, m.id, { agenda_published_at: nowIso(), topics_open: 0 });
    await recordAudit(trx, { actorId: user.id, action: 'agenda.published', targetType: 'meeting', targetId: m.id, details: { slug: m.slug } });
    await notifyAllMembers(trx, {
      exceptUserIds: [user.id], kind: 'agenda_published', url: `/treffen/${m.slug}/programm`,
      messageKey: 'communityNotices.messages.agendaPublished', params: { title: m.title, date: m.starts_at }, dedupeKey: `agenda:${m.id}`,
    });
  });
}
