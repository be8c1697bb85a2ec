import { DateTime } from 'luxon';
import { personName } from '../../platform/views/person.js';
import type { T, Lang } from '../../platform/i18n/index.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import type { ViewContext } from '../../platform/views/context.js';
import { ErrorSummary, Form, Select, Submit, TextArea, TextField, emptyForm, type FormState } from '../../platform/views/forms.js';
import { ZONE } from './service.js';
import { MAX_VOTE_BUDGET, exampleAgendaTime, localTime, type Agenda, type TopicBoard, type TopicMeeting } from './topics-service.js';

type AgendaItem = Agenda['items'][number];
type Topic = TopicBoard['topics'][number];

const topicsUrl = (m: TopicMeeting) => `/treffen/${m.slug}/themen`;
const agendaUrl = (m: TopicMeeting) => `/treffen/${m.slug}/programm`;

function BackToMeeting({ ctx, m }: { ctx: ViewContext; m: TopicMeeting }) {
  return (
    <p class="meta">
      <a href={`/treffen/${m.slug}`}>{ctx.t('topics.backToMeeting', { meeting: m.title })}</a>
      {' · '}{ctx.t('topics.meetingWhen', { date: formatDateTime(m.starts_at, ctx.lang) })}
    </p>
  );
}

/** A button whose accessible name names the topic, so that a screen reader tells the many buttons apart. */
function TopicButton({ label, topic, secondary }: { label: string; topic: string; secondary?: boolean }) {
  return <button type="submit" class={secondary ? 'button button-secondary' : 'button'}>{label}<span class="visually-hidden"> – {topic}</span></button>;
}

function VotesLeft({ t, left, budget }: { t: T; left: number; budget: number }) {
  return <>{left > 0 ? t('topics.votesLeft', { count: left, budget }) : t('topics.noVotesLeft', { budget })}</>;
}

function TopicStatus({ ctx, m, board }: { ctx: ViewContext; m: TopicMeeting; board: TopicBoard }) {
  const { t } = ctx;
  if (board.published) return <p class="note">{t('topics.statusPublished')} <a href={agendaUrl(m)}>{t('topics.toAgenda')}</a></p>;
  if (!board.open) return <p class="note">{t('topics.statusClosed')}</p>;
  return <p class="note"><strong>{t('topics.statusOpen')}</strong> <VotesLeft t={t} left={board.left} budget={board.budget} /></p>;
}

function TopicItem({ ctx, m, board, topic, organiser }: { ctx: ViewContext; m: TopicMeeting; board: TopicBoard; topic: Topic; organiser: boolean }) {
  const { t } = ctx;
  const proposer = topic.proposer_organisation
    ? t('topics.proposedBy', { name: personName(t, topic.proposer_name), organisation: topic.proposer_organisation ?? '', date: formatDateTime(topic.created_at, ctx.lang) })
    : t('topics.proposedAt', { date: formatDateTime(topic.created_at, ctx.lang) });
  return (
    <li class="topic card" id={`thema-${topic.id}`}>
      <h3>{topic.title}</h3>
      <p class="meta"><strong class="topic-votes">{t('topics.votes', { count: topic.votes })}</strong> · {proposer}</p>
      {topic.myVote && <p class="topic-mine">{t('topics.youVoted')}</p>}
      {topic.carried_from_slug && <p class="meta">{t('topics.carriedFrom')} <a href={`/treffen/${topic.carried_from_slug}/themen`}>{topic.carried_from_title}</a></p>}
      {topic.agenda_item_id !== null && <p class="meta">{t('topics.onAgenda')}</p>}
      {topic.carried_to_slug && <p class="meta">{t('topics.carriedTo')} <a href={`/treffen/${topic.carried_to_slug}/themen`}>{topic.carried_to_title}</a></p>}
      {topic.description && <p class="prewrap">{topic.description}</p>}
      {topic.solution && <p>{t('topics.fields.solution')}: <a href={`/loesungen/${topic.solution.slug}`}>{topic.solution.title}</a></p>}
      <div class="actions-row">
        {board.open && (topic.myVote ? (
          <Form ctx={ctx} action={`${topicsUrl(m)}/${topic.id}/stimme-zuruecknehmen`} class="inline-form">
            <TopicButton label={t('topics.unvote')} topic={topic.title} secondary />
          </Form>
        ) : (
          <Form ctx={ctx} action={`${topicsUrl(m)}/${topic.id}/stimme`} class="inline-form">
            <TopicButton label={t('topics.vote')} topic={topic.title} />
          </Form>
        ))}
        {organiser && ctx.can('agenda.edit') && topic.agenda_item_id === null && !topic.carried_to_slug && (
          <Form ctx={ctx} action={`${agendaUrl(m)}/thema/${topic.id}`} class="inline-form">
            <TopicButton label={t('topics.takeOntoAgenda')} topic={topic.title} secondary />
          </Form>
        )}
        {organiser && (
          <Form ctx={ctx} action={`${topicsUrl(m)}/${topic.id}/entfernen`} class="inline-form">
            <TopicButton label={t('topics.remove')} topic={topic.title} secondary />
          </Form>
        )}
      </div>
    </li>
  );
}

export interface TopicForms {
  /** A refused action (a vote, opening, carrying over …): its message goes into the summary at the top. */
  action?: FormState;
  propose?: FormState;
  budget?: FormState;
  /** Opening the vote with its optional deadline. */
  open?: FormState;
}

function topicLabels(t: T) {
  return {
    title: t('topics.fields.title'), description: t('topics.fields.description'), solution: t('topics.fields.solution'), vote_budget: t('topics.fields.vote_budget'),
    close_date: t('communityNotices.voteDeadline.date'), close_time: t('communityNotices.voteDeadline.time'),
  };
}

export function TopicsPage({ ctx, m, board, forms }: { ctx: ViewContext; m: TopicMeeting; board: TopicBoard; forms: TopicForms }) {
  const { t } = ctx;
  const organiser = ctx.can('topics.manage');
  const failed = forms.action ?? forms.propose ?? forms.budget ?? forms.open;
  return (
    <>
      <h1>{t('topics.title', { meeting: m.title })}</h1>
      <BackToMeeting ctx={ctx} m={m} />
      {failed && <ErrorSummary ctx={ctx} form={failed} />}
      <p class="lead">{t('topics.intro')}</p>
      <TopicStatus ctx={ctx} m={m} board={board} />

      <section aria-labelledby="ranking-title">
        <h2 id="ranking-title">{t('topics.rankingTitle')}</h2>
        {board.topics.length === 0 ? <p>{t('topics.none')}</p> : (
          <>
            <p class="hint">{t('topics.rankingHint')}</p>
            <ol class="topic-list">
              {board.topics.map((topic) => <TopicItem ctx={ctx} m={m} board={board} topic={topic} organiser={organiser} />)}
            </ol>
          </>
        )}
      </section>

      {board.open && <ProposeForm ctx={ctx} m={m} form={forms.propose ?? emptyForm()} />}
      {organiser && <ManageTopics ctx={ctx} m={m} board={board} budgetForm={forms.budget ?? emptyForm({ vote_budget: String(board.budget) })} openForm={forms.open ?? emptyForm()} />}
    </>
  );
}

function ProposeForm({ ctx, m, form }: { ctx: ViewContext; m: TopicMeeting; form: FormState }) {
  const { t } = ctx;
  const labels = topicLabels(t);
  return (
    <section aria-labelledby="propose-title">
      <h2 id="propose-title">{t('topics.proposeTitle')}</h2>
      <p>{t('topics.proposeIntro')}</p>
      <Form ctx={ctx} action={topicsUrl(m)}>
        <TextField ctx={ctx} form={form} name="title" label={labels.title} required maxLength={150} />
        <TextArea ctx={ctx} form={form} name="description" label={labels.description} hint={t('topics.fields.descriptionHint')} rows={4} maxLength={4000} />
        <TextField ctx={ctx} form={form} name="solution" label={labels.solution} hint={t('topics.fields.solutionHint')} maxLength={500} />
        <Submit label={t('topics.propose')} />
      </Form>
    </section>
  );
}

function ManageTopics({ ctx, m, board, budgetForm, openForm }: { ctx: ViewContext; m: TopicMeeting; board: TopicBoard; budgetForm: FormState; openForm: FormState }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="manage-title" class="card topics-manage">
      <h2 id="manage-title">{t('topics.manageTitle')}</h2>
      {!board.published && (
        <>
          {board.open && board.closesAt && <p>{t('communityNotices.voteDeadline.until', { date: formatDateTime(board.closesAt, ctx.lang) })}</p>}
          {board.open ? (
            <div class="actions-row">
              <Form ctx={ctx} action={`${topicsUrl(m)}/schliessen`} class="inline-form">
                <button type="submit" class="button">{t('topics.close')}</button>
              </Form>
              <a href={agendaUrl(m)}>{t('topics.editAgenda')}</a>
            </div>
          ) : (
            <>
              <Form ctx={ctx} action={`${topicsUrl(m)}/oeffnen`}>
                <fieldset>
                  <legend>{t('communityNotices.voteDeadline.legend')}</legend>
                  <p class="hint">{t('communityNotices.voteDeadline.hint', { start: formatDateTime(m.starts_at, ctx.lang) })}</p>
                  <TextField ctx={ctx} form={openForm} name="close_date" type="date" label={t('communityNotices.voteDeadline.date')} />
                  <TextField ctx={ctx} form={openForm} name="close_time" type="time" label={t('communityNotices.voteDeadline.time')} hint={t('communityNotices.voteDeadline.timeHint')} />
                </fieldset>
                <Submit label={t('topics.open')} />
              </Form>
              <p><a href={agendaUrl(m)}>{t('topics.editAgenda')}</a></p>
            </>
          )}
          <Form ctx={ctx} action={`${topicsUrl(m)}/stimmen`}>
            <TextField ctx={ctx} form={budgetForm} name="vote_budget" label={t('topics.fields.vote_budget')}
              hint={t('topics.fields.vote_budgetHint', { max: MAX_VOTE_BUDGET })} maxLength={2} />
            <Submit label={t('topics.saveBudget')} />
          </Form>
        </>
      )}
      {board.published && <p><a href={agendaUrl(m)}>{t('topics.editAgenda')}</a></p>}
      <h3>{t('topics.carryTitle')}</h3>
      <p>{t('topics.carryHint')}</p>
      {!board.published ? <p class="meta">{t('topics.carryAfterPublishing')}</p>
        : !board.next ? <p class="meta">{t('topics.noNextMeeting')}</p>
        : board.carriable === 0 ? <p class="meta">{t('topics.nothingToCarry')}</p>
        : (
          <Form ctx={ctx} action={`${topicsUrl(m)}/uebertragen`} class="inline-form">
            <button type="submit" class="button">{t('topics.carryOver', { count: board.carriable, meeting: board.next.title })}</button>
          </Form>
        )}
    </section>
  );
}

// Agenda -------------------------------------------------------------------------------------------------

/** "Donnerstag, 26.11.2026" / "Thursday, 26/11/2026" and "MEZ" / "CET" — the agenda's day and time zone, in the meeting's zone. */
function agendaDay(m: TopicMeeting, lang: Lang) {
  const start = DateTime.fromISO(m.starts_at, { zone: 'utc' }).setZone(ZONE).setLocale(lang === 'de' ? 'de-DE' : 'en-GB');
  return { date: start.toFormat(lang === 'de' ? 'cccc, dd.MM.yyyy' : 'cccc, dd/MM/yyyy'), zone: start.toFormat('ZZZZ') };
}

export function AgendaTable({ ctx, m, items, editable }: { ctx: ViewContext; m: TopicMeeting; items: AgendaItem[]; editable: boolean }) {
  const { t } = ctx;
  return (
    <table class="table agenda">
      <caption>{t('agenda.caption', agendaDay(m, ctx.lang))}</caption>
      <thead>
        <tr>
          <th scope="col">{t('agenda.columns.time')}</th>
          <th scope="col">{t('agenda.columns.title')}</th>
          <th scope="col">{t('agenda.columns.speaker')}</th>
          {editable && <th scope="col">{t('agenda.columns.actions')}</th>}
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr>
            <td>{t('agenda.timeValue', { time: localTime(item.starts_at) })}</td>
            <th scope="row">
              {item.title}
              {item.topic_title && item.topic_title !== item.title && <span class="meta"> ({t('agenda.fromTopic', { title: item.topic_title })})</span>}
            </th>
            <td>{item.speaker || t('common.none')}</td>
            {editable && (
              <td>
                <div class="agenda-actions">
                  <a href={`${agendaUrl(m)}/${item.id}/bearbeiten`}>{t('agenda.edit')}<span class="visually-hidden"> – {item.title}</span></a>
                  <Form ctx={ctx} action={`${agendaUrl(m)}/${item.id}/entfernen`} class="inline-form">
                    <button type="submit" class="link-button">{t('agenda.remove')}<span class="visually-hidden"> – {item.title}</span></button>
                  </Form>
                </div>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface AgendaForms {
  action?: FormState;
  add?: FormState;
}

function agendaLabels(t: T) {
  return { time: t('agenda.fields.time'), title: t('agenda.fields.title'), speaker: t('agenda.fields.speaker'), topic: t('agenda.fields.topic') };
}
export { agendaLabels, topicLabels };

export function AgendaPage({ ctx, m, agenda, ranking, forms }: { ctx: ViewContext; m: TopicMeeting; agenda: Agenda; ranking: Topic[]; forms: AgendaForms }) {
  const { t } = ctx;
  const failed = forms.action ?? forms.add;
  return (
    <>
      <h1>{t('agenda.title', { meeting: m.title })}</h1>
      <BackToMeeting ctx={ctx} m={m} />
      {failed && <ErrorSummary ctx={ctx} form={failed} />}
      {agenda.published
        ? <p class="meta">{t('agenda.publishedAt', { date: formatDateTime(m.agenda_published_at!, ctx.lang) })}</p>
        : agenda.editable ? <p class="note">{t('agenda.draftNote')}</p> : <p class="note">{t('agenda.notYet')}</p>}
      {(agenda.published || agenda.editable) && (agenda.items.length === 0
        ? <p>{t('agenda.empty')}</p>
        : <AgendaTable ctx={ctx} m={m} items={agenda.items} editable={agenda.editable} />)}
      {!agenda.editable && ctx.can('topics.view') && <p><a href={topicsUrl(m)}>{t('agenda.toTopics')}</a></p>}
      {agenda.editable && (
        <>
          {!agenda.published && agenda.items.length > 0 && (
            <section aria-labelledby="publish-title" class="card">
              <h2 id="publish-title">{t('agenda.publishTitle')}</h2>
              <p>{t('agenda.publishHint')}</p>
              <Form ctx={ctx} action={`${agendaUrl(m)}/veroeffentlichen`} class="inline-form">
                <button type="submit" class="button">{t('agenda.publish')}</button>
              </Form>
            </section>
          )}
          <RankingToTake ctx={ctx} m={m} ranking={ranking} />
          <AddItemForm ctx={ctx} m={m} ranking={ranking} form={forms.add ?? emptyForm()} />
          <p><a href={topicsUrl(m)}>{t('agenda.toTopics')}</a></p>
        </>
      )}
    </>
  );
}

function RankingToTake({ ctx, m, ranking }: { ctx: ViewContext; m: TopicMeeting; ranking: Topic[] }) {
  const { t } = ctx;
  const open = ranking.filter((topic) => topic.agenda_item_id === null && !topic.carried_to_slug);
  return (
    <section aria-labelledby="take-title">
      <h2 id="take-title">{t('agenda.rankingTitle')}</h2>
      {open.length === 0 ? <p>{ranking.length === 0 ? t('topics.none') : t('agenda.rankingDone')}</p> : (
        <ol class="topic-list">
          {open.map((topic) => (
            <li class="topic">
              <span class="topic-title">{topic.title}</span> <span class="meta">({t('topics.votes', { count: topic.votes })})</span>{' '}
              <Form ctx={ctx} action={`${agendaUrl(m)}/thema/${topic.id}`} class="inline-form">
                <button type="submit" class="button-small">{t('topics.takeOntoAgenda')}<span class="visually-hidden"> – {topic.title}</span></button>
              </Form>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function AddItemForm({ ctx, m, ranking, form }: { ctx: ViewContext; m: TopicMeeting; ranking: Topic[]; form: FormState }) {
  const { t } = ctx;
  const labels = agendaLabels(t);
  const topics = ranking.filter((topic) => topic.agenda_item_id === null).map((topic) => ({ value: String(topic.id), label: topic.title }));
  return (
    <section aria-labelledby="add-title">
      <h2 id="add-title">{t('agenda.addTitle')}</h2>
      <Form ctx={ctx} action={agendaUrl(m)}>
        <AgendaFields ctx={ctx} form={form} labels={labels} m={m} />
        {topics.length > 0 && <Select ctx={ctx} form={form} name="topic" label={labels.topic} options={topics} placeholder={t('agenda.fields.topicNone')} />}
        <Submit label={t('agenda.add')} />
      </Form>
    </section>
  );
}

function AgendaFields({ ctx, form, labels, m }: { ctx: ViewContext; form: FormState; labels: Record<string, string>; m: TopicMeeting }) {
  const { t } = ctx;
  return (
    <>
      <TextField ctx={ctx} form={form} name="time" label={labels.time}
        hint={t('agenda.fields.timeHint', { example: exampleAgendaTime(m), start: localTime(m.starts_at), end: localTime(m.ends_at) })} required maxLength={5} />
      <TextField ctx={ctx} form={form} name="title" label={labels.title} required maxLength={200} />
      <TextField ctx={ctx} form={form} name="speaker" label={labels.speaker} maxLength={200} />
    </>
  );
}

export function AgendaItemForm({ ctx, m, itemId, form }: { ctx: ViewContext; m: TopicMeeting; itemId: number; form: FormState }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('agenda.editTitle')}</h1>
      <p class="meta"><a href={agendaUrl(m)}>{t('agenda.backToAgenda', { meeting: m.title })}</a></p>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action={`${agendaUrl(m)}/${itemId}/bearbeiten`}>
        <AgendaFields ctx={ctx} form={form} labels={agendaLabels(t)} m={m} />
        <Submit label={t('common.save')} />
      </Form>
    </>
  );
}

// The meeting page -------------------------------------------------------------------------------------

/** The topics and agenda on the meeting page: number of topics and votes left for members, the agenda once published. */
export function MeetingTopicsSection({ t, m, viewer, summary, items, organiser }: {
  t: T; m: TopicMeeting; viewer: boolean; organiser: boolean;
  summary: { count: number; left: number; open: boolean };
  items: AgendaItem[] | null;
}) {
  const published = Boolean(m.agenda_published_at);
  const showTopics = viewer && (summary.count > 0 || summary.open || organiser);
  if (!showTopics && !items && !organiser) return null;
  return (
    <section aria-labelledby="meeting-topics-title" class="meeting-topics">
      <h2 id="meeting-topics-title">{t('topics.sectionTitle')}</h2>
      {items && items.length > 0 && (
        <ul class="agenda-list">
          {items.map((item) => (
            <li><strong>{t('agenda.timeValue', { time: localTime(item.starts_at) })}</strong> {item.title}{item.speaker ? ` – ${item.speaker}` : ''}</li>
          ))}
        </ul>
      )}
      {(published || organiser) && <p><a href={agendaUrl(m)}>{t(organiser ? 'agenda.sectionEdit' : 'agenda.sectionLink')}</a></p>}
      {showTopics && (
        <p>
          {summary.count === 0 ? t('topics.none') : t('topics.sectionCount', { count: summary.count })}{' '}
          {summary.open && (summary.left > 0 ? t('topics.votesLeft', { count: summary.left, budget: m.vote_budget }) : t('topics.noVotesLeft', { budget: m.vote_budget }))}{' '}
          <a href={topicsUrl(m)}>{t(summary.open ? 'topics.sectionVote' : 'topics.sectionLink')}</a>
        </p>
      )}
    </section>
  );
}
