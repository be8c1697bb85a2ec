import type { VNode } from 'preact';
import { personName } from '../../platform/views/person.js';
import type { AttendanceMode } from '../../platform/db/schema.js';
import { formatDateTime, formatNumber } from '../../platform/i18n/index.js';
import { renderMarkdown } from '../../platform/markdown.js';
import type { ViewContext } from '../../platform/views/context.js';
import { Checkbox, ErrorMessage, ErrorSummary, Form, Select, Submit, TextArea, TextField, emptyForm, type FormState } from '../../platform/views/forms.js';
import {
  FORMATS, MAX_FILE_BYTES, VISIBILITIES, formatMeetingTime, freePlaces, modesOf, registrationClosesAt,
  type MeetingListItem, type MeetingPage as PageData, type MeetingRow, type MeetingState, type registrationsFor, type visibleMaterials,
  MESSAGE_MAX,
} from './service.js';

type Materials = Awaited<ReturnType<typeof visibleMaterials>>;

export const FEED_PATH = '/treffen/kalender.ics';

/** Announces the calendar feed in the page's head, for calendar-aware clients. */
export function feedLink(ctx: ViewContext): VNode {
  return <link rel="alternate" type="text/calendar" href={FEED_PATH} title={ctx.t('meetings.feedTitle', { community: ctx.communityName })} />;
}

function StateBadge({ ctx, state }: { ctx: ViewContext; state: MeetingState }) {
  return <span class={`state state-${state}`}>{ctx.t(`meetings.states.${state}`)}</span>;
}

/** "Vor Ort: 3 von 20 Plätzen frei · Online: …" */
function placesLine(ctx: ViewContext, m: MeetingRow, counts: PageData['counts']): string {
  return modesOf(m).map((mode) => {
    const free = freePlaces(m, counts, mode);
    const waiting = counts[mode].waiting;
    const capacity = mode === 'onsite' ? m.capacity_onsite ?? 0 : m.capacity_online ?? 0;
    const text = ctx.t('meetings.freeOf', { count: free, free: formatNumber(free, ctx.lang), capacity: formatNumber(capacity, ctx.lang) });
    const queue = waiting ? ` ${ctx.t('meetings.waitingCount', { count: waiting })}` : '';
    return `${ctx.t(`meetings.modes.${mode}`)}: ${text}${queue}`;
  }).join(' · ');
}

function MeetingItem({ ctx, item }: { ctx: ViewContext; item: MeetingListItem }) {
  const { meeting: m, state } = item;
  return (
    <li>
      <h3><a href={`/treffen/${m.slug}`}>{m.title}</a></h3>
      <p class="meta">
        <StateBadge ctx={ctx} state={state} /> {formatMeetingTime(m, ctx.lang)} · {ctx.t(`meetings.formats.${m.format}`)}
        {m.series ? ` · ${m.series}` : ''}
        {m.visibility === 'members' ? ` · ${ctx.t('meetings.membersOnly')}` : ''}
      </p>
      {state !== 'cancelled' && state !== 'held' && <p class="meta">{placesLine(ctx, m, item.counts)}</p>}
      {item.mine && <p><strong>{ctx.t(item.mine === 'registered' ? 'meetings.youAreRegistered' : 'meetings.youAreWaiting')}</strong></p>}
    </li>
  );
}

export function MeetingList({ ctx, list, feedUrl }: { ctx: ViewContext; list: { upcoming: MeetingListItem[]; past: MeetingListItem[] }; feedUrl: string }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('meetings.title')}</h1>
      <p class="lead">{t('meetings.intro')}</p>
      {ctx.can('meeting.organise') && <p><a class="button-small" href="/treffen/neu">{t('meetings.create')}</a></p>}
      <section aria-labelledby="upcoming">
        <h2 id="upcoming">{t('meetings.upcoming')}</h2>
        {list.upcoming.length === 0 ? <p>{t('meetings.noneUpcoming')}</p> : (
          <ul class="meeting-list">{list.upcoming.map((item) => <MeetingItem ctx={ctx} item={item} />)}</ul>
        )}
      </section>
      {list.past.length > 0 && (
        <section aria-labelledby="past">
          <h2 id="past">{t('meetings.past')}</h2>
          <ul class="meeting-list">{list.past.map((item) => <MeetingItem ctx={ctx} item={item} />)}</ul>
        </section>
      )}
      <section aria-labelledby="subscribe">
        <h2 id="subscribe">{t('meetings.subscribeTitle')}</h2>
        <p>{t('meetings.subscribeHint')}</p>
        <p><code>{feedUrl}</code></p>
        <ul class="link-list">
          <li><a href={feedUrl.replace(/^https?:/, 'webcal:')}>{t('meetings.subscribeWebcal')}</a></li>
          <li><a href={FEED_PATH}>{t('meetings.subscribeLink')}</a></li>
        </ul>
      </section>
    </>
  );
}

/** The next meetings, for the home page. */
export function UpcomingMeetings({ ctx, items }: { ctx: ViewContext; items: MeetingListItem[] }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="next-meetings">
      <h2 id="next-meetings">{t('meetings.next')}</h2>
      {items.length === 0 ? <p>{t('meetings.noneUpcoming')}</p> : (
        <ul class="meeting-list">{items.map((item) => <MeetingItem ctx={ctx} item={item} />)}</ul>
      )}
      <p><a href="/treffen">{t('meetings.backToList')}</a></p>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------
// The meeting page

function RegistrationBox({ ctx, page, form }: { ctx: ViewContext; page: PageData; form: FormState }) {
  const { t } = ctx;
  const { meeting: m, own, state } = page;
  if (own) {
    return (
      <>
        {own.status === 'registered'
          ? <p><strong>{t('meetings.registeredAs', { mode: t(`meetings.modes.${own.mode}`) })}</strong></p>
          : <p><strong>{t('meetings.waitingPosition', { position: own.position, mode: t(`meetings.modes.${own.mode}`) })}</strong></p>}
        {state !== 'held' && state !== 'cancelled' && (
          <Form ctx={ctx} action={`/treffen/${m.slug}/abmelden`} class="inline-form">
            <button type="submit" class="button button-secondary">{t(own.status === 'registered' ? 'meetings.cancelRegistration' : 'meetings.leaveWaitingList')}</button>
          </Form>
        )}
      </>
    );
  }
  if (state === 'cancelled' || state === 'held') return null;
  if (state === 'closed') return <p>{t('meetings.registrationClosed')}</p>;
  if (state === 'planned') return <p>{t('meetings.registrationOpensAt', { date: formatDateTime(m.registration_opens_at!, ctx.lang) })}</p>;
  if (!ctx.user) return <p><a href={`/anmelden?weiter=${encodeURIComponent(`/treffen/${m.slug}`)}`}>{t('meetings.signInToRegister')}</a></p>;
  const modes = modesOf(m);
  const full = (mode: AttendanceMode) => freePlaces(m, page.counts, mode) === 0;
  return (
    <Form ctx={ctx} action={`/treffen/${m.slug}/anmelden`}>
      {modes.length > 1 && (
        <Select ctx={ctx} form={form} name="mode" label={t('meetings.fields.mode')} required placeholder={t('meetings.chooseMode')}
          options={modes.map((mode) => ({ value: mode, label: `${t(`meetings.modes.${mode}`)}${full(mode) ? ` (${t('meetings.waitingListOnly')})` : ''}` }))} />
      )}
      {modes.length === 1 && full(modes[0]) && <p>{t('meetings.fullNote')}</p>}
      <Submit label={modes.every(full) ? t('meetings.joinWaitingList') : t('meetings.register')} />
    </Form>
  );
}

function MaterialList({ ctx, slug, materials }: { ctx: ViewContext; slug: string; materials: Materials }) {
  const { t } = ctx;
  return (
    <ul class="link-list">
      {materials.map((mat) => (
        <li>
          {mat.kind === 'file' && <><a href={`/treffen/${slug}/material/${mat.id}`}>{mat.title}</a> ({mat.file_name}, {formatSize(mat.size ?? 0, ctx)})</>}
          {mat.kind === 'link' && <a href={mat.url} rel="noopener noreferrer">{mat.title}</a>}
          {mat.kind === 'solution' && <>{t('meetings.solutionPresented')}: <a href={`/loesungen/${mat.solution_slug}`}>{mat.solution_title}</a></>}
        </li>
      ))}
    </ul>
  );
}

function formatSize(bytes: number, ctx: ViewContext): string {
  if (bytes >= 1024 * 1024) return `${formatNumber(Math.round((bytes / 1024 / 1024) * 10) / 10, ctx.lang)} MB`;
  return `${formatNumber(Math.max(1, Math.round(bytes / 1024)), ctx.lang)} KB`;
}

export function MeetingPage({ ctx, page, form = emptyForm(), extraSections = [] }: { ctx: ViewContext; page: PageData; form?: FormState; extraSections?: (VNode<any> | null)[] }) {
  const { t } = ctx;
  const { meeting: m, state } = page;
  const organiser = ctx.can('meeting.organise');
  return (
    <article class="meeting">
      <h1>{m.title}</h1>
      <p class="meta">
        <StateBadge ctx={ctx} state={state} />
        {m.series && <> · {t('meetings.seriesLabel', { series: m.series })}</>}
        {m.visibility === 'members' && <> · {t('meetings.membersOnly')}</>}
      </p>
      <ErrorSummary ctx={ctx} form={form} />
      {state === 'cancelled' && (
        <div class="note"><p><strong>{t('meetings.cancelledNote')}</strong></p>{m.cancel_reason && <p class="prewrap">{m.cancel_reason}</p>}</div>
      )}
      {organiser && (
        <div class="actions-row">
          {state !== 'cancelled' && <a class="button-small" href={`/treffen/${m.slug}/bearbeiten`}>{t('meetings.edit')}</a>}
          <a class="button-small" href={`/treffen/${m.slug}/anmeldungen`}>{t('meetings.registrations')}</a>
          <a class="button-small" href={`/treffen/${m.slug}/material`}>{t('meetings.materialsAndMinutes')}</a>
          {state !== 'cancelled' && state !== 'held' && <a class="button-small" href={`/treffen/${m.slug}/absagen`}>{t('meetings.cancelMeeting')}</a>}
        </div>
      )}
      <dl class="facts">
        <dt>{t('meetings.when')}</dt><dd>{formatMeetingTime(m, ctx.lang)}</dd>
        <dt>{t('meetings.fields.format')}</dt><dd>{t(`meetings.formats.${m.format}`)}</dd>
        {m.format !== 'online' && <><dt>{t('meetings.where')}</dt><dd class="prewrap">{m.address}</dd></>}
        {m.format !== 'in_person' && (
          <><dt>{t('meetings.onlineLink')}</dt><dd>{page.showOnlineLink ? <a href={m.online_url} rel="noopener noreferrer">{m.online_url}</a> : t('meetings.onlineLinkLater')}</dd></>
        )}
        {state !== 'cancelled' && state !== 'held' && <><dt>{t('meetings.places')}</dt><dd>{placesLine(ctx, m, page.counts)}</dd></>}
        {m.registration_opens_at && <><dt>{t('meetings.registrationOpens')}</dt><dd>{formatDateTime(m.registration_opens_at, ctx.lang)}</dd></>}
        <dt>{t('meetings.deadline')}</dt><dd>{formatDateTime(registrationClosesAt(m), ctx.lang)}</dd>
      </dl>
      <p><a href={`/treffen/${m.slug}/kalender.ics`}>{t('meetings.addToCalendar')}</a></p>

      <section aria-labelledby="registration">
        <h2 id="registration">{t('meetings.registration')}</h2>
        <RegistrationBox ctx={ctx} page={page} form={form} />
      </section>

      {m.description && (
        <section aria-labelledby="about"><h2 id="about">{t('meetings.about')}</h2><div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(m.description) }} /></section>
      )}
      {extraSections}
      {page.materials.length > 0 && (
        <section aria-labelledby="materials"><h2 id="materials">{t('meetings.materials')}</h2><MaterialList ctx={ctx} slug={m.slug} materials={page.materials} /></section>
      )}
      {m.minutes && (
        <section aria-labelledby="minutes"><h2 id="minutes">{t('meetings.minutes')}</h2><div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(m.minutes) }} /></section>
      )}
      {page.series.length > 1 && (
        <section aria-labelledby="series">
          <h2 id="series">{t('meetings.seriesTitle', { series: m.series })}</h2>
          <ul class="link-list">
            {page.series.map((s) => (
              <li>{s.id === m.id ? <strong aria-current="page">{s.title}</strong> : <a href={`/treffen/${s.slug}`}>{s.title}</a>} – {formatMeetingTime(s, ctx.lang)}</li>
            ))}
          </ul>
        </section>
      )}
      <p><a href="/treffen">{t('meetings.backToList')}</a></p>
    </article>
  );
}

// ---------------------------------------------------------------------------------------------------
// The organiser's form

export function meetingLabels(ctx: Pick<ViewContext, 't'>): Record<string, string> {
  const names = ['title', 'description', 'series', 'start_date', 'start_time', 'end_date', 'end_time', 'format', 'address', 'online_url',
    'capacity_onsite', 'capacity_online', 'opens_date', 'opens_time', 'closes_date', 'closes_time', 'visibility', 'mode', 'reason',
    'file', 'link_title', 'url', 'solution', 'minutes'];
  return Object.fromEntries(names.map((n) => [n, ctx.t(`meetings.fields.${n}`)]));
}

export function MeetingForm({ ctx, form, action, title, series }: { ctx: ViewContext; form: FormState; action: string; title: string; series: string[] }) {
  const { t } = ctx;
  const f = (name: string) => ({ ctx, form, name, label: t(`meetings.fields.${name}`) });
  return (
    <>
      <h1>{title}</h1>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action={action} class="form form-wide">
        <TextField {...f('title')} required maxLength={150} />
        <TextArea {...f('description')} rows={8} hint={t('meetings.hints.description')} />
        <TextField {...f('series')} maxLength={100} hint={series.length ? t('meetings.hints.seriesKnown', { series: series.join(', ') }) : t('meetings.hints.series')} />
        <fieldset>
          <legend>{t('meetings.whenLegend')}</legend>
          <p class="hint">{t('meetings.hints.timeZone')}</p>
          <div class="field-pair">
            <TextField {...f('start_date')} type="date" required hint={t('meetings.hints.date')} />
            <TextField {...f('start_time')} type="time" required hint={t('meetings.hints.time')} />
          </div>
          <div class="field-pair">
            <TextField {...f('end_date')} type="date" hint={t('meetings.hints.endDate')} />
            <TextField {...f('end_time')} type="time" required hint={t('meetings.hints.time')} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('meetings.whereLegend')}</legend>
          <Select {...f('format')} required options={FORMATS.map((v) => ({ value: v, label: t(`meetings.formats.${v}`) }))} />
          <TextArea {...f('address')} rows={3} hint={t('meetings.hints.address')} />
          <TextField {...f('online_url')} type="url" maxLength={500} hint={t('meetings.hints.onlineUrl')} />
          <div class="field-pair">
            <TextField {...f('capacity_onsite')} type="number" min={1} hint={t('meetings.hints.capacityOnsite')} />
            <TextField {...f('capacity_online')} type="number" min={1} hint={t('meetings.hints.capacityOnline')} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('meetings.registrationLegend')}</legend>
          <div class="field-pair">
            <TextField {...f('opens_date')} type="date" hint={t('meetings.hints.opens')} />
            <TextField {...f('opens_time')} type="time" hint={t('meetings.hints.time')} />
          </div>
          <div class="field-pair">
            <TextField {...f('closes_date')} type="date" hint={t('meetings.hints.closes')} />
            <TextField {...f('closes_time')} type="time" hint={t('meetings.hints.time')} />
          </div>
        </fieldset>
        <Select {...f('visibility')} required options={VISIBILITIES.map((v) => ({ value: v, label: t(`meetings.visibilities.${v}`) }))} />
        <Submit label={t('common.save')} />
      </Form>
    </>
  );
}

export function CancelMeetingPage({ ctx, meeting, form, registered }: { ctx: ViewContext; meeting: MeetingRow; form: FormState; registered: number }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('meetings.cancelTitle', { title: meeting.title })}</h1>
      <ErrorSummary ctx={ctx} form={form} />
      <p class="lead">{t('meetings.cancelIntro', { when: formatMeetingTime(meeting, ctx.lang), count: registered })}</p>
      <Form ctx={ctx} action={`/treffen/${meeting.slug}/absagen`}>
        <TextArea ctx={ctx} form={form} name="reason" label={t('meetings.fields.reason')} rows={4} maxLength={2000} hint={t('meetings.hints.reason')} />
        <Checkbox ctx={ctx} form={form} name="confirm" required label={t('communityNotices.confirm.cancelMeeting.label', { count: registered })} />
        <Submit label={t('meetings.cancelConfirm')} />
      </Form>
      <p><a href={`/treffen/${meeting.slug}`}>{t('meetings.keepMeeting')}</a></p>
    </>
  );
}

// ---------------------------------------------------------------------------------------------------
// Registrations (organisers)

type RegistrationData = Awaited<ReturnType<typeof registrationsFor>>;

export function RegistrationsPage({ ctx, data, form = emptyForm() }: { ctx: ViewContext; data: RegistrationData; form?: FormState }) {
  const { t } = ctx;
  const { meeting: m, people } = data;
  const canMark = data.canMarkAttendance;
  const registered = people.filter((p) => p.status === 'registered');
  const waiting = people.filter((p) => p.status === 'waiting');
  return (
    <>
      <h1>{t('meetings.registrationsTitle', { title: m.title })}</h1>
      <ErrorSummary ctx={ctx} form={form} />
      <p class="lead">{formatMeetingTime(m, ctx.lang)} · {placesLine(ctx, m, data.counts)}</p>
      <p class="actions-row">
        <a class="button-small" href={`/treffen/${m.slug}/anmeldungen.csv`}>{t('meetings.exportCsv')}</a>
        <a href={`/treffen/${m.slug}`}>{t('meetings.backToMeeting')}</a>
      </p>
      <h2 id="registered">{t('meetings.registeredPeople', { count: registered.length })}</h2>
      {registered.length === 0 ? <p>{t('meetings.nobodyYet')}</p> : (
        <Form ctx={ctx} action={`/treffen/${m.slug}/anmeldungen`} class="form-table">
          <table class="table" aria-labelledby="registered">
            <thead><tr>
              <th scope="col">{t('meetings.columns.name')}</th><th scope="col">{t('meetings.columns.organisation')}</th>
              <th scope="col">{t('meetings.columns.mode')}</th><th scope="col">{t('meetings.columns.registeredAt')}</th>
              <th scope="col">{t('meetings.columns.attended')}</th>
            </tr></thead>
            <tbody>
              {registered.map((p) => (
                <tr>
                  <th scope="row">{personName(t, p.name)}</th><td>{p.organisation_name}</td><td>{t(`meetings.modes.${p.mode}`)}</td>
                  <td>{formatDateTime(p.promoted_at ?? p.created_at, ctx.lang)}</td>
                  <td>
                    {canMark
                      ? <input type="checkbox" name="attended" value={String(p.id)} id={`attended-${p.id}`} checked={p.attended === 1} aria-label={t('meetings.attendedLabel', { name: p.name })} />
                      : t(p.attended ? 'common.yes' : 'common.no')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {canMark ? <Submit label={t('meetings.saveAttendance')} /> : <p class="hint">{t('meetings.attendanceLater')}</p>}
        </Form>
      )}
      <h2 id="waiting">{t('meetings.waitingPeople', { count: waiting.length })}</h2>
      {waiting.length > 0 && (
        <table class="table" aria-labelledby="waiting">
          <thead><tr>
            <th scope="col">{t('meetings.columns.position')}</th><th scope="col">{t('meetings.columns.name')}</th>
            <th scope="col">{t('meetings.columns.organisation')}</th><th scope="col">{t('meetings.columns.mode')}</th>
            <th scope="col">{t('meetings.columns.registeredAt')}</th>
          </tr></thead>
          <tbody>
            {waiting.map((p) => (
              <tr><td class="num">{p.position}</td><th scope="row">{personName(t, p.name)}</th><td>{p.organisation_name}</td><td>{t(`meetings.modes.${p.mode}`)}</td><td>{formatDateTime(p.created_at, ctx.lang)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {m.status !== 'cancelled' && people.length > 0 && (
        <section aria-labelledby="message-title">
          <h2 id="message-title">{t('communityNotices.message.title')}</h2>
          <p>{t('communityNotices.message.intro', { count: people.length })}</p>
          <Form ctx={ctx} action={`/treffen/${m.slug}/nachricht`}>
            <TextArea ctx={ctx} form={form.values.message !== undefined ? form : emptyForm()} name="message" required rows={5}
              label={t('communityNotices.message.label')} hint={t('communityNotices.message.hint', { max: MESSAGE_MAX })} />
            <Submit label={t('communityNotices.message.send')} />
          </Form>
        </section>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------------------------------
// Materials and minutes (organisers)

export type MaterialForm = 'file' | 'link' | 'solution' | 'minutes';

export function MaterialsPage({ ctx, meeting: m, materials, which, form }: { ctx: ViewContext; meeting: MeetingRow; materials: Materials; which?: MaterialForm; form?: FormState }) {
  const { t } = ctx;
  const state = (name: MaterialForm) => (which === name && form ? form : emptyForm(name === 'minutes' ? { minutes: m.minutes } : {}));
  const summary = which && form ? <ErrorSummary ctx={ctx} form={form} idPrefix={`${which}-`} /> : null;
  const field = (name: MaterialForm, field: string) => ({ ctx, form: state(name), name: field, label: t(`meetings.fields.${field}`), idPrefix: `${name}-` });
  const fileState = state('file');
  const fileError = fileState.errors.file ? (t(fileState.errors.file.key, fileState.errors.file.vars ?? {}) as string) : null;
  return (
    <>
      <h1>{t('meetings.materialsTitle', { title: m.title })}</h1>
      {summary}
      <p><a href={`/treffen/${m.slug}`}>{t('meetings.backToMeeting')}</a></p>
      <section aria-labelledby="present">
        <h2 id="present">{t('meetings.materials')}</h2>
        {materials.length === 0 ? <p>{t('meetings.noMaterials')}</p> : (
          <ul class="link-list">
            {materials.map((mat) => (
              <li>
                {mat.kind === 'file' ? `${mat.title} (${mat.file_name}, ${formatSize(mat.size ?? 0, ctx)})` : mat.kind === 'link' ? `${mat.title} – ${mat.url}` : `${t('meetings.solutionPresented')}: ${mat.solution_title}`}
                {' '}
                <Form ctx={ctx} action={`/treffen/${m.slug}/material/${mat.id}/entfernen`} class="inline-form">
                  <button type="submit" class="link-button" aria-label={t('meetings.removeMaterialLabel', { title: mat.solution_title ?? mat.title })}>{t('meetings.removeMaterial')}</button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="upload">
        <h2 id="upload">{t('meetings.uploadTitle')}</h2>
        {/* The form token travels in the address: it is checked before the file is read. */}
        <form method="post" action={`/treffen/${m.slug}/material/datei?_csrf=${encodeURIComponent(ctx.csrf())}`} enctype="multipart/form-data" class="form" novalidate>
          <TextField {...field('file', 'title')} label={t('meetings.fields.materialTitle')} maxLength={200} hint={t('meetings.hints.materialTitle')} />
          <div class={fileError ? 'field field-error' : 'field'}>
            <label for="file-f-file">{t('meetings.fields.file')}<span class="req"> ({t('common.required')})</span></label>
            <p class="hint" id="file-f-file-hint">{t('meetings.hints.file', { max: MAX_FILE_BYTES / 1024 / 1024 })}</p>
            {fileError && <ErrorMessage ctx={ctx} id="file-f-file-error">{fileError}</ErrorMessage>}
            <input type="file" id="file-f-file" name="file" required accept=".pdf,.pptx,.docx,.xlsx,.odp,.odt,.ods,.png,.jpg,.jpeg,.txt,.md,.csv"
              aria-invalid={fileError ? 'true' : undefined} aria-describedby={fileError ? 'file-f-file-hint file-f-file-error' : 'file-f-file-hint'} />
          </div>
          <Submit label={t('meetings.upload')} />
        </form>
      </section>

      <section aria-labelledby="add-link">
        <h2 id="add-link">{t('meetings.linkTitle')}</h2>
        <Form ctx={ctx} action={`/treffen/${m.slug}/material/link`}>
          <TextField {...field('link', 'link_title')} required maxLength={200} />
          <TextField {...field('link', 'url')} type="url" required maxLength={1000} hint={t('meetings.hints.link')} />
          <Submit label={t('meetings.addLink')} />
        </Form>
      </section>

      <section aria-labelledby="add-solution">
        <h2 id="add-solution">{t('meetings.solutionTitle')}</h2>
        <Form ctx={ctx} action={`/treffen/${m.slug}/material/loesung`}>
          <TextField {...field('solution', 'solution')} required maxLength={500} hint={t('meetings.hints.solution')} />
          <Submit label={t('meetings.addSolution')} />
        </Form>
      </section>

      <section aria-labelledby="write-minutes">
        <h2 id="write-minutes">{t('meetings.minutes')}</h2>
        <Form ctx={ctx} action={`/treffen/${m.slug}/protokoll`}>
          <TextArea {...field('minutes', 'minutes')} rows={14} maxLength={50_000} hint={t('meetings.hints.minutes')} />
          <Submit label={t('meetings.saveMinutes')} />
        </Form>
      </section>
    </>
  );
}
