import type { VNode } from 'preact';
import { personName } from '../../platform/views/person.js';
import { partLang } from '../../platform/views/part-lang.js';
import { atomLink } from '../../platform/feeds/atom.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import { renderMarkdown } from '../../platform/markdown.js';
import type { ViewContext } from '../../platform/views/context.js';
import { emptyForm, ErrorSummary, Form, Select, Submit, TextArea, TextField, type FormState } from '../../platform/views/forms.js';
import { FIELDS_OF_ACTION } from '../catalogue/fields.js';
import type { MatchedSolution } from './matching.js';
import type { ModerationItem } from './moderation.js';
import { PAGE_SIZE, type ListParams, type QuestionList, type QuestionPageData } from './service.js';

export const FEED_PATH = '/fragen/feed.atom';

/** Announces the feed of public questions in the head of the list page, so feed readers find it. */
export function feedLink(ctx: ViewContext): VNode {
  return atomLink(FEED_PATH, ctx.t('questions.feedTitle', { community: ctx.communityName }));
}

const fieldLabel = (ctx: ViewContext, field: string) => ctx.t(`catalogue.values.field_of_action.${field}`);
const fieldOptions = (ctx: ViewContext) => FIELDS_OF_ACTION.map((f) => ({ value: f, label: fieldLabel(ctx, f) }));

function listUrl(params: ListParams, change: Partial<ListParams>): string {
  const next = { ...params, ...change };
  const qs = new URLSearchParams();
  if (next.q) qs.set('q', next.q);
  if (next.filters.status) qs.set('status', next.filters.status);
  if (next.filters.field) qs.set('field', next.filters.field);
  for (const tag of next.filters.tags) qs.append('tag', tag);
  if (next.sort !== (next.q.trim() ? 'relevance' : 'newest')) qs.set('sort', next.sort);
  if (next.page > 1) qs.set('seite', String(next.page));
  const s = qs.toString();
  return `/fragen${s ? `?${s}` : ''}`;
}

const tagUrl = (tag: string) => `/fragen?tag=${encodeURIComponent(tag)}`;

function StatusBadge({ ctx, answered }: { ctx: ViewContext; answered: boolean }) {
  return <span class={answered ? 'state state-answered' : 'state'}>{ctx.t(answered ? 'questions.answered' : 'questions.open')}</span>;
}

// ---------------------------------------------------------------------------------------------------
// The list

export function QuestionListPage({ ctx, params, result, openReports }: { ctx: ViewContext; params: ListParams; result: QuestionList; openReports: number | null }) {
  const { t } = ctx;
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  const heading = params.q ? t('questions.resultsFor', { count: result.total, q: params.q }) : t('questions.results', { count: result.total });
  const tagOptions = [...new Set([...result.tags.map((x) => x.tag), ...params.filters.tags])];
  return (
    <>
      <h1>{t('questions.title')}</h1>
      <p class="lead">{t('questions.intro')}</p>
      <form method="get" action="/fragen" role="search" class="search-form">
        <label for="q">{t('questions.searchLabel')}</label>
        <div class="search-row">
          <input id="q" name="q" type="search" value={params.q} placeholder={t('questions.searchPlaceholder')} maxLength={200} />
          <button type="submit" class="button">{t('questions.searchSubmit')}</button>
        </div>
        {params.filters.status && <input type="hidden" name="status" value={params.filters.status} />}
        {params.filters.field && <input type="hidden" name="field" value={params.filters.field} />}
        {params.filters.tags.map((tag) => <input type="hidden" name="tag" value={tag} />)}
      </form>
      <div class="actions-row">
        {ctx.can('question.ask') && <a class="button-small" href="/fragen/neu">{t('questions.ask')}</a>}
        {ctx.can('questions.follow') && <a href="/fragen/themen">{t('questions.myTopics')}</a>}
        {openReports !== null && <a href="/fragen/moderation">{t('questions.moderationOpen', { count: openReports })}</a>}
      </div>
      <div class="catalogue">
        <aside class="facets" aria-labelledby="filters-title">
          <h2 id="filters-title">{t('questions.filters')}</h2>
          <form method="get" action="/fragen">
            {params.q && <input type="hidden" name="q" value={params.q} />}
            <label for="filter-status">{t('questions.status')}</label>
            <select id="filter-status" name="status">
              <option value="" selected={!params.filters.status}>{t('questions.statusAll')}</option>
              <option value="open" selected={params.filters.status === 'open'}>{t('questions.statusOpen')}</option>
              <option value="answered" selected={params.filters.status === 'answered'}>{t('questions.statusAnswered')}</option>
            </select>
            <label for="filter-field">{t('questions.fields.field_of_action')}</label>
            <select id="filter-field" name="field">
              <option value="" selected={!params.filters.field}>{t('questions.fieldAll')}</option>
              {FIELDS_OF_ACTION.map((f) => <option value={f} selected={params.filters.field === f}>{fieldLabel(ctx, f)}</option>)}
            </select>
            <label for="filter-tag">{t('questions.tag')}</label>
            <select id="filter-tag" name="tag">
              <option value="" selected={params.filters.tags.length === 0}>{t('questions.tagAll')}</option>
              {tagOptions.map((tag) => {
                const count = result.tags.find((x) => x.tag === tag)?.count;
                return <option value={tag} selected={params.filters.tags[0] === tag}>{count ? `${tag} (${count})` : tag}</option>;
              })}
            </select>
            {params.filters.tags.slice(1).map((tag) => <input type="hidden" name="tag" value={tag} />)}
            <label for="sort">{t('questions.sort')}</label>
            <select id="sort" name="sort">
              {params.q && <option value="relevance" selected={params.sort === 'relevance'}>{t('questions.sortRelevance')}</option>}
              <option value="newest" selected={params.sort === 'newest'}>{t('questions.sortNewest')}</option>
              <option value="activity" selected={params.sort === 'activity'}>{t('questions.sortActivity')}</option>
            </select>
            <div class="actions"><button type="submit" class="button">{t('questions.apply')}</button></div>
            <p><a href={params.q ? `/fragen?q=${encodeURIComponent(params.q)}` : '/fragen'}>{t('questions.reset')}</a></p>
          </form>
        </aside>
        <section class="results" aria-labelledby="results-title">
          <h2 id="results-title">{heading}</h2>
          {result.items.length === 0 ? <p>{t('questions.noResults')}</p> : (
            <ol class="result-list">
              {result.items.map((item) => (
                <li class="result question-item">
                  <h3><a href={`/fragen/${item.id}`}>{item.title}</a></h3>
                  <p class="meta">
                    <StatusBadge ctx={ctx} answered={item.accepted_answer_id !== null} />
                    {' '}{t('questions.answers', { count: item.answer_count })}
                    {' · '}{t('questions.askedBy', { name: personName(t, item.author_name), organisation: item.organisation_name, date: formatDateTime(item.created_at, ctx.lang) })}
                    {item.field_of_action ? ` · ${fieldLabel(ctx, item.field_of_action)}` : ''}
                    {item.visibility === 'members' ? ` · ${t('questions.membersOnly')}` : ''}
                    {item.hidden ? ` · ${t('questions.hiddenBadge')}` : ''}
                  </p>
                  {item.excerpt && <p class="snippet">{item.excerpt}</p>}
                  {item.tags.length > 0 && (
                    <ul class="tags" aria-label={t('questions.fields.tags')}>
                      {item.tags.map((tag) => <li><a href={tagUrl(tag)}>{tag}</a></li>)}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          )}
          {pages > 1 && (
            <nav aria-label={t('questions.pagination')} class="pagination">
              {params.page > 1 && <a href={listUrl(params, { page: params.page - 1 })} rel="prev">{t('questions.previous')}</a>}
              <span>{t('common.pageOf', { page: params.page, pages })}</span>
              {params.page < pages && <a href={listUrl(params, { page: params.page + 1 })} rel="next">{t('questions.next')}</a>}
            </nav>
          )}
          <p class="export"><a href={FEED_PATH}>{t('questions.feedLink')}</a></p>
        </section>
      </div>
    </>
  );
}

// ---------------------------------------------------------------------------------------------------
// Asking and editing

export function QuestionForm({ ctx, form, action, title, submit }: { ctx: ViewContext; form: FormState; action: string; title: string; submit: string }) {
  const { t } = ctx;
  const L = (f: string) => t(`questions.fields.${f}`);
  return (
    <>
      <h1>{title}</h1>
      <p class="lead">{t('questions.askIntro')}</p>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action={action} class="form form-wide">
        <TextField ctx={ctx} form={form} name="title" label={L('title')} hint={t('questions.hints.title')} required maxLength={150} />
        <TextArea ctx={ctx} form={form} name="body" label={L('body')} hint={t('questions.hints.body')} required rows={10} maxLength={20000} />
        <TextField ctx={ctx} form={form} name="tags" label={L('tags')} hint={t('questions.hints.tags')} maxLength={500} />
        <Select ctx={ctx} form={form} name="field_of_action" label={L('field_of_action')} placeholder={t('questions.noField')} options={fieldOptions(ctx)} />
        <Select ctx={ctx} form={form} name="visibility" label={L('visibility')} hint={t('questions.hints.visibility')} required
          options={(['members', 'public'] as const).map((v) => ({ value: v, label: t(`questions.visibilities.${v}`) }))} />
        <TextArea ctx={ctx} form={form} name="solutions" label={L('solutions')} hint={t('questions.hints.solutions')} rows={3} maxLength={2000} />
        <Submit label={submit} />
      </Form>
    </>
  );
}

export function AnswerEditPage({ ctx, form, action, questionTitle, questionId }: { ctx: ViewContext; form: FormState; action: string; questionTitle: string; questionId: number }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('questions.editAnswerTitle', { title: questionTitle })}</h1>
      <p><a href={`/fragen/${questionId}`}>{questionTitle}</a></p>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action={action} class="form form-wide">
        <TextArea ctx={ctx} form={form} name="body" label={t('questions.fields.answer')} hint={t('questions.hints.body')} required rows={10} maxLength={10000} />
        <Submit label={t('common.save')} />
      </Form>
    </>
  );
}

// ---------------------------------------------------------------------------------------------------
// The page of a question

function HiddenNote({ ctx, reason }: { ctx: ViewContext; reason: string | null }) {
  return <p class="note">{ctx.t(reason === 'moderator' ? 'questions.hiddenByModerator' : 'questions.hiddenByReports')}</p>;
}

function ModerationButtons({ ctx, type, id, hidden }: { ctx: ViewContext; type: 'frage' | 'antwort'; id: number; hidden: boolean }) {
  if (!ctx.can('questions.moderate')) return null;
  return hidden
    ? <Form ctx={ctx} action={`/fragen/moderation/${type}/${id}/freigeben`} class="inline-form"><button type="submit" class="button-small">{ctx.t('questions.restore')}</button></Form>
    : <Form ctx={ctx} action={`/fragen/moderation/${type}/${id}/ausblenden`} class="inline-form"><button type="submit" class="button-small button-secondary">{ctx.t('questions.hide')}</button></Form>;
}

function FollowButton({ ctx, kind, value, label, following, back }: { ctx: ViewContext; kind: 'tag' | 'field'; value: string; label: string; following: boolean; back: string }) {
  if (!ctx.can('questions.follow')) return null;
  return (
    <Form ctx={ctx} action={following ? '/fragen/themen/entfernen' : '/fragen/themen'} class="inline-form">
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="value" value={value} />
      <input type="hidden" name="zurueck" value={back} />
      <button type="submit" class="link-button">{ctx.t(following ? 'questions.unfollowLabel' : 'questions.followLabel', { topic: label })}</button>
    </Form>
  );
}

function Runner({ ctx, r }: { ctx: ViewContext; r: MatchedSolution['runners'][number] }) {
  const status = ctx.t(`catalogue.values.status.${r.status}`);
  const line = r.since
    ? ctx.t('questions.runsSince', { organisation: r.organisationName, status, since: `${r.since.slice(5, 7)}/${r.since.slice(0, 4)}` })
    : ctx.t('questions.runs', { organisation: r.organisationName, status });
  return <li><a href={`/organisationen/${r.organisationSlug}`}>{line}</a>{ctx.user && r.contact ? <> – {ctx.t('questions.contact')}: {r.contact}</> : null}</li>;
}

function SolutionCards({ ctx, solutions, idPrefix }: { ctx: ViewContext; solutions: MatchedSolution[]; idPrefix: string }) {
  return (
    <ul class="matches">
      {solutions.map((s, i) => (
        <li class="card match" aria-labelledby={`${idPrefix}-${i}`}>
          <h3 id={`${idPrefix}-${i}`}><a href={`/loesungen/${s.slug}`} lang={partLang(ctx, s.language)}>{s.title}</a></h3>
          <p lang={partLang(ctx, s.language)}>{s.summary}</p>
          {(s.owner || s.runners.length > 0) && (
            <>
              <p class="meta">{ctx.t('questions.runBy')}</p>
              <ul class="deployments">
                {s.owner && <li><a href={`/organisationen/${s.owner.slug}`}>{ctx.t('questions.describedBy', { organisation: s.owner.name })}</a></li>}
                {s.runners.map((r) => <Runner ctx={ctx} r={r} />)}
              </ul>
            </>
          )}
          {s.contactEmail && <p>{ctx.t('questions.contact')}: <a href={`mailto:${s.contactEmail}`}>{s.contactEmail}</a></p>}
        </li>
      ))}
    </ul>
  );
}

export function QuestionPage({ ctx, page, form = emptyForm() }: { ctx: ViewContext; page: QuestionPageData; form?: FormState }) {
  const { t } = ctx;
  const { question: q } = page;
  const back = `/fragen/${q.id}`;
  const mayAccept = ctx.can('answer.acceptOn', q) && !q.hidden;
  const visibleAnswers = page.answers.filter((a) => !a.hidden).length;
  return (
    <>
      <ErrorSummary ctx={ctx} form={form} />
      <div class="question-layout">
        <article class="question" aria-labelledby="question-title">
          <h1 id="question-title">{q.title}</h1>
          <p class="meta">
            <StatusBadge ctx={ctx} answered={q.accepted_answer_id !== null} />
            {' '}{t('questions.askedBy', { name: personName(t, q.author_name), organisation: q.organisation_name, date: formatDateTime(q.created_at, ctx.lang) })}
            {q.field_of_action ? ` · ${fieldLabel(ctx, q.field_of_action)}` : ''}
            {q.visibility === 'members' ? ` · ${t('questions.membersOnly')}` : ''}
          </p>
          {q.hidden ? <HiddenNote ctx={ctx} reason={q.hidden_reason} /> : null}
          <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(q.body) }} />
          {(page.tags.length > 0 || q.field_of_action) && (
            <ul class="tags topics" aria-label={t('questions.topics')}>
              {q.field_of_action && (
                <li>
                  <a href={`/fragen?field=${q.field_of_action}`}>{fieldLabel(ctx, q.field_of_action)}</a>
                  {' '}<FollowButton ctx={ctx} kind="field" value={q.field_of_action} label={fieldLabel(ctx, q.field_of_action)} following={page.follows.has(`field:${q.field_of_action}`)} back={back} />
                </li>
              )}
              {page.tags.map((tag) => (
                <li>
                  <a href={tagUrl(tag)}>{tag}</a>
                  {' '}<FollowButton ctx={ctx} kind="tag" value={tag} label={tag} following={page.follows.has(`tag:${tag}`)} back={back} />
                </li>
              ))}
            </ul>
          )}
          <div class="actions-row">
            {ctx.can('post.editThis', q) && <a class="button-small" href={`/fragen/${q.id}/bearbeiten`}>{t('questions.edit')}</a>}
            {ctx.user && ctx.user.id !== q.author_id && !q.hidden && <a href={`/fragen/${q.id}/melden`}>{t('questions.report')}</a>}
            <ModerationButtons ctx={ctx} type="frage" id={q.id} hidden={Boolean(q.hidden)} />
          </div>
          {page.linked.length > 0 && (
            <section aria-labelledby="linked">
              <h2 id="linked">{t('questions.linked')}</h2>
              <SolutionCards ctx={ctx} solutions={page.linked} idPrefix="linked" />
            </section>
          )}
        </article>
        <aside class="matched" aria-labelledby="matched">
          <h2 id="matched">{t('questions.matched')}</h2>
          {page.matched.length === 0 ? <p>{t('questions.noMatches')}</p> : (
            <>
              <p>{t('questions.matchedIntro')}</p>
              <SolutionCards ctx={ctx} solutions={page.matched} idPrefix="match" />
            </>
          )}
          {page.notifiedOrganisations && (
            <p class="notified">{page.notifiedOrganisations.length === 0
              ? t('communityNotices.question.noneNotified')
              : t('communityNotices.question.notified', { count: page.notifiedOrganisations.length, organisations: page.notifiedOrganisations.join(', ') })}</p>
          )}
        </aside>
      </div>

      <section class="answers" aria-labelledby="answers-title">
        <h2 id="answers-title">{t('questions.answers', { count: visibleAnswers })}</h2>
        {page.answers.length === 0 && <p>{t('questions.noAnswers')}</p>}
        {page.answers.map((a) => (
          <article class={a.accepted ? 'answer card accepted' : 'answer card'} id={`antwort-${a.id}`} aria-labelledby={`antwort-${a.id}-title`}>
            <h3 id={`antwort-${a.id}-title`}>
              {a.accepted && <><span class="state state-answered">{t('questions.acceptedBadge')}</span>{' '}</>}
              {t('questions.answerBy', { name: personName(t, a.author_name), organisation: a.organisation_name })}
            </h3>
            <p class="meta">{formatDateTime(a.created_at, ctx.lang)}{a.helpful > 0 ? ` · ${t('questions.helpful', { count: a.helpful })}` : ''}</p>
            {a.hidden ? <HiddenNote ctx={ctx} reason={a.hidden_reason} /> : null}
            {a.showBody
              ? <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(a.body) }} />
              : <p>{t('questions.answerHiddenPlaceholder')}</p>}
            <div class="actions-row">
              {ctx.user && !a.hidden && ctx.user.id !== a.author_id && (a.markedHelpful
                ? <span>{t('questions.markedHelpful')}</span>
                : <Form ctx={ctx} action={`/fragen/${q.id}/antworten/${a.id}/hilfreich`} class="inline-form"><button type="submit" class="button-small">{t('questions.markHelpful')}</button></Form>)}
              {mayAccept && !a.accepted && !a.hidden && (
                <Form ctx={ctx} action={`/fragen/${q.id}/antworten/${a.id}/annehmen`} class="inline-form"><button type="submit" class="button-small">{t('questions.accept')}</button></Form>
              )}
              {ctx.can('post.editThis', a) && <a href={`/fragen/${q.id}/antworten/${a.id}/bearbeiten`}>{t('questions.edit')}</a>}
              {ctx.user && ctx.user.id !== a.author_id && !a.hidden && <a href={`/fragen/${q.id}/antworten/${a.id}/melden`}>{t('questions.report')}</a>}
              <ModerationButtons ctx={ctx} type="antwort" id={a.id} hidden={Boolean(a.hidden)} />
            </div>
          </article>
        ))}
      </section>

      <section aria-labelledby="your-answer">
        <h2 id="your-answer">{t('questions.yourAnswer')}</h2>
        {q.hidden ? <p>{t('questions.hiddenNoAnswers')}</p>
          : !ctx.user ? <p><a href={`/anmelden?weiter=${encodeURIComponent(back)}`}>{t('questions.signInToAnswer')}</a></p>
          : (
            <Form ctx={ctx} action={`/fragen/${q.id}/antworten`} class="form form-wide">
              <TextArea ctx={ctx} form={form} name="body" label={t('questions.fields.answer')} hint={t('questions.hints.body')} required rows={8} maxLength={10000} />
              <Submit label={t('questions.answerSubmit')} />
            </Form>
          )}
      </section>
    </>
  );
}

// ---------------------------------------------------------------------------------------------------
// Reports and moderation

export function ReportPage({ ctx, form, action, target }: { ctx: ViewContext; form: FormState; action: string; target: { questionId: number; questionTitle: string; excerpt: string; authorName: string } }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('questions.reportTitle')}</h1>
      <p>{t('questions.reportOf', { title: target.questionTitle, name: personName(t, target.authorName) })}</p>
      {target.excerpt && <blockquote>{target.excerpt}</blockquote>}
      <p>{t('questions.reportIntro')}</p>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action={action} class="form">
        <TextArea ctx={ctx} form={form} name="reason" label={t('questions.fields.reason')} hint={t('questions.hints.reason')} required rows={4} maxLength={1000} />
        <Submit label={t('questions.reportSubmit')} />
      </Form>
      <p><a href={`/fragen/${target.questionId}`}>{t('common.back')}</a></p>
    </>
  );
}

export function ModerationPage({ ctx, items }: { ctx: ViewContext; items: ModerationItem[] }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('questions.moderationTitle')}</h1>
      <p class="lead">{t('questions.moderationIntro')}</p>
      {items.length === 0 ? <p>{t('questions.moderationEmpty')}</p> : (
        <ul class="moderation-queue">
          {items.map((item) => {
            const type = item.type === 'question' ? 'frage' : 'antwort';
            const href = item.type === 'question' ? `/fragen/${item.id}` : `/fragen/${item.questionId}#antwort-${item.id}`;
            return (
              <li class="card" aria-labelledby={`post-${type}-${item.id}`}>
                <h2 id={`post-${type}-${item.id}`}>
                  {t(`questions.postTypes.${item.type}`)}: <a href={href}>{item.questionTitle}</a>
                </h2>
                <p class="meta">
                  {t('questions.by', { name: personName(t, item.authorName) })}
                  {item.hidden ? ` · ${t(item.hiddenReason === 'moderator' ? 'questions.hiddenByModeratorShort' : 'questions.hiddenByReportsShort')}` : ''}
                  {` · ${t('questions.reportCount', { count: item.reports.length })}`}
                </p>
                {item.excerpt && <blockquote>{item.excerpt}</blockquote>}
                {item.reports.length > 0 && (
                  <ul>
                    {item.reports.map((r) => <li>{t('questions.reportLine', { name: r.reporter_name, date: formatDateTime(r.created_at, ctx.lang), reason: r.reason })}</li>)}
                  </ul>
                )}
                <div class="actions-row">
                  <Form ctx={ctx} action={`/fragen/moderation/${type}/${item.id}/freigeben`} class="inline-form"><button type="submit" class="button-small">{t('questions.restore')}</button></Form>
                  <Form ctx={ctx} action={`/fragen/moderation/${type}/${item.id}/ausblenden`} class="inline-form"><button type="submit" class="button-small button-secondary">{t('questions.hide')}</button></Form>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------------------------------
// Following

export function FollowsPage({ ctx, follows, form }: { ctx: ViewContext; follows: { kind: string; value: string }[]; form: FormState }) {
  const { t } = ctx;
  const label = (f: { kind: string; value: string }) => (f.kind === 'field' ? fieldLabel(ctx, f.value) : f.value);
  return (
    <>
      <h1>{t('questions.followsTitle')}</h1>
      <p class="lead">{t('questions.followsIntro')}</p>
      <ErrorSummary ctx={ctx} form={form} />
      <section aria-labelledby="following">
        <h2 id="following">{t('questions.following')}</h2>
        {follows.length === 0 ? <p>{t('questions.followsEmpty')}</p> : (
          <ul class="link-list">
            {follows.map((f) => (
              <li>
                {t(`questions.followKinds.${f.kind}`)}: <a href={f.kind === 'field' ? `/fragen?field=${f.value}` : tagUrl(f.value)}>{label(f)}</a>
                {' '}<FollowButton ctx={ctx} kind={f.kind as 'tag' | 'field'} value={f.value} label={label(f)} following back="/fragen/themen" />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="follow-tag">
        <h2 id="follow-tag">{t('questions.followTag')}</h2>
        <Form ctx={ctx} action="/fragen/themen">
          <input type="hidden" name="kind" value="tag" />
          <TextField ctx={ctx} form={form} name="tag" label={t('questions.tag')} hint={t('questions.hints.tag')} maxLength={40} />
          <Submit label={t('questions.follow')} />
        </Form>
      </section>
      <section aria-labelledby="follow-field">
        <h2 id="follow-field">{t('questions.followField')}</h2>
        <Form ctx={ctx} action="/fragen/themen">
          <input type="hidden" name="kind" value="field" />
          <Select ctx={ctx} form={form} name="field" label={t('questions.fields.field_of_action')} placeholder={t('questions.chooseField')} options={fieldOptions(ctx)} />
          <Submit label={t('questions.follow')} />
        </Form>
      </section>
    </>
  );
}
